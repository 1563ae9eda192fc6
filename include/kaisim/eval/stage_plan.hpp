#pragma once
#include <cstdint>
#include <vector>

#include "kaisim/eval/scoring_batch.hpp"
#include "kaisim/model/scenario.hpp"

namespace kaisim::eval {

/// A stage's components and item banks flattened for the scoring backends.
struct StagePlan {
    std::vector<ComponentPlan> components;
    std::vector<BenchPlan> benches;
    std::vector<ItemParams> items;
    /// Expected raw value of the frontier model per component (relative_to_target: frontier).
    std::vector<double> frontier_value;
    /// A batch view over this plan; the caller fills pairs, abilities and qualities.
    ScoringBatch batch(std::uint32_t seed) const;
};

/// Builds the plan of stage `stage` from the scenario's item banks (`banks[b]` for benchmark b)
/// with the frontier at `theta_frontier` (logits).
StagePlan make_stage_plan(const model::Scenario& sc, std::uint32_t stage,
                          const std::vector<std::vector<ItemParams>>& banks, double theta_frontier);

}  // namespace kaisim::eval
