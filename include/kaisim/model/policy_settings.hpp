#pragma once
#include <string>
#include <vector>

namespace kaisim::model {

/// How the programme's GPU pool is divided among funded teams.
enum class AllocationRule {
    per_stage_quota,     ///< a fixed quota per funded team, set per stage
    equal_share,         ///< the pool's units split equally among funded teams
    rank_tiered,         ///< a quota by rank at the last stage, set per stage
    score_proportional,  ///< the pool's units in proportion to score^power, within floor and cap
};

/// Who bears a shortage when the pool cannot serve every funded team's demand.
enum class Shortage {
    proportional,  ///< every team gets the same share of its demand (max-min fair under the
                   ///< lessor rules)
    priority,      ///< teams are served in order: incumbents by their last common stage's
                   ///< rank, then a wildcard's admitted teams by their wildcard rank
};

/// What happens to the GPUs of a team that is cut.
enum class CutGpus {
    return_to_pool,         ///< they go back to the pool
    share_among_survivors,  ///< its quota is added in equal parts to the survivors' quotas
};

/// How the pool is divided. Quotas are stated in GPUs of `gpu_type` and served in quota units
/// (GpuType::units), so any type of the pool can serve them.
struct Allocation {
    AllocationRule rule = AllocationRule::equal_share;
    int gpu_type = 0;        ///< type quotas, tiers, floor and cap are stated in
    std::vector<int> quota;  ///< per_stage_quota: GPUs per team from each stage (-1 = keep)
    std::vector<std::vector<int>> tiers;  ///< rank_tiered: per stage, GPUs for rank 1, 2, ...
    double power = 1;                     ///< score_proportional: exponent p of score^p
    double floor = 0;                     ///< score_proportional: least GPUs per funded team
    double cap = 1e18;                    ///< score_proportional: most GPUs per funded team
    CutGpus cut_gpus = CutGpus::return_to_pool;
    Shortage shortage = Shortage::proportional;
};

/// Lessor rules: a lessor never receives its own leased GPUs; this can bar lessors from all
/// leased GPUs until a date.
struct LessorRule {
    double bar_leased_until_h =
        -1;  ///< hours; lessors get no leased GPUs before it (< 0: never barred)
};

/// Data money per funded team.
struct DataFunding {
    double purchase_krw_per_year = 0;    ///< buys licensed tokens at the domains' prices
    double processing_krw_per_year = 0;  ///< turns partners' raw data into tokens
    double lag_h = 0;                    ///< procurement lag, hours
};

/// Talent money per funded team.
struct TalentFunding {
    double krw_per_year = 0;
    double cost_per_researcher_year_krw = 1e9;  ///< > 0 (assumption)
    double lag_h = 0;                           ///< hires start arriving after this, hours
    double mean_search_h = 0;  ///< mean extra time to each hire (exponential), hours
    double kappa = 0;          ///< efficiency gain per unit of ln(1 + hired/base)
    bool continue_after_cut = false;
    double until_h = 0;  ///< talent money stops at this time, hours since start
};

enum class Category { gpu = 0, data = 1, talent = 2 };
inline constexpr int category_count = 3;
const char* category_name(Category c);

/// Data and talent money from a stage on (negative: unchanged).
struct FundingChange {
    double purchase_krw_per_year = -1;
    double processing_krw_per_year = -1;
    double talent_krw_per_year = -1;
};

/// Whether an overspending plan is only reported, or its quotas and money scaled down to fit.
enum class BudgetMode { report, cap };

/// A spending limit for a category over [from_h, to_h): `to_h` is the end of the last day the
/// scenario names (its `to` is inclusive).
struct Budget {
    Category category = Category::gpu;
    double from_h = 0;
    double to_h = 0;
    double krw = 0;
    double last_day_h = 0;  ///< the day shown as its end: `to`, 31 Dec of a fiscal year, or
                            ///< the programme's end date
};

/// Everything the programme decides: who is funded, with what.
struct PolicySettings {
    int funding_from_stage = 0;  ///< teams kept at this stage and after receive resources
    Allocation allocation;
    LessorRule lessors;
    DataFunding data;
    TalentFunding talent;
    std::vector<FundingChange> funding_changes;  ///< per stage (size = stages)
    std::vector<Budget> budgets;
    BudgetMode budget_mode = BudgetMode::report;
};

}  // namespace kaisim::model
