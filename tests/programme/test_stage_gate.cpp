#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "kaisim/programme/race_state.hpp"
#include "kaisim/programme/stage_gate.hpp"
#include "kaisim/scenario/scenario_loader.hpp"

using namespace kaisim;

namespace {
const std::string rules = std::string(KAISIM_SOURCE_DIR) + "/tests/inputs/rules.yaml";

int team(const model::Scenario& sc, const std::string& id) {
    for (std::size_t i = 0; i < sc.teams.size(); ++i)
        if (sc.teams[i].id == id) return static_cast<int>(i);
    FAIL("no team " << id);
    return -1;
}

// Gathers stage 0's inputs and applies the gate with each team's proposal quality as its score.
programme::GateDecision gate(programme::RaceState& st) {
    st.now_h = st.sc->stages[0].t_h;
    programme::StageInputs in;
    programme::gather_stage_inputs(st, 0, in);
    std::vector<double> raw;
    for (int i : in.eligible) raw.push_back(st.sc->teams[i].proposal_quality);
    return programme::apply_gate(st, in, raw.data());
}

eval::Outcome outcome(const programme::GateDecision& g, int team) {
    for (const auto& row : g.record.rows)
        if (row.team == team) return row.outcome;
    FAIL("team " << team << " not evaluated");
    return eval::Outcome::eliminated;
}
}  // namespace

TEST_CASE("stage gate: gathers the entered teams and draws a certain disqualification") {
    const model::Scenario sc = io::load_scenario(rules);
    const programme::PreparedScenario p = programme::prepare(sc);
    programme::RaceState st(p, 0, {});
    st.now_h = sc.stages[0].t_h;
    programme::StageInputs in;
    programme::gather_stage_inputs(st, 0, in);
    // The newcomer enters on 1 April, after the gate.
    REQUIRE(in.eligible == std::vector<int>{0, 1, 2, 3, 4});
    REQUIRE(in.pairs.size() == 5);
    REQUIRE(in.abilities.size() == 5 * (1 + sc.domains.size()));
    // originality_violation_p is 1 for 'cheat' and 0 for the others.
    REQUIRE(in.disqualified == std::vector<bool>{true, false, false, false, false});
}

TEST_CASE("stage gate: a disqualified team's place is refilled by the next on score") {
    const model::Scenario sc = io::load_scenario(rules);  // disqualified_slot: refill, keep 2
    const programme::PreparedScenario p = programme::prepare(sc);
    programme::RaceState st(p, 0, {});
    const programme::GateDecision g = gate(st);
    const int cheat = team(sc, "cheat"), a = team(sc, "a"), b = team(sc, "b"), c = team(sc, "c"),
              d = team(sc, "d");
    REQUIRE(outcome(g, cheat) == eval::Outcome::disqualified);
    REQUIRE(outcome(g, a) == eval::Outcome::advanced);
    REQUIRE(outcome(g, b) == eval::Outcome::advanced);  // the refilled place
    REQUIRE(outcome(g, c) == eval::Outcome::eliminated);
    REQUIRE(outcome(g, d) == eval::Outcome::eliminated);
    // The race: the cut leave it, the kept stay and are funded from this stage on.
    REQUIRE(g.cut == std::vector<int>{cheat, c, d});
    REQUIRE(g.cut_funded.empty());  // nobody was funded before the first gate
    REQUIRE(g.to_fund == std::vector<int>{a, b});
    REQUIRE(st.teams[cheat].disqualified);
    REQUIRE_FALSE(st.teams[cheat].in_race);
    REQUIRE(st.teams[a].in_race);
    REQUIRE(st.teams[a].priority < st.teams[b].priority);
    REQUIRE(st.last_stage == 0);
    for (int i : {cheat, a, b, c, d}) REQUIRE(st.teams[i].last_stage == 0);
    // 'cheat' has the most compute, so it is truly the strongest: the kept are not the strongest.
    REQUIRE(g.record.rows.size() == 5);
    REQUIRE_FALSE(g.record.selection_correct);
}

TEST_CASE("stage gate: a disqualified team's place stays vacant when the rules say so") {
    model::Scenario sc = io::load_scenario(rules);
    sc.stages[0].rules.disqualified_slot = model::DisqualifiedSlot::vacant;
    const programme::PreparedScenario p = programme::prepare(sc);
    programme::RaceState st(p, 0, {});
    const programme::GateDecision g = gate(st);
    REQUIRE(outcome(g, team(sc, "cheat")) == eval::Outcome::disqualified);
    REQUIRE(outcome(g, team(sc, "a")) == eval::Outcome::advanced);
    REQUIRE(outcome(g, team(sc, "b")) == eval::Outcome::eliminated);  // the place stays empty
    REQUIRE(g.to_fund == std::vector<int>{team(sc, "a")});
}

