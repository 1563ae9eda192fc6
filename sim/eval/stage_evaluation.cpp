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

namespace {
// Points of one component: `n` raw values (`raw[i * stride]`) normalised and weighted into
// `out[i * stride]`.
void points_of(const model::Component& comp, const double* raw, std::size_t n, std::size_t stride,
               double frontier_value, double* out) {
    if (n == 0) return;
    double mn = raw[0], mx = raw[0];
    for (std::size_t i = 1; i < n; ++i) {
        mn = std::min(mn, raw[i * stride]);
        mx = std::max(mx, raw[i * stride]);
    }
    for (std::size_t i = 0; i < n; ++i) {
        double v = raw[i * stride];
        switch (comp.normalisation) {
            case model::Normalisation::raw: break;
            case model::Normalisation::relative_to_best: v = mx > 0 ? v / mx : 0; break;
            case model::Normalisation::relative_to_target: {
                const double target = comp.target_is_frontier ? frontier_value : comp.target;
                v = target > 0 ? std::min(1.0, v / target) : 0;
                break;
            }
            case model::Normalisation::min_max: v = mx > mn ? (v - mn) / (mx - mn) : 1.0; break;
        }
        out[i * stride] = v * comp.weight;
    }
}
}  // namespace

std::vector<double> component_points(const model::Component& comp, const std::vector<double>& raw,
                                     double frontier_value) {
    std::vector<double> pts(raw.size(), 0.0);
    points_of(comp, raw.data(), raw.size(), 1, frontier_value, pts.data());
    return pts;
}

void rank_and_cut(const model::Stage& stage, std::size_t n, const double* raw,
                  const std::vector<double>& frontier_value, const std::vector<double>& tie_keys,
                  const std::vector<bool>& disqualified, int places, StageRanking& s) {
    const std::size_t nc = stage.components.size();
    KAISIM_ASSERT(tie_keys.size() == n && disqualified.size() == n && frontier_value.size() == nc);
    s.points.assign(n * nc, 0.0);
    s.total.assign(n, 0.0);
    s.rank.clear();
    s.outcome.clear();
    if (n == 0) return;  // (and `raw`, maybe null, is not offset)
    for (std::size_t c = 0; c < nc; ++c)
        points_of(stage.components[c], raw + c, n, nc, frontier_value[c], s.points.data() + c);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t c = 0; c < nc; ++c) s.total[i] += s.points[i * nc + c];
    // Pass rules: a minimum total, and the frontier target on one component's raw value.
    const model::StageRules& rules = stage.rules;
    s.passes.assign(n, 1);
    for (std::size_t i = 0; i < n; ++i) {
        if (rules.min_score >= 0 && s.total[i] < rules.min_score) s.passes[i] = 0;
        if (rules.frontier_component >= 0 &&
            raw[i * nc + static_cast<std::size_t>(rules.frontier_component)] <
                rules.frontier_share * frontier_value[rules.frontier_component])
            s.passes[i] = 0;
    }
    s.order.resize(n);
    std::iota(s.order.begin(), s.order.end(), 0);
    std::sort(s.order.begin(), s.order.end(), [&](std::size_t a, std::size_t b) {
        if (s.total[a] != s.total[b]) return s.total[a] > s.total[b];
        if (tie_keys[a] != tie_keys[b]) return tie_keys[a] < tie_keys[b];
        return a < b;
    });
    s.rank.assign(n, 0);
    s.outcome.assign(n, Outcome::eliminated);
    const Outcome kept = stage.wildcard ? Outcome::admitted : Outcome::advanced;
    if (places < 0) places = stage.keep;
    for (std::size_t r = 0; r < n; ++r) {
        const std::size_t i = s.order[r];
        s.rank[i] = static_cast<int>(r) + 1;
        const bool eligible = !disqualified[i] && s.passes[i];
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
}

StageScores rank_and_cut(const model::Stage& stage, const std::vector<int>& teams,
                         std::vector<std::vector<double>> raw,
                         const std::vector<double>& frontier_value,
                         const std::vector<double>& tie_keys, const std::vector<bool>& disqualified,
                         int places) {
    const std::size_t n = teams.size(), nc = stage.components.size();
    KAISIM_ASSERT(raw.size() == n);
    std::vector<double> flat(n * nc);
    for (std::size_t i = 0; i < n; ++i) {
        KAISIM_ASSERT(raw[i].size() == nc);
        std::copy(raw[i].begin(), raw[i].end(), flat.begin() + static_cast<std::ptrdiff_t>(i * nc));
    }
    StageRanking r;
    rank_and_cut(stage, n, flat.data(), frontier_value, tie_keys, disqualified, places, r);
    StageScores s;
    s.teams = teams;
    s.raw = std::move(raw);
    for (std::size_t i = 0; i < n; ++i)
        s.points.emplace_back(r.points.begin() + static_cast<std::ptrdiff_t>(i * nc),
                              r.points.begin() + static_cast<std::ptrdiff_t>((i + 1) * nc));
    s.total = std::move(r.total);
    s.rank = std::move(r.rank);
    s.outcome = std::move(r.outcome);
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
