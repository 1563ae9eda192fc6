#include "kaisim/eval/stage_evaluation.hpp"

#include <algorithm>
#include <numeric>

#include "kaisim/core/error.hpp"

namespace kaisim::eval {

const char* outcome_name(Outcome o) {
    switch (o) {
        case Outcome::advanced: return "advanced";
        case Outcome::eliminated: return "eliminated";
        case Outcome::disqualified: return "disqualified";
        case Outcome::admitted: return "admitted";
    }
    return "?";
}

std::vector<double> component_points(const model::Component& comp, const std::vector<double>& raw,
                                     double frontier_value) {
    std::vector<double> pts(raw.size(), 0.0);
    if (raw.empty()) return pts;
    const auto [mn, mx] = std::minmax_element(raw.begin(), raw.end());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        double v = raw[i];
        switch (comp.normalisation) {
            case model::Normalisation::raw: break;
            case model::Normalisation::relative_to_best: v = *mx > 0 ? v / *mx : 0; break;
            case model::Normalisation::relative_to_target: {
                const double target = comp.target_is_frontier ? frontier_value : comp.target;
                v = target > 0 ? std::min(1.0, v / target) : 0;
                break;
            }
            case model::Normalisation::min_max:
                v = *mx > *mn ? (v - *mn) / (*mx - *mn) : 1.0;
                break;
        }
        pts[i] = v * comp.weight;
    }
    return pts;
}

StageScores rank_and_cut(const model::Stage& stage, const std::vector<int>& teams,
                         std::vector<std::vector<double>> raw,
                         const std::vector<double>& frontier_value,
                         const std::vector<double>& tie_keys, const std::vector<bool>& disqualified,
                         int places) {
    const std::size_t n = teams.size(), nc = stage.components.size();
    KAISIM_ASSERT(raw.size() == n && tie_keys.size() == n && disqualified.size() == n &&
                  frontier_value.size() == nc);
    StageScores s;
    s.teams = teams;
    s.points.assign(n, std::vector<double>(nc, 0.0));
    s.total.assign(n, 0.0);
    for (std::size_t c = 0; c < nc; ++c) {
        std::vector<double> column(n);
        for (std::size_t i = 0; i < n; ++i) column[i] = raw[i][c];
        const std::vector<double> pts =
            component_points(stage.components[c], column, frontier_value[c]);
        for (std::size_t i = 0; i < n; ++i) {
            s.points[i][c] = pts[i];
            s.total[i] += pts[i];
        }
    }
    // Pass rules: a minimum total, and the frontier target on one component's raw value.
    const model::StageRules& rules = stage.rules;
    std::vector<bool> passes(n, true);
    for (std::size_t i = 0; i < n; ++i) {
        if (rules.min_score >= 0 && s.total[i] < rules.min_score) passes[i] = false;
        if (rules.frontier_component >= 0 &&
            raw[i][rules.frontier_component] <
                rules.frontier_share * frontier_value[rules.frontier_component])
            passes[i] = false;
    }
    s.raw = std::move(raw);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (s.total[a] != s.total[b]) return s.total[a] > s.total[b];
        if (tie_keys[a] != tie_keys[b]) return tie_keys[a] < tie_keys[b];
        return a < b;
    });
    s.rank.assign(n, 0);
    s.outcome.assign(n, Outcome::eliminated);
    const Outcome kept = stage.wildcard ? Outcome::admitted : Outcome::advanced;
    if (places < 0) places = stage.keep;
    for (std::size_t r = 0; r < n; ++r) {
        const std::size_t i = order[r];
        s.rank[i] = static_cast<int>(r) + 1;
        const bool eligible = !disqualified[i] && passes[i];
        if (disqualified[i]) s.outcome[i] = Outcome::disqualified;
        if (places <= 0) continue;
        // A vacant place is used up by the team that cannot take it; a refilled one is not.
        if (eligible) {
            s.outcome[i] = kept;
            --places;
        } else if (rules.disqualified_slot == model::DisqualifiedSlot::vacant) {
            --places;
        }
    }
    return s;
}

bool kept_are_strongest(const std::vector<double>& true_ability, const std::vector<bool>& kept) {
    KAISIM_ASSERT(true_ability.size() == kept.size());
    double min_kept = 1e300, max_cut = -1e300;
    for (std::size_t i = 0; i < kept.size(); ++i) {
        if (kept[i])
            min_kept = std::min(min_kept, true_ability[i]);
        else
            max_cut = std::max(max_cut, true_ability[i]);
    }
    return min_kept >= max_cut;
}

}  // namespace kaisim::eval
