#include "kaisim/model/ledger.hpp"

#include <algorithm>
#include <stdexcept>

#include "kaisim/core/error.hpp"

namespace kaisim::model {

Ledger::Ledger(int teams, std::vector<Window> windows)
    : windows_(std::move(windows)),
      sums_(windows_.size()),
      team_totals_(static_cast<std::size_t>(teams)) {}

void Ledger::reset(int teams, const std::vector<Budget>& budgets) {
    windows_.clear();
    for (const Budget& b : budgets) windows_.push_back({b.category, b.from_h, b.to_h});
    sums_.assign(windows_.size(), Sums{});
    totals_.fill(0);
    team_totals_.assign(static_cast<std::size_t>(teams), {});
}

void Ledger::add(Category category, int team, double from_h, double to_h, double krw) {
    KAISIM_ASSERT(to_h >= from_h);
    if (krw == 0) return;
    totals_[static_cast<int>(category)] += krw;
    if (team != pool)
        team_totals_.at(static_cast<std::size_t>(team))[static_cast<int>(category)] += krw;
    for (std::size_t w = 0; w < windows_.size(); ++w) {
        const Window& win = windows_[w];
        if (win.category != category) continue;
        double share = 0;
        if (to_h == from_h) {
            if (from_h >= win.from_h && from_h < win.to_h) share = krw;
        } else {
            const double overlap = std::min(to_h, win.to_h) - std::max(from_h, win.from_h);
            if (overlap > 0) share = krw * overlap / (to_h - from_h);
        }
        if (share == 0) continue;
        sums_[w].all += share;
        if (team != pool) sums_[w].teams += share;
    }
}

double Ledger::spent_in(Category c, double from_h, double to_h, bool teams_only) const {
    for (std::size_t w = 0; w < windows_.size(); ++w) {
        const Window& win = windows_[w];
        if (win.category == c && win.from_h == from_h && win.to_h == to_h)
            return teams_only ? sums_[w].teams : sums_[w].all;
    }
    throw std::logic_error("ledger: spending asked for a window it was not given");
}

std::vector<Ledger::Window> budget_windows(const std::vector<Budget>& budgets) {
    std::vector<Ledger::Window> out;
    for (const Budget& b : budgets) out.push_back({b.category, b.from_h, b.to_h});
    return out;
}

std::vector<BudgetCheck> check_budgets(const Ledger& ledger, const std::vector<Budget>& budgets) {
    std::vector<BudgetCheck> out;
    out.reserve(budgets.size());
    for (const Budget& b : budgets) {
        BudgetCheck c;
        c.budget = b;
        c.spent_krw = ledger.spent_in(b.category, b.from_h, b.to_h);
        c.over_krw = std::max(0.0, c.spent_krw - b.krw);
        c.feasible = c.over_krw == 0;
        out.push_back(c);
    }
    return out;
}

}  // namespace kaisim::model
