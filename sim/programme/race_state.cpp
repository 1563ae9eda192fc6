#include "kaisim/programme/race_state.hpp"

#include <algorithm>
#include <cmath>

#include "kaisim/core/rng.hpp"

namespace kaisim::programme {

RaceState::RaceState(const PreparedScenario& p, std::uint32_t rep, std::vector<double> scale)
    : prepared(&p),
      sc(p.scenario),
      replicate(rep),
      calendar(sc->calendar()),
      tranche_active(sc->pool.size(), false),
      budget_scale(std::move(scale)),
      data(sc->policy.data),
      talent_krw_per_year(sc->policy.talent.krw_per_year),
      ledger(static_cast<int>(sc->teams.size()), model::budget_windows(sc->policy.budgets)) {
    const std::size_t nd = sc->domains.size();
    const core::RngStream draws(sc->seed, replicate, core::Stream::team_draws);
    for (std::uint32_t i = 0; i < sc->teams.size(); ++i) {
        const model::Team& t = sc->teams[i];
        TeamState s;
        s.skill = t.skill * std::exp(sc->variation.skill_log_sd * draws.normal(i, 0));
        s.prior_flops =
            t.prior_flops * std::exp(sc->variation.prior_flops_log_sd * draws.normal(i, 1));
        s.gpus.assign(sc->gpu_types.size(), 0);
        s.tokens = t.tokens;
        s.in_race = t.entry_h <= 0;  // newcomers join the race only through a stage
        s.tokens.resize(nd, 0.0);
        teams.push_back(std::move(s));
    }
    // Partner raw data each team may process: its share of the consortium split.
    raw_left.assign(sc->teams.size(), std::vector<double>(nd, 0.0));
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
