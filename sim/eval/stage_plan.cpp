#include "kaisim/eval/stage_plan.hpp"

#include <cmath>

#include "kaisim/core/error.hpp"
#include "kaisim/eval/item_bank.hpp"

namespace kaisim::eval {

namespace {
// Counter word: 12 bits of stage, 10 of component, 10 of benchmark slot.
std::uint32_t counter_key(std::uint32_t stage, std::uint32_t comp, std::uint32_t slot) {
    KAISIM_ASSERT(stage < 4096 && comp < 1024 && slot < 1024);
    return (stage << 20) | (comp << 10) | slot;
}
double logistic(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}
}  // namespace

ScoringBatch StagePlan::batch(std::uint32_t seed) const {
    ScoringBatch b;
    b.seed = seed;
    b.components = components.data();
    b.n_components = static_cast<std::uint32_t>(components.size());
    b.benches = benches.data();
    b.n_benches = static_cast<std::uint32_t>(benches.size());
    b.items = items.data();
    b.n_items = static_cast<std::uint32_t>(items.size());
    return b;
}

StagePlan make_stage_plan(const model::Scenario& sc, std::uint32_t stage,
                          const std::vector<std::vector<ItemParams>>& banks,
                          double theta_frontier) {
    StagePlan plan;
    const model::Stage& st = sc.stages.at(stage);
    for (std::uint32_t c = 0; c < st.components.size(); ++c) {
        const model::Component& comp = st.components[c];
        ComponentPlan cp{};
        cp.key = counter_key(stage, c, 0);
        cp.domain = comp.domain;
        double frontier = 0;
        switch (comp.kind) {
            case model::ComponentKind::benchmarks: {
                cp.kind = PlanKind::benchmarks;
                cp.first_bench = static_cast<std::uint32_t>(plan.benches.size());
                cp.n_bench = static_cast<std::uint32_t>(comp.benchmarks.size());
                for (std::uint32_t k = 0; k < comp.benchmarks.size(); ++k) {
                    const auto& bank = banks.at(comp.benchmarks[k]);
                    plan.benches.push_back(BenchPlan{static_cast<std::uint32_t>(plan.items.size()),
                                                     static_cast<std::uint32_t>(bank.size()),
                                                     sc.benchmarks[comp.benchmarks[k]].domain,
                                                     counter_key(stage, c, k)});
                    plan.items.insert(plan.items.end(), bank.begin(), bank.end());
                    frontier += expected_score(bank, theta_frontier);
                }
                if (cp.n_bench) frontier /= cp.n_bench;
                break;
            }
            case model::ComponentKind::user_eval:
                cp.kind = PlanKind::users;
                cp.users = static_cast<std::uint32_t>(comp.users);
                cp.reference_offset = static_cast<float>(comp.reference_offset);
                frontier = logistic(-comp.reference_offset);
                break;
            case model::ComponentKind::expert_panel:
            case model::ComponentKind::review:
                cp.kind = PlanKind::panel;
                cp.judges = static_cast<std::uint32_t>(comp.judges);
                cp.noise_sd = static_cast<float>(comp.noise_sd);
                cp.bias_sd = static_cast<float>(comp.bias_sd);
                cp.trimmed = comp.aggregation == model::Aggregation::trimmed_mean ? 1 : 0;
                cp.ability_weight = static_cast<float>(comp.ability_weight);
                cp.proposal_weight = static_cast<float>(comp.proposal_weight);
                cp.report_weight = static_cast<float>(comp.report_weight);
                cp.reference_offset = static_cast<float>(comp.reference_offset);
                // The frontier lab as a judge would see it: frontier ability, average proposal.
                frontier = logistic(-comp.ability_weight * comp.reference_offset);
                break;
        }
        plan.components.push_back(cp);
        plan.frontier_value.push_back(frontier);
    }
    return plan;
}

}  // namespace kaisim::eval
