#pragma once
#include <string>
#include <vector>

#include "kaisim/model/scenario.hpp"
#include "kaisim/programme/result.hpp"

namespace kaisim::study {

/// What an observation measures in one stage's score table.
enum class StatisticKind {
    best,     ///< the best team's points (of `components`, or the total)
    mean,     ///< the mean over the teams evaluated
    top_set,  ///< 1 when the top |teams| on total are exactly `teams`, else 0
    last,     ///< 1 when the team named is last on total, else 0
    value,    ///< an analytic model's output (no stage)
};

/// A published figure, as a calibration compares it with each simulated replicate.
struct Observation {
    std::string name;
    StatisticKind kind = StatisticKind::value;
    std::string stage;                    ///< stage id
    std::vector<std::string> components;  ///< component ids summed (empty: the total)
    std::vector<std::string> teams;       ///< top_set, last
    double value = 0;                     ///< the observed figure
    std::string file;                     ///< where it is stated, for errors
    int line = 0, col = 0;
};

/// An observation resolved against a scenario's ids.
struct ResolvedObservation {
    StatisticKind kind = StatisticKind::value;
    int stage = -1;
    std::vector<int> components;
    std::vector<int> teams;
};

/// Resolves the observations' stage, component and team ids; an unknown id throws InputError
/// at the observation's line.
std::vector<ResolvedObservation> resolve_observations(const model::Scenario& sc,
                                                      const std::vector<Observation>& obs);

/// Each observation's value in one replicate; NaN where the replicate did not reach the stage.
std::vector<double> stage_statistics(const programme::Result& r,
                                     const std::vector<ResolvedObservation>& obs);

}  // namespace kaisim::study
