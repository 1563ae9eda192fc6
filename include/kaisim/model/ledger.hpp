#pragma once
#include <array>
#include <vector>

#include "kaisim/model/policy_settings.hpp"

namespace kaisim::model {

/// The programme's spending in KRW, by category and team, and within the time windows asked
/// for at construction (spread evenly over an interval).
///
/// Only totals are kept: a replicate adds thousands of spread amounts, and keeping them one by
/// one cost a heap-grown buffer per replicate. Each window sums its share of every amount in the
/// order they come, the same sum a scan over the stored amounts would give.
class Ledger {
  public:
    /// Team index for spending not attributed to a team (idle pool GPUs, purchases).
    static constexpr int pool = -1;

    /// A time window of one category whose spending `spent_in` reports.
    struct Window {
        Category category = Category::gpu;
        double from_h = 0, to_h = 0;
    };

    explicit Ledger(int teams = 0, std::vector<Window> windows = {});

    /// Empties the ledger for `teams` teams and the windows of `budgets` (budget_windows),
    /// reusing its storage.
    void reset(int teams, const std::vector<Budget>& budgets);

    /// Records `krw` spent on `category` for `team`, evenly over [from_h, to_h] (a lump sum when
    /// from_h == to_h).
    void add(Category category, int team, double from_h, double to_h, double krw);

    /// Total spent on a category.
    double total(Category c) const { return totals_[static_cast<int>(c)]; }
    /// Total spent on a category for one team.
    double team_total(Category c, int team) const {
        return team_totals_.at(static_cast<std::size_t>(team))[static_cast<int>(c)];
    }
    /// Spent on a category within [from_h, to_h) (pro rata for spread amounts); with
    /// `teams_only`, only what is attributed to teams (what quotas and money rules can scale).
    /// The window must be one given at construction (std::logic_error otherwise).
    double spent_in(Category c, double from_h, double to_h, bool teams_only = false) const;

  private:
    struct Sums {
        double all = 0, teams = 0;
    };
    std::vector<Window> windows_;
    std::vector<Sums> sums_;  ///< per window
    std::array<double, category_count> totals_{};
    std::vector<std::array<double, category_count>> team_totals_;
};

/// A budget with what was spent against it.
struct BudgetCheck {
    Budget budget;
    double spent_krw = 0;
    bool feasible = true;
    double over_krw = 0;  ///< spent - budget when over, else 0
};

/// The windows a ledger must report for these budgets.
std::vector<Ledger::Window> budget_windows(const std::vector<Budget>& budgets);

/// Checks every budget against the ledger (made with `budget_windows(budgets)`).
std::vector<BudgetCheck> check_budgets(const Ledger& ledger, const std::vector<Budget>& budgets);

}  // namespace kaisim::model
