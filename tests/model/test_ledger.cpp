#include <catch2/catch.hpp>

#include <stdexcept>

#include "kaisim/model/ledger.hpp"

using namespace kaisim::model;

TEST_CASE("ledger: spread spending is counted pro rata in a budget window") {
    Ledger l(2, {{Category::gpu, 0, 50}, {Category::gpu, 50, 200}, {Category::data, 0, 10}});
    l.add(Category::gpu, 0, 0, 100, 1000);            // 10 KRW per hour
    l.add(Category::gpu, Ledger::pool, 10, 10, 200);  // lump sum at 10 h
    l.add(Category::data, 1, 0, 100, 50);
    l.add(Category::gpu, 1, 200, 200, 7);  // a lump sum at a window's end is outside it
    REQUIRE(l.total(Category::gpu) == 1207);
    REQUIRE(l.team_total(Category::gpu, 0) == 1000);
    REQUIRE(l.team_total(Category::gpu, 1) == 7);
    REQUIRE(l.spent_in(Category::gpu, 0, 50) == Approx(700));
    REQUIRE(l.spent_in(Category::gpu, 0, 50, true) ==
            Approx(500));  // the pool's lump is not a team's
    REQUIRE(l.spent_in(Category::gpu, 50, 200) == Approx(500));
    REQUIRE(l.spent_in(Category::data, 0, 10) == Approx(5));
    // Only the windows it was given are summed.
    REQUIRE_THROWS_AS(l.spent_in(Category::gpu, 0, 10), std::logic_error);
    REQUIRE_THROWS_AS(l.spent_in(Category::talent, 0, 50), std::logic_error);
}

TEST_CASE("ledger: a budget reports whether the plan fits and by how much it overspends") {
    const std::vector<Budget> budgets{Budget{Category::gpu, 0, 50, 600},
                                      Budget{Category::gpu, 0, 50, 400}};
    Ledger l(1, budget_windows(budgets));
    l.add(Category::gpu, 0, 0, 100, 1000);
    const auto checks = check_budgets(l, budgets);
    REQUIRE(checks[0].feasible);
    REQUIRE(checks[0].over_krw == 0);
    REQUIRE_FALSE(checks[1].feasible);
    REQUIRE(checks[1].spent_krw == Approx(500));
    REQUIRE(checks[1].over_krw == Approx(100));
}

TEST_CASE("ledger: a window's sum is the sum of its shares in the order they came") {
    // The same arithmetic as summing stored amounts one by one: exact equality, not Approx.
    Ledger l(2, {{Category::gpu, 3.5, 777.25}});
    double expected = 0;
    for (int i = 0; i < 1000; ++i) {
        const double from = i * 0.9, to = from + 1.3, krw = 10.0 + i % 7;
        l.add(Category::gpu, i % 2, from, to, krw);
        const double overlap = std::min(to, 777.25) - std::max(from, 3.5);
        if (overlap > 0) expected += krw * overlap / (to - from);
    }
    REQUIRE(l.spent_in(Category::gpu, 3.5, 777.25) == expected);
    const Ledger copy = l;
    REQUIRE(copy.spent_in(Category::gpu, 3.5, 777.25, true) == expected);
}
