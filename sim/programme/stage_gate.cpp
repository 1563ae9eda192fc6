#include "kaisim/programme/stage_gate.hpp"

#include <algorithm>
#include <cmath>

#include "kaisim/core/rng.hpp"
#include "kaisim/eval/stage_evaluation.hpp"
#include "kaisim/programme/team_capability.hpp"

namespace kaisim::programme {

namespace {
double logit(double q) {
    return std::log(q / (1.0 - q));
}
}  // namespace

bool eligible_for(const RaceState& st, const model::Stage& stage, std::uint32_t i) {
    const TeamState& t = st.teams[i];
    if (st.sc->teams[i].entry_h > st.now_h) return false;
    switch (stage.eligible) {
        case model::Eligibility::all: return true;
        case model::Eligibility::survivors: return t.in_race;
        // A team disqualified for a rule violation does not come back through a wildcard.
        case model::Eligibility::wildcard:
            return (!t.in_race || t.last_stage < 0) && !t.disqualified;
        // A wildcard's list names applicants: a listed team already in the race is not one.
        case model::Eligibility::listed:
            if (stage.wildcard && ((t.in_race && t.last_stage >= 0) || t.disqualified))
                return false;
            return std::find(stage.listed.begin(), stage.listed.end(), static_cast<int>(i)) !=
                   stage.listed.end();
    }
    return false;
}

void gather_stage_inputs(const RaceState& st, int s, StageInputs& in) {
    const model::Scenario& sc = *st.sc;
    const model::Stage& stage = sc.stages[s];
    in.stage = s;
    in.eligible.clear();
    for (std::uint32_t i = 0; i < st.teams.size(); ++i)
        if (eligible_for(st, stage, i)) in.eligible.push_back(static_cast<int>(i));
    const std::uint32_t n = static_cast<std::uint32_t>(in.eligible.size());
    const std::uint32_t stride = 1 + static_cast<std::uint32_t>(sc.domains.size());
    in.pairs.resize(n);
    in.abilities.resize(static_cast<std::size_t>(n) * stride);
    in.proposal.resize(n);
    in.report.resize(n);
    in.truth.resize(n);
    in.tie_keys.resize(n);
    in.disqualified.assign(n, false);
    const core::RngStream lottery(sc.seed, st.replicate, core::Stream::tie_break);
    const core::RngStream originality(sc.seed, st.replicate, core::Stream::disqualification);
    for (std::uint32_t k = 0; k < n; ++k) {
        const std::uint32_t i = static_cast<std::uint32_t>(in.eligible[k]);
        const Capability cap = capability(st, i);
        in.pairs[k] = {st.replicate, i};
        in.truth[k] = cap.theta;
        in.abilities[k * stride] = static_cast<float>(cap.theta);
        for (std::size_t d = 0; d < sc.domains.size(); ++d)
            in.abilities[k * stride + 1 + d] =
                static_cast<float>(domain_theta(st, i, cap.theta, d));
        in.proposal[k] = static_cast<float>(logit(sc.teams[i].proposal_quality));
        in.report[k] = static_cast<float>(logit(sc.teams[i].report_quality));
        in.tie_keys[k] = stage.tie_break == model::TieBreak::lottery ? lottery.uniform(s, i) : k;
        if (stage.rules.disqualification)
            in.disqualified[k] = originality.uniform(s, i) < sc.teams[i].originality_violation_p;
    }
}

void apply_gate(RaceState& st, const StageInputs& in, const double* flat, GateDecision& g) {
    const int s = in.stage;
    const model::Stage& stage = st.sc->stages[s];
    const eval::StagePlan& plan = st.prepared->plans[s];
    const std::uint32_t n = static_cast<std::uint32_t>(in.eligible.size());
    const std::size_t nc = plan.components.size();
    int places = -1;
    if (stage.fill_to >= 0) {  // a wildcard that fills the field back to a size, maybe not at all
        const int in_race = static_cast<int>(
            std::count_if(st.teams.begin(), st.teams.end(),
                          [](const TeamState& t) { return t.in_race && t.last_stage >= 0; }));
        places = std::clamp(stage.fill_to - in_race, 0, stage.keep);
    }
    eval::StageRanking& scores = g.ranking;
    eval::rank_and_cut(stage, n, flat, plan.frontier_value, in.tie_keys, in.disqualified, places,
                       scores);

    g.record = StageRecord{};
    g.cut.clear();
    g.cut_funded.clear();
    g.to_fund.clear();
    StageRecord& rec = g.record;
    rec.stage = s;
    rec.places = places;
    rec.theta_frontier = st.prepared->theta_frontier[s];
    g.kept.assign(n, false);
    rec.rows.reserve(n);
    for (std::uint32_t k = 0; k < n; ++k) {
        g.kept[k] = scores.outcome[k] == eval::Outcome::advanced ||
                    scores.outcome[k] == eval::Outcome::admitted;
        const int i = in.eligible[k];
        rec.rows.push_back(
            StageTeamRow{i, scores.total[k], scores.rank[k], scores.outcome[k], in.truth[k],
                         st.sc->teams[i].flagship_share * st.teams[i].training.flops()});
    }
    rec.components = nc;
    rec.points.assign(scores.points.begin(),
                      scores.points.begin() + static_cast<std::ptrdiff_t>(n * nc));
    rec.selection_correct = eval::kept_are_strongest(in.truth, g.kept);

    const bool funds = s >= st.sc->policy.funding_from_stage;
    st.last_stage = s;
    for (std::uint32_t k = 0; k < n; ++k) {
        const int i = in.eligible[k];
        TeamState& t = st.teams[i];
        t.last_stage = s;
        if (stage.wildcard && !g.kept[k]) continue;  // a wildcard changes nothing for the others
        // One footing for a shortage served in order: a wildcard's admitted teams come after
        // every team already in the race, which keeps the rank of the stage that kept it.
        t.priority = (stage.wildcard ? static_cast<int>(st.teams.size()) : 0) + scores.rank[k];
        t.score = scores.total[k];
        if (scores.outcome[k] == eval::Outcome::disqualified) t.disqualified = true;
        if (!g.kept[k]) {
            if (t.funded) g.cut_funded.push_back(i);
            g.cut.push_back(i);
            t.in_race = false;
        } else {
            t.in_race = true;
            if (funds && !t.funded) g.to_fund.push_back(i);
        }
    }
}

GateDecision apply_gate(RaceState& st, const StageInputs& in, const double* raw) {
    GateDecision g;
    apply_gate(st, in, raw, g);
    return g;
}

}  // namespace kaisim::programme
