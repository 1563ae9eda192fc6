#pragma once
#include <string>
#include <vector>

namespace kaisim::model {

/// How the programme's GPU pool is divided among funded teams.
enum class AllocationRule {
    per_stage_quota,  ///< a fixed quota per funded team, set per stage
    equal_share,      ///< each GPU type of the pool split equally among funded teams
};

struct Allocation {
    AllocationRule rule = AllocationRule::equal_share;
    int gpu_type = 0;              ///< per_stage_quota: type the quota is stated in
    std::vector<int> quota;        ///< per_stage_quota: GPUs per team after each stage (-1 = keep)
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
    double cost_per_researcher_year_krw = 1;  ///< > 0
    double lag_h = 0;             ///< hires start arriving after this, hours
    double mean_search_h = 0;     ///< mean extra time to each hire (exponential), hours
    double kappa = 0;             ///< efficiency gain per unit of ln(1 + hired/base)
    bool continue_after_cut = false;
    double until_h = 0;           ///< talent money stops at this time, hours since start
};

enum class Category { gpu = 0, data = 1, talent = 2 };
inline constexpr int category_count = 3;
const char* category_name(Category c);

/// A spending limit for a category over [from_h, to_h).
struct Budget {
    Category category = Category::gpu;
    double from_h = 0;
    double to_h = 0;
    double krw = 0;
};

/// Everything the programme decides: who is funded, with what.
struct ProgrammePolicy {
    int funding_from_stage = 0;  ///< teams kept at this stage and after receive resources
    Allocation allocation;
    DataFunding data;
    TalentFunding talent;
    std::vector<Budget> budgets;
};

}  // namespace kaisim::model
