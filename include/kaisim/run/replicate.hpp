#pragma once
#include <cstdint>
#include <vector>

#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/eval/stage_plan.hpp"
#include "kaisim/model/scenario.hpp"
#include "kaisim/policy/consortium_graph.hpp"
#include "kaisim/run/result.hpp"

namespace kaisim::run {

/// What every replicate of a scenario shares: item banks and stage plans (drawn once per seed).
struct PreparedScenario {
    const model::Scenario* scenario = nullptr;
    std::vector<std::vector<eval::ItemParams>> banks;
    std::vector<eval::StagePlan> plans;  ///< per stage
    std::vector<double> theta_frontier;  ///< per stage, logits
    policy::ConsortiumSplit consortia;   ///< partners' raw data split among their consortia
};

/// Draws the item banks and builds the stage plans; the scenario must outlive the result.
PreparedScenario prepare(const model::Scenario& sc);

/// Frontier ability at `t_h` hours since the start, logits.
double frontier_ability(const model::Scenario& sc, double t_h);

/// Runs replicate `replicate` of the programme from start to end, scoring each stage through
/// `backend`. A pure function of (scenario, seed, replicate). Under `budget_mode: cap` the
/// programme is rerun with quotas and money scaled down until every budget fits (or 6 passes).
Result run_replicate(const PreparedScenario& prepared, std::uint32_t replicate,
                     eval::ScoringBackend& backend, bool record_timeline = true);

/// Runs several replicates in lock-step: all advance to each stage date, the whole batch is
/// scored in one backend call per stage, then each applies its cuts and goes on. `threads`
/// advance the replicates between stages. Results are in the order of `replicates` and do not
/// depend on `threads` or on the batch's composition.
std::vector<Result> run_batch(const PreparedScenario& prepared,
                              const std::vector<std::uint32_t>& replicates,
                              eval::ScoringBackend& backend, int threads, bool record_timeline);

}  // namespace kaisim::run
