#include <catch2/catch.hpp>

#include "kaisim/policy/allocation.hpp"

using namespace kaisim;
using R = model::AllocationRule;

namespace {
model::Allocation rule_of(R r, int stages = 4) {
    model::Allocation a;
    a.rule = r;
    a.quota.assign(stages, -1);
    a.tiers.assign(stages, {});
    return a;
}
std::vector<policy::FundedTeam> teams(std::vector<double> scores) {
    std::vector<policy::FundedTeam> out;
    for (std::size_t i = 0; i < scores.size(); ++i) out.push_back({scores[i], 0});
    return out;
}
}  // namespace

TEST_CASE("allocation: per_stage_quota holds the latest quota set, in quota units") {
    model::Allocation a = rule_of(R::per_stage_quota);
    a.quota[1] = 500;
    a.quota[3] = 1000;
    REQUIRE(policy::demand_units(a, 2, teams({1, 1}), 1e9, 1.0) == std::vector<double>{500, 500});
    REQUIRE(policy::demand_units(a, 3, teams({1}), 1e9, 1.0) == std::vector<double>{1000});
    // A quota stated in B200 counted as 2 units each (the programme's own exchange ratio).
    REQUIRE(policy::demand_units(a, 1, teams({1}), 1e9, 2.0) == std::vector<double>{1000});
    REQUIRE(policy::demand_units(a, 0, teams({1}), 1e9, 1.0) == std::vector<double>{0});
}

TEST_CASE("allocation: equal_share splits the pool's units") {
    const auto d = policy::demand_units(rule_of(R::equal_share), 0, teams({5, 4, 3, 2}), 2500, 1.0);
    REQUIRE(d == std::vector<double>{625, 625, 625, 625});
    REQUIRE(policy::demand_units(rule_of(R::equal_share), 0, {}, 2500, 1.0).empty());
}

TEST_CASE("allocation: rank_tiered gives each rank its tier, nothing past the list") {
    model::Allocation a = rule_of(R::rank_tiered);
    a.tiers[0] = {1200, 1000, 800};
    REQUIRE(policy::demand_units(a, 2, teams({4, 3, 2, 1}), 1e9, 1.0) ==
            std::vector<double>{1200, 1000, 800, 0});
}

TEST_CASE("allocation: score_proportional follows score^p within floor and cap") {
    model::Allocation a = rule_of(R::score_proportional);
    REQUIRE(policy::demand_units(a, 0, teams({90, 60, 30}), 1800, 1.0) ==
            std::vector<double>{900, 600, 300});
    a.power = 2;  // 8100 : 3600 : 900 of 1800
    const auto sq = policy::demand_units(a, 0, teams({90, 60, 30}), 1800, 1.0);
    REQUIRE(sq[0] == Approx(1800 * 8100.0 / 12600));
    REQUIRE(sq[2] == Approx(1800 * 900.0 / 12600));
    // Cap 800, floor 350: 900 -> 800 and 300 -> 350; the 650 left goes to the middle team.
    a.power = 1;
    a.cap = 800;
    a.floor = 350;
    const auto c = policy::demand_units(a, 0, teams({90, 60, 30}), 1800, 1.0);
    REQUIRE(c[0] == Approx(800));
    REQUIRE(c[1] == Approx(650));
    REQUIRE(c[2] == Approx(350));
}

TEST_CASE("allocation: units inherited from cut teams add to any rule") {
    auto t = teams({1, 1});
    t[1].extra_units = 250;
    REQUIRE(policy::demand_units(rule_of(R::equal_share), 0, t, 1000, 1.0) ==
            std::vector<double>{500, 750});
}
