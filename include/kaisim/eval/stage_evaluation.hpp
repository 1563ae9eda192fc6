#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kaisim/model/stage.hpp"

namespace kaisim::eval {

/// What a stage decided for a team.
enum class Outcome { advanced, eliminated, disqualified, admitted };
const char* outcome_name(Outcome o);

/// A stage's result over its eligible teams (all vectors indexed by eligible position).
struct StageScores {
    std::vector<int> teams;                   ///< scenario team indices, in eligible order
    std::vector<std::vector<double>> raw;     ///< raw component values
    std::vector<std::vector<double>> points;  ///< normalised x weight
    std::vector<double> total;                ///< sum of points
    std::vector<int> rank;                    ///< 1 = best
    std::vector<Outcome> outcome;
};

/// Points of one component for all teams: `raw` normalised as `comp` says, times its weight.
/// `frontier_value` is the target of relative_to_target when the target is the frontier.
std::vector<double> component_points(const model::Component& comp, const std::vector<double>& raw,
                                     double frontier_value);

/// Normalises, weights, ranks (by total, ties by `tie_keys` ascending) and keeps the top
/// `stage.keep` (`admitted` at a wildcard stage). `raw[i][c]` is team i's raw value of component
/// c; `disqualified[i]` marks teams disqualified at this stage. The stage's rules apply: a team
/// below `min_score` or short of the frontier target is eliminated; a disqualified or failing
/// team's place stays vacant or is refilled, as the rules say. `places` >= 0 keeps that many
/// instead of `stage.keep` (a wildcard that fills the field back to a size).
StageScores rank_and_cut(const model::Stage& stage, const std::vector<int>& teams,
                         std::vector<std::vector<double>> raw,
                         const std::vector<double>& frontier_value,
                         const std::vector<double>& tie_keys, const std::vector<bool>& disqualified,
                         int places = -1);

/// A stage's ranking in flat arrays (by eligible position), for the simulation's hot path: the
/// flat rank_and_cut fills it and reuses its storage, so a race that keeps one allocates nothing
/// from stage to stage once it has held as many teams.
struct StageRanking {
    std::vector<double> points;  ///< [i * components + c]: normalised x weight
    std::vector<double> total;   ///< sum of points
    std::vector<int> rank;       ///< 1 = best
    std::vector<Outcome> outcome;
    std::vector<char> passes;        ///< scratch: meets the stage's pass rules
    std::vector<std::size_t> order;  ///< scratch: positions best first
};

/// rank_and_cut over `n` teams' raw values in one flat array (`raw[i * components + c]`), into
/// `out`; the same arithmetic in the same order, hence the same bits.
void rank_and_cut(const model::Stage& stage, std::size_t n, const double* raw,
                  const std::vector<double>& frontier_value, const std::vector<double>& tie_keys,
                  const std::vector<bool>& disqualified, int places, StageRanking& out);

/// Whether the kept teams are the truly strongest: every kept team's true ability is at least
/// that of every team not kept (ties count as correct).
bool kept_are_strongest(const std::vector<double>& true_ability, const std::vector<bool>& kept);

}  // namespace kaisim::eval
