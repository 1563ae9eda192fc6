#include <catch2/catch.hpp>

#include "kaisim/policy/allocation.hpp"

using namespace kaisim;

TEST_CASE("allocation: per_stage_quota serves teams in priority order and reports unmet demand") {
    model::Allocation rule{model::AllocationRule::per_stage_quota, 0, {}};
    const auto a = policy::allocate(rule, {2500, 64}, {4, 1, 7}, 1000);
    REQUIRE(a.size() == 3);
    REQUIRE(a[0].gpus == std::vector<int>{1000, 0});
    REQUIRE(a[1].gpus == std::vector<int>{1000, 0});
    REQUIRE(a[2].gpus == std::vector<int>{500, 0});
    REQUIRE(a[0].unmet == 0);
    REQUIRE(a[2].unmet == 500);
}

TEST_CASE("allocation: equal_share splits each type, the remainder to the best-ranked") {
    model::Allocation rule{model::AllocationRule::equal_share, 0, {}};
    const auto a = policy::allocate(rule, {10, 3}, {0, 1, 2, 3}, 0);
    REQUIRE(a[0].gpus == std::vector<int>{3, 1});
    REQUIRE(a[1].gpus == std::vector<int>{3, 1});
    REQUIRE(a[2].gpus == std::vector<int>{2, 1});
    REQUIRE(a[3].gpus == std::vector<int>{2, 0});
    REQUIRE(policy::allocate(rule, {10, 3}, {}, 0).empty());
}
