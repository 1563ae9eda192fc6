#include <catch2/catch.hpp>

#include "kaisim/eval/stage_evaluation.hpp"

using namespace kaisim;

namespace {
model::Component comp(model::Normalisation n, double weight, double target = 1.0) {
    model::Component c;
    c.normalisation = n;
    c.weight = weight;
    c.target = target;
    return c;
}
}  // namespace

TEST_CASE("stage evaluation: each normalisation turns raw values into points") {
    const std::vector<double> raw{0.5, 1.0, 0.25};
    using N = model::Normalisation;
    REQUIRE(eval::component_points(comp(N::raw, 10), raw, 0) == std::vector<double>{5, 10, 2.5});
    REQUIRE(eval::component_points(comp(N::relative_to_best, 10), {0.5, 0.8, 0.2}, 0) ==
            std::vector<double>{6.25, 10, 2.5});
    const auto mm = eval::component_points(comp(N::min_max, 10), raw, 0);
    REQUIRE(mm[0] == Approx(10.0 / 3));
    REQUIRE(mm[1] == 10);
    REQUIRE(mm[2] == 0);
    // relative_to_target caps at full points once the target is met.
    REQUIRE(eval::component_points(comp(N::relative_to_target, 10, 0.8), raw, 0) ==
            std::vector<double>{6.25, 10, 3.125});
    model::Component frontier = comp(N::relative_to_target, 10);
    frontier.target_is_frontier = true;
    REQUIRE(eval::component_points(frontier, raw, 0.5) == std::vector<double>{10, 10, 5});
}

TEST_CASE("stage evaluation: keep-top-k with a deterministic tie-break") {
    model::Stage st;
    st.keep = 2;
    st.components = {comp(model::Normalisation::raw, 100)};
    // Teams 3 and 9 tie on 50 points; the tie key (lower first) decides for team 9.
    const auto s = eval::rank_and_cut(st, {3, 5, 9}, {{0.5}, {0.7}, {0.5}}, {0.0}, {1.0, 0.0, 0.0},
                                      {false, false, false});
    REQUIRE(s.total == std::vector<double>{50, 70, 50});
    REQUIRE(s.rank == std::vector<int>{3, 1, 2});
    REQUIRE(s.outcome[0] == eval::Outcome::eliminated);
    REQUIRE(s.outcome[1] == eval::Outcome::advanced);
    REQUIRE(s.outcome[2] == eval::Outcome::advanced);
    // Equal tie keys fall back to eligible order: the first listed wins.
    const auto t = eval::rank_and_cut(st, {3, 5, 9}, {{0.5}, {0.7}, {0.5}}, {0.0}, {0.0, 0.0, 0.0},
                                      {false, false, false});
    REQUIRE(t.rank == std::vector<int>{2, 1, 3});
}

TEST_CASE("stage evaluation: weighted components add up to the total") {
    model::Stage st;
    st.keep = 1;
    st.components = {comp(model::Normalisation::raw, 40),
                     comp(model::Normalisation::relative_to_best, 60)};
    const auto s =
        eval::rank_and_cut(st, {0, 1}, {{0.5, 0.2}, {0.25, 0.4}}, {0, 0}, {0, 1}, {false, false});
    REQUIRE(s.total[0] == Approx(0.5 * 40 + 0.5 * 60));
    REQUIRE(s.total[1] == Approx(0.25 * 40 + 1.0 * 60));
    REQUIRE(s.rank == std::vector<int>{2, 1});
}

TEST_CASE("stage evaluation: selection accuracy compares the kept with the truly strongest") {
    REQUIRE(eval::kept_are_strongest({1.0, 0.5, 2.0}, {true, false, true}));
    REQUIRE_FALSE(eval::kept_are_strongest({1.0, 0.5, 2.0}, {false, true, true}));
    REQUIRE(eval::kept_are_strongest({1.0, 1.0, 0.0}, {true, false, false}));  // a tie is correct
}

TEST_CASE("stage evaluation: a disqualified team's place stays vacant or is refilled") {
    model::Stage st;
    st.keep = 2;
    st.components = {comp(model::Normalisation::raw, 100)};
    const std::vector<std::vector<double>> raw{{0.9}, {0.8}, {0.7}};
    // The best team is disqualified: with a vacant place only the second advances.
    auto s = eval::rank_and_cut(st, {0, 1, 2}, raw, {0.0}, {0, 1, 2}, {true, false, false});
    REQUIRE(s.outcome[0] == eval::Outcome::disqualified);
    REQUIRE(s.outcome[1] == eval::Outcome::advanced);
    REQUIRE(s.outcome[2] == eval::Outcome::eliminated);
    REQUIRE(s.rank == std::vector<int>{1, 2, 3});  // it keeps its place on score
    st.rules.disqualified_slot = model::DisqualifiedSlot::refill;
    s = eval::rank_and_cut(st, {0, 1, 2}, raw, {0.0}, {0, 1, 2}, {true, false, false});
    REQUIRE(s.outcome[2] == eval::Outcome::advanced);
}

TEST_CASE("stage evaluation: pass rules (minimum score, frontier target) and wildcard admission") {
    model::Stage st;
    st.keep = 2;
    st.components = {comp(model::Normalisation::raw, 100)};
    st.rules.min_score = 75;
    auto s = eval::rank_and_cut(st, {0, 1, 2}, {{0.9}, {0.7}, {0.8}}, {0.0}, {0, 1, 2},
                                {false, false, false});
    REQUIRE(s.outcome == std::vector<eval::Outcome>{eval::Outcome::advanced,
                                                    eval::Outcome::eliminated,
                                                    eval::Outcome::advanced});
    st.rules.min_score = -1;
    st.rules.frontier_component = 0;
    st.rules.frontier_share = 0.95;  // frontier expects 0.9: 0.855 needed
    s = eval::rank_and_cut(st, {0, 1, 2}, {{0.9}, {0.7}, {0.86}}, {0.9}, {0, 1, 2},
                           {false, false, false});
    REQUIRE(s.outcome[0] == eval::Outcome::advanced);
    REQUIRE(s.outcome[2] == eval::Outcome::advanced);
    REQUIRE(s.outcome[1] == eval::Outcome::eliminated);
    model::Stage wc;
    wc.keep = 1;
    wc.wildcard = true;
    wc.components = {comp(model::Normalisation::raw, 100)};
    s = eval::rank_and_cut(wc, {4, 7}, {{0.4}, {0.6}}, {0.0}, {0, 1}, {false, false});
    REQUIRE(s.outcome ==
            std::vector<eval::Outcome>{eval::Outcome::eliminated, eval::Outcome::admitted});
}
