#include <catch2/catch.hpp>

#include <string>

#include "kaisim/programme/funding.hpp"
#include "kaisim/programme/race_state.hpp"
#include "kaisim/scenario/scenario_loader.hpp"

using namespace kaisim;

namespace {
const std::string funding = std::string(KAISIM_SOURCE_DIR) + "/tests/inputs/funding.yaml";
constexpr double feb_h = 31 * 24, mar_h = (31 + 28) * 24, apr_h = (31 + 28 + 31) * 24;

double spent(const programme::RaceState& st, model::Category c) {
    return st.ledger.team_total(c, 0);
}

// The only team, with both hires arrived, funded from day 0, paid for February, then cut on
// 1 March and paid for March.
struct CutTeam {
    model::Scenario sc;
    programme::PreparedScenario prepared;
    programme::RaceState st;
    core::Engine engine;

    explicit CutTeam(bool continue_after_cut)
        : sc(with_talent_after_cut(continue_after_cut)),
          prepared(programme::prepare(sc)),
          st(prepared, 0, {}) {
        st.teams[0].researchers = 2;
        programme::start_funding(st, engine, 0);
        st.now_h = feb_h;
        programme::pay_monthly(st, engine);
        st.now_h = mar_h;
        programme::end_funding(st, 0);
        programme::pay_monthly(st, engine);
    }

    static model::Scenario with_talent_after_cut(bool on) {
        model::Scenario s = io::load_scenario(funding);
        s.policy.talent.continue_after_cut = on;
        return s;
    }
};
}  // namespace

TEST_CASE("funding: money is paid ahead month by month, and hires are scheduled") {
    const model::Scenario sc = io::load_scenario(funding);
    const programme::PreparedScenario p = programme::prepare(sc);
    programme::RaceState st(p, 0, {});
    core::Engine engine;
    programme::start_funding(st, engine, 0);
    REQUIRE(st.teams[0].funded);
    REQUIRE(st.teams[0].talent_funded);
    // Paid ahead to 1 February: 12 bn KRW/year of data, 2 bn KRW/year of talent.
    REQUIRE(spent(st, model::Category::data) == Approx(12e9 * feb_h / core::hours_per_year));
    REQUIRE(spent(st, model::Category::talent) == Approx(2e9 * feb_h / core::hours_per_year));
    // One data order (delivered after the 10-day lag) and floor(2e9 / 1e9) = 2 hires.
    REQUIRE(st.orders.size() == 1);
    REQUIRE(st.orders[0].tokens[0] == Approx(12e9 * feb_h / core::hours_per_year / 1000 * 1e6));
    int arrivals = 0, hires = 0;
    while (!engine.empty()) {
        const core::Event e = engine.pop();
        if (e.kind == programme::data_arrival) {
            ++arrivals;
            REQUIRE(e.t_h == Approx(10 * 24.0));
        }
        if (e.kind == programme::hire) ++hires;
    }
    REQUIRE(arrivals == 1);
    REQUIRE(hires == 2);
}

TEST_CASE("funding: after a cut, data money stops and talent money stops with its hires") {
    REQUIRE_FALSE(io::load_scenario(funding).policy.talent.continue_after_cut);  // the default
    const CutTeam cut(false);
    const programme::RaceState& st = cut.st;
    REQUIRE_FALSE(st.teams[0].funded);
    REQUIRE_FALSE(st.teams[0].talent_funded);
    REQUIRE(st.teams[0].researchers == 0);
    // Paid up to 1 March, nothing after.
    REQUIRE(spent(st, model::Category::data) == Approx(12e9 * mar_h / core::hours_per_year));
    REQUIRE(spent(st, model::Category::talent) == Approx(2e9 * mar_h / core::hours_per_year));
    REQUIRE(st.orders.size() == 2);
}

TEST_CASE("funding: after a cut, talent money goes on when the programme keeps paying it") {
    const CutTeam cut(true);
    const programme::RaceState& st = cut.st;
    REQUIRE_FALSE(st.teams[0].funded);
    REQUIRE(st.teams[0].talent_funded);
    REQUIRE(st.teams[0].researchers == 2);
    REQUIRE(spent(st, model::Category::data) == Approx(12e9 * mar_h / core::hours_per_year));
    // Talent is paid ahead to 1 April; data money stopped at the cut.
    REQUIRE(spent(st, model::Category::talent) == Approx(2e9 * apr_h / core::hours_per_year));
}

TEST_CASE("funding: a stage's funding change sets only the rates it names") {
    const model::Scenario sc = io::load_scenario(funding);
    const programme::PreparedScenario p = programme::prepare(sc);
    programme::RaceState st(p, 0, {});
    model::FundingChange change;  // negative fields keep the rate
    change.talent_krw_per_year = 4e9;
    programme::apply_funding_change(st, change);
    REQUIRE(st.talent_krw_per_year == 4e9);
    REQUIRE(st.data.purchase_krw_per_year == 12e9);
}
