#include <catch2/catch.hpp>

#include "kaisim/policy/provider_assignment.hpp"

using namespace kaisim::policy;

namespace {
// Supplies: S0 leased from team 0 (a lessor), 10 H100 at 3 KRW/h; S1 leased from a third party,
// 8 H100 at 5; S2 3 B200 counted 2 units each at 8 KRW/h (4 per unit).
std::vector<Supply> supplies(int s1_count = 8) {
    return {{0, 10, 1.0, 3, true, 0}, {0, s1_count, 1.0, 5, true, -1}, {1, 3, 2.0, 8, true, -1}};
}
// Demands in rank order: team 1 (6 units), the lessor team 0 (6 units), team 2 (8 units).
const std::vector<Demand> demands{{1, 6, false}, {0, 6, true}, {2, 8, false}};

double units_of(const Assignment& a, std::size_t d, const std::vector<Supply>& s) {
    double u = 0;
    for (std::size_t k = 0; k < s.size(); ++k) u += a.gpus[d][k] * s[k].units_per_gpu;
    return u;
}
}  // namespace

TEST_CASE("provider assignment: the min-cost plan computed by hand, with a lessor constraint") {
    // The lessor may not take its own S0. By hand: the lessor takes 3 B200 (6 units at 4 = 24),
    // the others take S0's 10 units (30) and 4 units of S1 (20): 74 KRW/h. The other plan that
    // serves everyone (lessor on S1: 30, others on S0 and S2: 30 + 16) costs 76.
    const auto s = supplies();
    const Assignment a = assign_providers(s, demands, false);
    REQUIRE(a.krw_per_h == Approx(74));
    REQUIRE(a.gpus[1][0] == 0);
    REQUIRE(a.gpus[1][2] == 3);
    for (std::size_t d = 0; d < 3; ++d) {
        REQUIRE(a.unmet_units[d] == 0);
        REQUIRE(units_of(a, d, s) == demands[d].units);
    }
}

TEST_CASE("provider assignment: a shortage is reported as unmet demand of the worst-ranked") {
    // S1 down to 2 GPUs: 18 units can reach 20 units of demand; the last team bears the 2 short.
    const auto s = supplies(2);
    const Assignment a = assign_providers(s, demands, false);
    REQUIRE(a.unmet_units[0] == 0);
    REQUIRE(a.unmet_units[1] == 0);
    REQUIRE(a.unmet_units[2] == Approx(2));
    REQUIRE(a.gpus[1][0] == 0);
}

TEST_CASE("provider assignment: a bar keeps lessors off all leased GPUs, not owned ones") {
    auto s = supplies();
    Assignment a = assign_providers(s, demands, true);
    REQUIRE(a.unmet_units[1] == 6);
    REQUIRE(units_of(a, 1, s) == 0);
    s[1].leased = false;  // S1 bought by the programme: a lessor may use it
    s[1].krw_per_gpu_h = 0;
    a = assign_providers(s, demands, true);
    REQUIRE(a.unmet_units[1] == 0);
    REQUIRE(a.gpus[1][1] == 6);
}

TEST_CASE("provider assignment: empty inputs") {
    REQUIRE(assign_providers({}, demands, false).unmet_units == std::vector<double>{6, 6, 8});
    REQUIRE(assign_providers(supplies(), {}, false).gpus.empty());
}
