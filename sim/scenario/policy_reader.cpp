// The scenario reader's policy sections: allocation, lessors, funding, budgets, outputs.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <sstream>

#include "kaisim/core/calendar.hpp"
#include "kaisim/core/error.hpp"
#include "scenario_reader.hpp"

namespace kaisim::io {

void ScenarioReader::policies(const YAML::Node& n) {
    r_.expect_map(n, "policies",
                  {"funding_from", "allocation", "lessors", "funding", "budgets", "budget_mode"});
    auto& p = sc_.policy;
    p.funding_from_stage =
        given(n, "funding_from") ? find_id(n["funding_from"], sc_.stages, "stage") : 0;
    p.allocation.quota.assign(sc_.stages.size(), -1);
    p.allocation.tiers.assign(sc_.stages.size(), {});
    p.funding_changes.assign(sc_.stages.size(), {});
    if (const YAML::Node a = given(n, "allocation")) allocation(a);
    if (const YAML::Node l = given(n, "lessors")) {
        r_.expect_map(l, "policies.lessors", {"bar_leased_until"});
        if (given(l, "bar_leased_until"))
            p.lessors.bar_leased_until_h = programme_hours(l["bar_leased_until"]);
    }
    if (const YAML::Node f = given(n, "funding")) {
        r_.expect_any_map(f, "policies.funding");
        for (auto it = f.begin(); it != f.end(); ++it) {
            const int s = find_id(it->first, sc_.stages, "stage");
            const YAML::Node c = it->second;
            r_.expect_map(c, "a funding change",
                          {"data_purchase_krw_per_year", "data_processing_krw_per_year",
                           "talent_krw_per_year"});
            p.funding_changes[s] = {r_.number(c, "data_purchase_krw_per_year", -1, 0, max_krw),
                                    r_.number(c, "data_processing_krw_per_year", -1, 0, max_krw),
                                    r_.number(c, "talent_krw_per_year", -1, 0, max_krw)};
        }
    }
    if (const YAML::Node bs = given(n, "budgets")) {
        r_.expect_seq(bs, "budgets");
        for (const auto& b : bs) {
            r_.expect_map(b, "a budget", {"category", "from", "to", "fiscal_year", "krw"});
            model::Budget budget;
            budget.category = static_cast<model::Category>(
                r_.choice(r_.required(b, "category", "a budget"), {"gpu", "data", "talent"}));
            if (const YAML::Node fy = given(b, "fiscal_year")) {
                if (given(b, "from") || given(b, "to"))
                    r_.fail(fy, "give a budget either fiscal_year or from/to, not both");
                const int year = static_cast<int>(r_.integer(fy, 1900, 3000));
                budget.from_h = std::clamp(cal_.year_start(year), 0.0, sc_.end_h);
                budget.to_h = std::clamp(cal_.year_start(year + 1), 0.0, sc_.end_h);
                budget.last_day_h =
                    std::min(cal_.year_start(year + 1) - core::hours_per_day, sc_.end_h);
                if (budget.to_h <= budget.from_h)
                    r_.fail(fy,
                            "fiscal year " + std::to_string(year) + " is outside the programme");
            } else {
                budget.from_h = given(b, "from") ? programme_hours(b["from"]) : 0;
                // `to` is the budget's last day, inclusive ("to H1 2026" ends with 30 June).
                budget.to_h =
                    given(b, "to")
                        ? std::min(programme_hours(b["to"]) + core::hours_per_day, sc_.end_h)
                        : sc_.end_h;
                budget.last_day_h = given(b, "to") ? programme_hours(b["to"]) : sc_.end_h;
                if (budget.to_h <= budget.from_h)
                    r_.fail(given(b, "to") ? b["to"] : b, "budget ends before it starts");
            }
            budget.krw = r_.number(r_.required(b, "krw", "a budget"), 0, 1e17);
            p.budgets.push_back(budget);
        }
    }
    p.budget_mode =
        static_cast<model::BudgetMode>(r_.choice(n, "budget_mode", 0, {"report", "cap"}));
}

void ScenarioReader::allocation(const YAML::Node& a) {
    auto& al = sc_.policy.allocation;
    r_.expect_map(
        a, "policies.allocation",
        {"rule", "gpu_type", "quota", "tiers", "power", "floor", "cap", "cut_gpus", "shortage"});
    al.rule = static_cast<model::AllocationRule>(
        r_.choice(r_.required(a, "rule", "policies.allocation"),
                  {"per_stage_quota", "equal_share", "rank_tiered", "score_proportional"}));
    if (given(a, "gpu_type")) al.gpu_type = find_id(a["gpu_type"], sc_.gpu_types, "GPU type");
    al.cut_gpus = static_cast<model::CutGpus>(
        r_.choice(a, "cut_gpus", 0, {"return_to_pool", "share_among_survivors"}));
    al.shortage =
        static_cast<model::Shortage>(r_.choice(a, "shortage", 0, {"proportional", "priority"}));
    using R = model::AllocationRule;
    // Each rule takes its own keys; a key another rule needs is an error (null unsets it).
    auto only_for = [&](const char* key, R rule) {
        if (a[key] && !a[key].IsNull() && al.rule != rule)
            r_.fail(a[key], std::string("'") + key + "' does not apply to this allocation rule");
    };
    only_for("quota", R::per_stage_quota);
    only_for("tiers", R::rank_tiered);
    only_for("power", R::score_proportional);
    only_for("floor", R::score_proportional);
    only_for("cap", R::score_proportional);
    const int from = sc_.policy.funding_from_stage;
    const std::string from_id = sc_.stages[from].id;
    if (al.rule == R::per_stage_quota || al.rule == R::rank_tiered) {
        const bool quota = al.rule == R::per_stage_quota;
        const char* key = quota ? "quota" : "tiers";
        const YAML::Node q = r_.required(
            a, key, quota ? "a per_stage_quota allocation" : "a rank_tiered allocation");
        r_.expect_any_map(q, key);
        for (auto it = q.begin(); it != q.end(); ++it) {
            const int s = find_id(it->first, sc_.stages, "stage");
            if (s < from)
                r_.fail(it->first, std::string(key) + " set at stage '" + sc_.stages[s].id +
                                       "', before funding starts");
            if (quota) {
                al.quota[s] = static_cast<int>(r_.integer(it->second, 0, max_gpus));
            } else {
                const YAML::Node tiers = it->second;
                r_.expect_seq(tiers, "a rank tier list");
                for (const auto& g : tiers)
                    al.tiers[s].push_back(static_cast<int>(r_.integer(g, 0, max_gpus)));
                if (al.tiers[s].empty())
                    r_.fail(it->second, "a rank tier list needs at least one entry");
            }
        }
        if (quota ? al.quota[from] < 0 : al.tiers[from].empty())
            r_.fail(q, std::string(key) + " must be set at the stage funding starts from ('" +
                           from_id + "')");
    }
    if (al.rule == R::score_proportional) {
        al.power = r_.number(a, "power", 1, 0, 100);
        al.floor = r_.number(a, "floor", 0, 0, static_cast<double>(max_gpus));
        al.cap = r_.number(a, "cap", 1e18, 0, static_cast<double>(max_gpus));
        if (al.cap < al.floor) r_.fail(a["cap"], "cap is below floor");
    }
}

void ScenarioReader::outputs(const YAML::Node& n) {
    r_.expect_map(n, "outputs", {"timeline"});
    sc_.timeline_monthly = r_.choice(n, "timeline", 0, {"monthly", "none"}) == 0;
}

}  // namespace kaisim::io
