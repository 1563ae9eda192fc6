#include "kaisim/programme/prepared_scenario.hpp"

#include <cmath>

#include "kaisim/eval/item_bank.hpp"

namespace kaisim::programme {

double frontier_ability(const model::Scenario& sc, double t_h) {
    const double flops = sc.frontier.flops_at_start *
                         std::pow(sc.frontier.growth_per_year, t_h / core::hours_per_year);
    return model::ability_from_loss(sc.law, sc.scale, model::compute_optimal(sc.law, flops).loss);
}

PreparedScenario prepare(const model::Scenario& sc) {
    PreparedScenario p;
    p.scenario = &sc;
    p.ref_loss = model::compute_optimal(sc.law, sc.scale.ref_flops).loss;
    // The most a team could spend on processing: the whole programme at the base rate.
    std::vector<std::vector<int>> membership;
    std::vector<std::vector<double>> raw;
    std::vector<double> prices, budgets;
    for (const auto& t : sc.teams) {
        membership.push_back(t.partners);
        budgets.push_back(sc.policy.data.processing_krw_per_year * sc.end_h / core::hours_per_year);
    }
    for (const auto& partner : sc.partners) raw.push_back(partner.raw_tokens);
    for (const auto& d : sc.domains) prices.push_back(d.processing_krw_per_mtok);
    p.consortia = policy::split_partner_data(membership, raw, prices, budgets);
    p.banks = eval::draw_item_banks(sc.benchmarks, sc.seed);
    for (std::uint32_t s = 0; s < sc.stages.size(); ++s) {
        p.theta_frontier.push_back(frontier_ability(sc, sc.stages[s].t_h));
        p.plans.push_back(eval::make_stage_plan(sc, s, p.banks, p.theta_frontier.back()));
    }
    return p;
}

}  // namespace kaisim::programme
