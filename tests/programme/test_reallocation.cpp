#include <catch2/catch.hpp>

#include <string>

#include "kaisim/programme/race_state.hpp"
#include "kaisim/programme/reallocation.hpp"
#include "kaisim/scenario/scenario_loader.hpp"

using namespace kaisim;

namespace {
const std::string lessor_bar = std::string(KAISIM_SOURCE_DIR) + "/tests/inputs/lessor-bar.yaml";
}  // namespace

TEST_CASE("reallocation: a lessor is kept off leased GPUs while the bar holds, never its own") {
    const model::Scenario sc = io::load_scenario(lessor_bar);
    const programme::PreparedScenario p = programme::prepare(sc);
    programme::RaceState st(p, 0, {});
    constexpr int telco = 0, lab = 1;
    REQUIRE(sc.teams[telco].lessor);
    for (int i : {telco, lab}) st.teams[i].funded = true;
    st.teams[telco].priority = 1;  // the lessor ranks first
    st.teams[lab].priority = 2;
    // Both tranches enter on day 0: 600 GPUs, equal share = 300 each.
    programme::change_tranche(st, 0, true);
    programme::change_tranche(st, 1, true);
    REQUIRE(st.pool_gpus == 600);
    REQUIRE(st.teams[telco].demand_units == 300);
    REQUIRE(st.teams[lab].demand_units == 300);

    SECTION("before the bar ends: the lessor gets nothing, its demand is unmet") {
        REQUIRE(st.now_h < sc.policy.lessors.bar_leased_until_h);
        REQUIRE(st.teams[telco].gpus[0] == 0);
        REQUIRE(st.teams[telco].unmet_units == 300);
        REQUIRE(st.teams[telco].lease_krw_per_h == 0);
        // The lab takes the cheaper GPUs first: the lessor's tranche at 3,000 KRW/h.
        REQUIRE(st.teams[lab].gpus[0] == 300);
        REQUIRE(st.teams[lab].unmet_units == 0);
        REQUIRE(st.teams[lab].lease_krw_per_h == 300 * 3000.0);
    }
    SECTION("after the bar: the lessor is served, but from the other provider") {
        st.now_h = sc.policy.lessors.bar_leased_until_h;
        programme::reallocate(st);
        REQUIRE(st.teams[telco].gpus[0] == 300);
        REQUIRE(st.teams[telco].unmet_units == 0);
        REQUIRE(st.teams[telco].lease_krw_per_h == 300 * 4000.0);  // the cloud's, not its own
        REQUIRE(st.teams[lab].lease_krw_per_h == 300 * 3000.0);
    }
    SECTION("a team that loses its funding holds no programme GPUs") {
        st.teams[lab].funded = false;
        programme::reallocate(st);
        REQUIRE(st.teams[lab].gpus[0] == 0);
        REQUIRE(st.teams[lab].lease_krw_per_h == 0);
        REQUIRE(st.teams[telco].demand_units == 600);  // the whole pool is its equal share
        REQUIRE(st.teams[telco].gpus[0] == 0);         // and still barred
    }
}

TEST_CASE("reallocation: a cut team's quota goes to the survivors under share_among_survivors") {
    model::Scenario sc = io::load_scenario(lessor_bar);
    sc.policy.allocation.cut_gpus = model::CutGpus::share_among_survivors;
    const programme::PreparedScenario p = programme::prepare(sc);
    programme::RaceState st(p, 0, {});
    st.teams[0].funded = true;
    st.teams[1].demand_units = 250;  // what the cut team asked for before its cut
    programme::release_cut_quota(st, {1});
    REQUIRE(st.teams[0].extra_units == 250);
    REQUIRE(st.teams[1].extra_units == 0);
    sc.policy.allocation.cut_gpus = model::CutGpus::return_to_pool;
    programme::release_cut_quota(st, {1});
    REQUIRE(st.teams[0].extra_units == 250);  // return_to_pool shares nothing
}
