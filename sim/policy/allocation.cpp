#include "kaisim/policy/allocation.hpp"

#include <algorithm>
#include <cmath>

namespace kaisim::policy {

namespace {
// The value set at the latest stage <= `stage` (the rule holds until a later stage changes it).
template <class T, class IsSet>
const T* latest(const std::vector<T>& per_stage, int stage, IsSet is_set) {
    for (int s = std::min<int>(stage, static_cast<int>(per_stage.size()) - 1); s >= 0; --s)
        if (is_set(per_stage[s])) return &per_stage[s];
    return nullptr;
}

// Shares of `total` proportional to `weights`, each clamped to [lo, hi], the excess or shortfall
// redistributed among the unclamped (water-filling; at most n rounds).
std::vector<double> clamped_shares(const std::vector<double>& weights, double total, double lo,
                                   double hi) {
    const std::size_t n = weights.size();
    std::vector<double> out(n, 0.0);
    std::vector<bool> fixed(n, false);
    for (std::size_t round = 0; round <= n; ++round) {
        double left = total, free_weight = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (fixed[i])
                left -= out[i];
            else
                free_weight += weights[i];
        }
        bool changed = false;
        for (std::size_t i = 0; i < n; ++i) {
            if (fixed[i]) continue;
            const double share = free_weight > 0 ? left * weights[i] / free_weight : left / n;
            out[i] = share;
            if (share > hi || share < lo) {
                out[i] = share > hi ? hi : lo;
                fixed[i] = true;
                changed = true;
            }
        }
        if (!changed) break;
    }
    return out;
}
}  // namespace

std::vector<double> demand_units(const model::Allocation& rule, int stage,
                                 const std::vector<FundedTeam>& funded, double pool_units,
                                 double units_per_gpu) {
    std::vector<double> units;
    demand_units(rule, stage, funded, pool_units, units_per_gpu, units);
    return units;
}

void demand_units(const model::Allocation& rule, int stage, const std::vector<FundedTeam>& funded,
                  double pool_units, double units_per_gpu, std::vector<double>& units) {
    const std::size_t n = funded.size();
    units.assign(n, 0.0);
    if (n == 0) return;
    switch (rule.rule) {
        case model::AllocationRule::per_stage_quota: {
            const int* q = latest(rule.quota, stage, [](int v) { return v >= 0; });
            for (double& u : units) u = q ? *q * units_per_gpu : 0.0;
            break;
        }
        case model::AllocationRule::equal_share:
            for (double& u : units) u = pool_units / static_cast<double>(n);
            break;
        case model::AllocationRule::rank_tiered: {
            const auto* tiers =
                latest(rule.tiers, stage, [](const std::vector<int>& t) { return !t.empty(); });
            for (std::size_t i = 0; i < n; ++i)
                units[i] = tiers && i < tiers->size() ? (*tiers)[i] * units_per_gpu : 0.0;
            break;
        }
        case model::AllocationRule::score_proportional: {
            std::vector<double> weights(n);
            for (std::size_t i = 0; i < n; ++i)
                weights[i] = std::pow(std::max(0.0, funded[i].score), rule.power);
            units = clamped_shares(weights, pool_units, rule.floor * units_per_gpu,
                                   rule.cap * units_per_gpu);
            break;
        }
    }
    for (std::size_t i = 0; i < n; ++i) units[i] += funded[i].extra_units;
}

}  // namespace kaisim::policy
