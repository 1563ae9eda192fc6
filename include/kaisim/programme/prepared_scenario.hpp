#pragma once
#include <vector>

#include "kaisim/eval/stage_plan.hpp"
#include "kaisim/model/scenario.hpp"
#include "kaisim/policy/consortium_graph.hpp"

namespace kaisim::programme {

/// What every replicate of a scenario shares: item banks and stage plans (drawn once per seed).
struct PreparedScenario {
    const model::Scenario* scenario = nullptr;
    std::vector<std::vector<eval::ItemParams>> banks;
    std::vector<eval::StagePlan> plans;  ///< per stage
    std::vector<double> theta_frontier;  ///< per stage, logits
    policy::ConsortiumSplit consortia;   ///< partners' raw data split among their consortia
    double ref_loss = 0;  ///< loss of the ability scale's reference model (ability 0)
};

/// Draws the item banks and builds the stage plans; the scenario must outlive the result.
PreparedScenario prepare(const model::Scenario& sc);

/// Frontier ability at `t_h` hours since the start, logits.
double frontier_ability(const model::Scenario& sc, double t_h);

}  // namespace kaisim::programme