TEST_CASE("stage gate: a wildcard admits its best and leaves the others as they were") {
    const model::Scenario sc = io::load_scenario(rules);
    const programme::PreparedScenario p = programme::prepare(sc);
    programme::RaceState st(p, 0, {});
    gate(st);
    st.now_h = sc.stages[1].t_h;
    programme::StageInputs in;
    programme::gather_stage_inputs(st, 1, in);
    // Open to the cut (c, d) and the newcomer, never to the disqualified.
    const int c = team(sc, "c"), d = team(sc, "d"), newcomer = team(sc, "newcomer");
    REQUIRE(in.eligible == std::vector<int>{c, d, newcomer});
    const int c_priority = st.teams[c].priority;
    std::vector<double> raw;
    for (int i : in.eligible) raw.push_back(sc.teams[i].proposal_quality);
    const programme::GateDecision g = programme::apply_gate(st, in, raw.data());
    REQUIRE(outcome(g, newcomer) == eval::Outcome::admitted);
    REQUIRE(g.to_fund == std::vector<int>{newcomer});
    REQUIRE(g.cut.empty());  // a wildcard cuts nobody
    REQUIRE(st.teams[newcomer].in_race);
    REQUIRE_FALSE(st.teams[c].in_race);
    REQUIRE(st.teams[c].priority == c_priority);
}

namespace {
// Stage 0 keeps 3 with the disqualified place vacant (cheat, a, b on score: a and b advance),
// then the call, which fills the field back to `fill_to`, at most its keep (1 unless unset).
struct FillTo {
    model::Scenario sc;
    programme::PreparedScenario p;
    programme::RaceState st;
    programme::GateDecision call;

    explicit FillTo(const std::string& fill_to, const std::string& call_cut = "{keep: 1}")
        : sc(io::load_scenario(
              rules,
              {{},
               {"stages[gate].cut.keep=3", "stages[gate].rules.disqualified_slot=vacant",
                "stages[call].wildcard={fill_to: " + fill_to + "}", "stages[call].cut=" + call_cut},
               {}})),
          p(programme::prepare(sc)),
          st(p, 0, {}) {
        gate(st);
        st.now_h = sc.stages[1].t_h;
        programme::StageInputs in;
        programme::gather_stage_inputs(st, 1, in);
        std::vector<double> raw;
        for (int i : in.eligible) raw.push_back(sc.teams[i].proposal_quality);
        call = programme::apply_gate(st, in, raw.data());
    }
    int admitted() const {
        int n = 0;
        for (const auto& row : call.record.rows) n += row.outcome == eval::Outcome::admitted;
        return n;
    }
};
}  // namespace

TEST_CASE("stage gate: a wildcard with fill_to admits only what brings the field back") {
    const FillTo three("3");  // 2 in the race: one place to fill
    REQUIRE(three.sc.stages[1].fill_to == 3);
    REQUIRE(three.admitted() == 1);
    REQUIRE(outcome(three.call, team(three.sc, "newcomer")) == eval::Outcome::admitted);
    const FillTo two("2");  // the field is full: the call admits nobody
    REQUIRE(two.admitted() == 0);
    REQUIRE(two.call.to_fund.empty());
    REQUIRE_FALSE(two.st.teams[team(two.sc, "newcomer")].in_race);
    REQUIRE(two.call.record.places == 0);
    const FillTo five("5");  // three places to fill, but the call's keep caps it at one
    REQUIRE(five.admitted() == 1);
    // Without a cut nothing caps it: all three applicants (c, d, the newcomer) are admitted,
    // though the scenario as read could not know how many would be eligible.
    const FillTo uncapped("5", "~");
    REQUIRE(uncapped.sc.stages[1].keep == 5);
    REQUIRE(uncapped.call.record.places == 3);
    REQUIRE(uncapped.admitted() == 3);
}

TEST_CASE("stage gate: a wildcard's admitted team queues after every incumbent") {
    // a (rank 2 at the gate) and b (rank 3) keep their places; the newcomer, rank 1 at the call,
    // comes after both when a shortage is served in order.
    const FillTo f("3");
    const auto& t = f.st.teams;
    const int a = team(f.sc, "a"), b = team(f.sc, "b"), newcomer = team(f.sc, "newcomer");
    REQUIRE(t[a].priority < t[b].priority);
    REQUIRE(t[b].priority < t[newcomer].priority);
}

TEST_CASE("stage gate: a wildcard's list never re-admits a team already in the race") {
    model::Scenario sc = io::load_scenario(rules);
    sc.stages[1].eligible = model::Eligibility::listed;
    sc.stages[1].listed = {team(sc, "a"), team(sc, "c")};
    const programme::PreparedScenario p = programme::prepare(sc);
    programme::RaceState st(p, 0, {});
    gate(st);  // a advances, c is cut
    st.now_h = sc.stages[1].t_h;
    programme::StageInputs in;
    programme::gather_stage_inputs(st, 1, in);
    REQUIRE(in.eligible == std::vector<int>{team(sc, "c")});
}
