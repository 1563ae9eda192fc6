#include <catch2/catch.hpp>

#include "kaisim/model/ledger.hpp"

using namespace kaisim::model;

TEST_CASE("ledger: spread spending is counted pro rata in a budget window") {
    Ledger l(2);
    l.add(Category::gpu, 0, 0, 100, 1000);            // 10 KRW per hour
    l.add(Category::gpu, Ledger::pool, 10, 10, 200);  // lump sum at 10 h
    l.add(Category::data, 1, 0, 100, 50);
    REQUIRE(l.total(Category::gpu) == 1200);
    REQUIRE(l.team_total(Category::gpu, 0) == 1000);
    REQUIRE(l.team_total(Category::gpu, 1) == 0);
    REQUIRE(l.spent_in(Category::gpu, 0, 50) == Approx(700));
    REQUIRE(l.spent_in(Category::gpu, 50, 200) == Approx(500));
    REQUIRE(l.spent_in(Category::data, 0, 10) == Approx(5));
}

TEST_CASE("ledger: a budget reports whether the plan fits and by how much it overspends") {
    Ledger l(1);
    l.add(Category::gpu, 0, 0, 100, 1000);
    const auto checks =
        check_budgets(l, {Budget{Category::gpu, 0, 50, 600}, Budget{Category::gpu, 0, 50, 400}});
    REQUIRE(checks[0].feasible);
    REQUIRE(checks[0].over_krw == 0);
    REQUIRE_FALSE(checks[1].feasible);
    REQUIRE(checks[1].spent_krw == Approx(500));
    REQUIRE(checks[1].over_krw == Approx(100));
}

TEST_CASE("ledger: a new ledger starts empty though it reuses its thread's last buffer") {
    {
        Ledger first(2);
        for (int i = 0; i < 1000; ++i) first.add(Category::gpu, i % 2, i, i + 1, 10);
        REQUIRE(first.spent_in(Category::gpu, 0, 1000) == Approx(10000));
    }
    Ledger second(2);
    REQUIRE(second.total(Category::gpu) == 0);
    REQUIRE(second.spent_in(Category::gpu, 0, 1000) == 0);
    second.add(Category::gpu, 1, 0, 10, 30);
    const Ledger copy = second;  // a copy holds the same entries
    REQUIRE(copy.spent_in(Category::gpu, 0, 5) == Approx(15));
    REQUIRE(copy.team_total(Category::gpu, 1) == 30);
}
