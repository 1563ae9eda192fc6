#include <catch2/catch.hpp>

#include "kaisim/policy/consortium_graph.hpp"

using namespace kaisim::policy;

// Partner P (1e9 tokens) is shared by teams 0 and 1; partner Q (1e9) belongs to team 1 only.
// Processing costs 1,000 KRW per million tokens, so each partner's data is worth 1e6 KRW.
namespace {
const std::vector<std::vector<int>> membership{{0}, {0, 1}};
const std::vector<std::vector<double>> raw{{1e9}, {1e9}};
const std::vector<double> price{1000};
}  // namespace

TEST_CASE("consortium graph: a shared partner is one vertex of degree 2") {
    const ConsortiumSplit s = split_partner_data(membership, raw, price, {1e7, 1e7});
    REQUIRE(s.degree == std::vector<int>{2, 1});
}

TEST_CASE("consortium graph: with ample budgets a shared partner splits evenly") {
    const ConsortiumSplit s = split_partner_data(membership, raw, price, {1e7, 1e7});
    REQUIRE(s.tokens[0][0][0] == Approx(0.5e9));
    REQUIRE(s.tokens[0][1][0] == Approx(0.5e9));
    REQUIRE(s.tokens[1][1][0] == Approx(1e9));
    REQUIRE(s.tokens[1][0][0] == 0);
}

TEST_CASE("consortium graph: a member short of budget leaves its share to the others") {
    // Team 0 can pay for 0.2e6 KRW: it takes 0.2e9 of P; the max-flow's second round gives the
    // 0.3e9 it leaves to team 1 (0.5e9 + 0.3e9 = 0.8e9).
    const ConsortiumSplit s = split_partner_data(membership, raw, price, {0.2e6, 1e7});
    REQUIRE(s.tokens[0][0][0] == Approx(0.2e9));
    REQUIRE(s.tokens[0][1][0] == Approx(0.8e9));
    REQUIRE(s.tokens[1][1][0] == Approx(1e9));
}

TEST_CASE("consortium graph: data nobody can pay for stays with the partner") {
    const ConsortiumSplit s = split_partner_data(membership, raw, price, {0.1e6, 0.3e6});
    // Round 1: team 0 takes 0.1e6 of P; team 1 takes 0.3e6 from P and Q together.
    const double team1 = s.tokens[0][1][0] + s.tokens[1][1][0];
    REQUIRE(s.tokens[0][0][0] == Approx(0.1e9));
    REQUIRE(team1 == Approx(0.3e9));
}
