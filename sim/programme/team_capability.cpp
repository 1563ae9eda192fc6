#include "kaisim/programme/team_capability.hpp"

#include <cmath>
#include <numeric>

namespace kaisim::programme {

double efficiency(const RaceState& st, std::uint32_t i) {
    const TeamState& s = st.teams[i];
    return s.skill * (1.0 + st.sc->policy.talent.kappa *
                                std::log1p(s.researchers / st.sc->teams[i].base_researchers));
}

double effective_compute(const RaceState& st, std::uint32_t i) {
    return st.teams[i].prior_flops * st.teams[i].skill +
           st.sc->teams[i].flagship_share * st.teams[i].training.effective_flops();
}

double unique_tokens(const RaceState& st, std::uint32_t i) {
    return std::accumulate(st.teams[i].tokens.begin(), st.teams[i].tokens.end(), 0.0);
}

Capability capability(const RaceState& st, std::uint32_t i) {
    Capability cap;
    cap.model = model::best_model(st.sc->law, effective_compute(st, i), unique_tokens(st, i));
    cap.theta =
        model::ability_from_loss(st.sc->law, st.sc->scale, cap.model.loss, st.prepared->ref_loss);
    return cap;
}

double domain_theta(const RaceState& st, std::uint32_t i, double theta, std::size_t d) {
    const model::Domain& dom = st.sc->domains[d];
    return model::domain_ability(theta, dom.gamma, st.teams[i].tokens[d], dom.tau_tokens);
}

CapabilitySnapshot snapshot(const RaceState& st, std::uint32_t i) {
    const Capability cap = capability(st, i);
    return CapabilitySnapshot{st.teams[i].training.flops(),
                              effective_compute(st, i),
                              cap.model.params,
                              unique_tokens(st, i),
                              cap.theta,
                              st.teams[i].researchers};
}

}  // namespace kaisim::programme
