#pragma once
#include <array>
#include <vector>

#include "kaisim/model/policy_settings.hpp"

namespace kaisim::model {

/// The programme's spending in KRW, by category, team and time (spread evenly over an interval).
class Ledger {
  public:
    /// Team index for spending not attributed to a team (idle pool GPUs, purchases).
    static constexpr int pool = -1;

    /// Takes the entry buffer the last ledger of this thread left (a replicate's ledger grows to
    /// thousands of entries: reusing the buffer keeps the heap out of the steady state).
    explicit Ledger(int teams = 0);
    ~Ledger();
    Ledger(const Ledger&) = default;
    Ledger(Ledger&&) = default;
    Ledger& operator=(const Ledger&) = default;
    Ledger& operator=(Ledger&&) = default;
    /// Records `krw` spent on `category` for `team`, evenly over [from_h, to_h] (a lump sum when
    /// from_h == to_h).
    void add(Category category, int team, double from_h, double to_h, double krw);
    /// Total spent on a category.
    double total(Category c) const { return totals_[static_cast<int>(c)]; }
    /// Total spent on a category for one team.
    double team_total(Category c, int team) const {
        return team_totals_.at(static_cast<std::size_t>(team))[static_cast<int>(c)];
    }
    /// Spent on a category within [from_h, to_h) (pro rata for spread entries); with
    /// `teams_only`, only what is attributed to teams (what quotas and money rules can scale).
    double spent_in(Category c, double from_h, double to_h, bool teams_only = false) const;

  private:
    struct Entry {
        Category category;
        int team;
        double from_h, to_h, krw;
    };
    static std::vector<Entry>& spare();  ///< this thread's buffer for the next ledger
    std::vector<Entry> entries_;
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

/// Checks every budget against the ledger.
std::vector<BudgetCheck> check_budgets(const Ledger& ledger, const std::vector<Budget>& budgets);

}  // namespace kaisim::model
