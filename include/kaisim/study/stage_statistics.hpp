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
    first,    ///< 1 when the team named is first on total, else 0
    /// 1 when the team named advanced (or was admitted) at the stage, 0 when it was evaluated
    /// there and did not; NaN when it was not evaluated there (a fact given that it was)
    passed,
    /// 1 when the team named was disqualified at the stage, 0 when evaluated and not; NaN
    /// when not evaluated there
    disqualified,
    /// log10 of the training compute (FLOP) of the model the team named was evaluated on at
    /// the stage (StageTeamRow::flagship_flops); NaN when not evaluated there
    compute,
    /// the true ability (logits) of the team named at the stage, which the evaluators never
    /// see: a tracked quantity, reported and never observed; NaN when not evaluated there
    ability,
    /// the total points of the team named at the stage; NaN when not evaluated there
    points,
};

/// Whether a statistic is a 0/1 fact (its value is 0 or 1 where defined).
bool is_indicator(StatisticKind k);

/// A published figure, as a calibration compares it with each simulated replicate.
struct Observation {
    std::string name;
    StatisticKind kind = StatisticKind::value;
    std::string stage;                    ///< stage id
    std::vector<std::string> components;  ///< component ids summed (empty: the total)
    std::vector<std::string> teams;       ///< top_set, last
    double value = 0;                     ///< the observed figure (compute: FLOP)
    /// How much the statistic counts in a likelihood calibration (its log-likelihood times
    /// this), >= 0.
    double weight = 1;
    /// Measurement error of the observed figure, in the statistic's units (compute: log10
    /// FLOP), added in quadrature to the simulated spread by a likelihood calibration.
    double sd = 0;
    /// A quantity the calibration reports (its prior- and posterior-predictive range) but does
    /// not fit: weight 0, no observed value.
    bool tracked = false;
    /// A `passed` fact at a gate that keeps a fixed number on total points: the name of the
    /// tracked `points` observation of its team there (added by the loader), through which a
    /// likelihood calibration scores the stage's passed facts jointly (who outscored whom);
    /// empty: scored on its own.
    std::string gate_points;
    std::string file;  ///< where it is stated, for errors
    int line = 0, col = 0;
};

/// An observation resolved against a scenario's ids.
struct ResolvedObservation {
    StatisticKind kind = StatisticKind::value;
    int stage = -1;
    std::vector<int> components;
    std::vector<int> teams;
};

/// Whether the passed facts of `stage` can be scored jointly, as "every team that passed
/// outscored every team that did not": the stage keeps a fixed number on total points alone
/// (no wildcard, no disqualification, no minimum score or frontier target).
bool is_points_gate(const model::Stage& stage);

/// Resolves the observations' stage, component and team ids; an unknown id throws InputError
/// at the observation's line.
std::vector<ResolvedObservation> resolve_observations(const model::Scenario& sc,
                                                      const std::vector<Observation>& obs);

/// Each observation's value in one replicate; NaN where the replicate did not reach the stage.
std::vector<double> stage_statistics(const programme::Result& r,
                                     const std::vector<ResolvedObservation>& obs);

}  // namespace kaisim::study
