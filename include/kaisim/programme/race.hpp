#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "kaisim/core/engine.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/programme/race_state.hpp"
#include "kaisim/programme/result.hpp"
#include "kaisim/programme/stage_gate.hpp"

namespace kaisim::programme {

/// One replicate of the programme: its state and its events, dispatched in (time, kind,
/// sequence) order to the programme's parts. A stage date suspends the race so that a driver can
/// score the stage for many replicates at once:
///
///     race.start();
///     for (int s = race.next_stage(); s >= 0; s = race.next_stage())
///         race.complete_stage(raw_scores_of(race.stage_inputs()));
///     Result r = race.take_result();
class Race {
  public:
    /// `budget_scale`: one factor per budget on quotas and money (cap mode; 1 = as planned).
    Race(const PreparedScenario& prepared, std::uint32_t replicate, bool record_timeline,
         std::vector<double> budget_scale);

    /// Makes this race the one the constructor would make, reusing its storage: a driver that
    /// keeps its races allocates nothing for the simulation of the next replicates (only their
    /// results).
    void reset(const PreparedScenario& prepared, std::uint32_t replicate, bool record_timeline,
               std::span<const double> budget_scale);

    /// Schedules the programme's events; call once before next_stage().
    void start();

    /// Runs events up to the next stage date and gathers that stage's scoring inputs; returns the
    /// stage, or -1 when the programme has ended (and the result is complete).
    int next_stage();

    /// The scoring inputs of the stage reached by next_stage().
    const StageInputs& stage_inputs() const { return pending_; }

    /// Applies the stage's raw component values (eligible teams x components, row by row): the
    /// gate's cut, the funding it starts or ends, the freed quota, a reallocation.
    void complete_stage(const double* raw);

    /// The state of the race now.
    const RaceState& state() const { return st_; }

    /// The result; valid once next_stage() returned -1.
    Result take_result() { return std::move(result_); }

  private:
    void handle(const core::Event& e);
    void sample();
    void finish();

    RaceState st_;
    bool timeline_;
    core::Engine engine_;
    StageInputs pending_;
    GateDecision gate_;  ///< the last stage's decision (storage reused)
    Result result_;
};

}  // namespace kaisim::programme
