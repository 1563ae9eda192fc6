#include "kaisim/programme/race_state.hpp"

#include <algorithm>
#include <cmath>

#include "kaisim/core/rng.hpp"

namespace kaisim::programme {

RaceState::RaceState(const PreparedScenario& p, std::uint32_t rep, std::vector<double> scale) {
    reset(p, rep, scale);
}

void RaceState::reset(const PreparedScenario& p, std::uint32_t rep, std::span<const double> scale) {
    // Every field is set anew; vectors are refilled in place, so a state used again for
    // replicate after replicate of one scenario allocates nothing.
    prepared = &p;
    sc = p.scenario;
    replicate = rep;
    calendar = sc->calendar();
    now_h = pool_h = 0;
    tranche_active.assign(sc->pool.size(), false);
    pool_gpus = 0;
    budget_scale.assign(scale.begin(), scale.end());
    data = sc->policy.data;
    talent_krw_per_year = sc->policy.talent.krw_per_year;
    last_stage = 0;
    ledger.reset(static_cast<int>(sc->teams.size()), sc->policy.budgets);
    pool = PoolUsage{};
    // Orders in transit: none; the places (and their token vectors) are kept, all free, the
    // first to be used first.
    free_orders.clear();
    for (std::size_t k = orders.size(); k-- > 0;) free_orders.push_back(k);
    const std::size_t nd = sc->domains.size();
    const core::RngStream draws(sc->seed, replicate, core::Stream::team_draws);
    teams.resize(sc->teams.size());
    for (std::uint32_t i = 0; i < sc->teams.size(); ++i) {
        const model::Team& t = sc->teams[i];
        TeamState& s = teams[i];
        std::vector<int> gpus = std::move(s.gpus);
        std::vector<double> tokens = std::move(s.tokens);
        s = TeamState{};
        s.skill = t.skill * std::exp(sc->variation.skill_log_sd * draws.normal(i, 0));
        s.prior_flops =
            t.prior_flops * std::exp(sc->variation.prior_flops_log_sd * draws.normal(i, 1));
        s.gpus = std::move(gpus);
        s.gpus.assign(sc->gpu_types.size(), 0);
        s.tokens = std::move(tokens);
        s.tokens.assign(t.tokens.begin(), t.tokens.end());
        s.tokens.resize(nd, 0.0);
        s.in_race = t.entry_h <= 0;  // newcomers join the race only through a stage
    }
    // Partner raw data each team may process: its share of the consortium split.
    raw_left.resize(sc->teams.size());
    for (std::vector<double>& row : raw_left) row.assign(nd, 0.0);
    for (const auto& per_team : p.consortia.tokens)
        for (std::size_t i = 0; i < per_team.size(); ++i)
            for (std::size_t d = 0; d < nd; ++d) raw_left[i][d] += per_team[i][d];
}

double RaceState::quota_units_per_gpu() const {
    return sc->gpu_types[sc->policy.allocation.gpu_type].units;
}

double RaceState::scale_now(model::Category c) const {
    double f = 1;
    for (std::size_t b = 0; b < sc->policy.budgets.size(); ++b) {
        const model::Budget& bud = sc->policy.budgets[b];
        if (bud.category == c && now_h >= bud.from_h && now_h < bud.to_h)
            f = std::min(f, budget_scale[b]);
    }
    return f;
}

}  // namespace kaisim::programme
