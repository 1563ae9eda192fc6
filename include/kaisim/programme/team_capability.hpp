#pragma once
#include <cstdint>

#include "kaisim/model/capability.hpp"
#include "kaisim/programme/race_state.hpp"

namespace kaisim::programme {

/// The best model a team can train now and its ability.
struct Capability {
    model::TrainedModel model;
    double theta = 0;  ///< logits
};

/// Team i's compute efficiency now: skill x (1 + kappa ln(1 + hired / base researchers)).
double efficiency(const RaceState& st, std::uint32_t i);

/// Team i's effective compute now, FLOP: prior compute at its skill, plus its flagship share of
/// the programme compute at the efficiency it had when it trained.
double effective_compute(const RaceState& st, std::uint32_t i);

/// Unique tokens team i holds now, all domains.
double unique_tokens(const RaceState& st, std::uint32_t i);

/// The loss-minimising model team i can train now under its data limit, and its ability.
Capability capability(const RaceState& st, std::uint32_t i);

/// Team i's ability in domain `d`, logits, given its general ability `theta`.
double domain_theta(const RaceState& st, std::uint32_t i, double theta, std::size_t d);

/// What team i has and can train now, as the outputs report it.
CapabilitySnapshot snapshot(const RaceState& st, std::uint32_t i);

}  // namespace kaisim::programme
