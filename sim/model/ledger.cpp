#include "kaisim/model/ledger.hpp"

#include <algorithm>

#include "kaisim/core/error.hpp"

namespace kaisim::model {

std::vector<Ledger::Entry>& Ledger::spare() {
    thread_local std::vector<Entry> buffer;
    return buffer;
}

Ledger::Ledger(int teams) : team_totals_(static_cast<std::size_t>(teams)) {
    entries_.swap(spare());
    entries_.clear();
}

Ledger::~Ledger() {
    std::vector<Entry>& s = spare();
    if (entries_.capacity() > s.capacity()) {
        entries_.clear();
        s.swap(entries_);
    }
}

void Ledger::add(Category category, int team, double from_h, double to_h, double krw) {
    KAISIM_ASSERT(to_h >= from_h);
    if (krw == 0) return;
    // Adjacent spread entries of one category at the same rate could be merged; the count of
    // entries stays small (one per event interval), so they are kept as they come.
    entries_.push_back(Entry{category, team, from_h, to_h, krw});
    totals_[static_cast<int>(category)] += krw;
    if (team != pool)
        team_totals_.at(static_cast<std::size_t>(team))[static_cast<int>(category)] += krw;
}

double Ledger::spent_in(Category c, double from_h, double to_h, bool teams_only) const {
    double sum = 0;
    for (const Entry& e : entries_) {
        if (e.category != c || (teams_only && e.team == pool)) continue;
        if (e.to_h == e.from_h) {
            if (e.from_h >= from_h && e.from_h < to_h) sum += e.krw;
            continue;
        }
        const double overlap = std::min(e.to_h, to_h) - std::max(e.from_h, from_h);
        if (overlap > 0) sum += e.krw * overlap / (e.to_h - e.from_h);
    }
    return sum;
}

std::vector<BudgetCheck> check_budgets(const Ledger& ledger, const std::vector<Budget>& budgets) {
    std::vector<BudgetCheck> out;
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
