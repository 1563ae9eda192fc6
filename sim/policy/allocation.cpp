#include "kaisim/policy/allocation.hpp"

#include <algorithm>

namespace kaisim::policy {

std::vector<TeamAllocation> allocate(const model::Allocation& rule, const std::vector<int>& capacity,
                                     const std::vector<int>& funded, int quota) {
    const int n = static_cast<int>(funded.size());
    std::vector<TeamAllocation> out(funded.size(), TeamAllocation{std::vector<int>(capacity.size(), 0), 0});
    if (n == 0) return out;
    switch (rule.rule) {
        case model::AllocationRule::per_stage_quota: {
            // Teams are served in priority order; whoever comes last bears any shortage.
            int left = capacity.at(rule.gpu_type);
            for (auto& a : out) {
                const int got = std::min(quota, left);
                a.gpus[rule.gpu_type] = got;
                a.unmet = quota - got;
                left -= got;
            }
            break;
        }
        case model::AllocationRule::equal_share:
            // Equal shares of each type; the remainder goes one GPU each to the best-ranked.
            for (std::size_t t = 0; t < capacity.size(); ++t) {
                const int share = capacity[t] / n, rest = capacity[t] % n;
                for (int i = 0; i < n; ++i) out[i].gpus[t] = share + (i < rest ? 1 : 0);
            }
            break;
    }
    return out;
}

}  // namespace kaisim::policy
