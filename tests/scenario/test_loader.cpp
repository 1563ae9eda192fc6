#include <catch2/catch.hpp>

#include <string>

#include "kaisim/core/error.hpp"
#include "kaisim/scenario/scenario_loader.hpp"

using namespace kaisim;

namespace {
const std::string minimal = std::string(KAISIM_SOURCE_DIR) + "/tests/inputs/minimal.yaml";
const std::string reference = std::string(KAISIM_SOURCE_DIR) + "/scenarios/k-ai-2025.yaml";
}  // namespace

TEST_CASE("loader: the reference scenario holds the announced programme") {
    const model::Scenario sc = io::load_scenario(reference);
    REQUIRE(sc.teams.size() == 15);
    REQUIRE(sc.stages.size() == 5);
    std::vector<int> keeps;
    for (const auto& st : sc.stages) keeps.push_back(st.keep);
    REQUIRE(keeps == std::vector<int>{10, 5, 4, 3, 2});
    REQUIRE(sc.policy.data.purchase_krw_per_year == 10e9);
    REQUIRE(sc.policy.talent.krw_per_year == 2e9);
    REQUIRE(sc.policy.talent.continue_after_cut);
    REQUIRE(sc.policy.budgets.at(0).krw == 157.6e9);
    // Shared partners are one entry referenced by several teams.
    int snu = -1;
    for (std::size_t p = 0; p < sc.partners.size(); ++p)
        if (sc.partners[p].id == "snu") snu = static_cast<int>(p);
    int members = 0;
    for (const auto& t : sc.teams)
        for (int p : t.partners) members += p == snu;
    REQUIRE(members == 3);
}

TEST_CASE("loader: defaults, dates and Korean names") {
    const model::Scenario sc = io::load_scenario(minimal);
    REQUIRE(sc.name == "minimal");
    REQUIRE(sc.seed == 3);
    REQUIRE(sc.teams[0].name == "팀 A");
    REQUIRE(sc.teams[0].mfu == 0.38);
    REQUIRE(sc.stages[0].t_h == (31 + 28 + 31 + 30 + 31 + 29) * 24.0);
    REQUIRE(sc.gpu_types[0].peak_flops == 989.4e12);
    REQUIRE(sc.failures.rate_per_gpu_h == 1.97e-5);
}

TEST_CASE("loader: --set changes one value by path, list index or id") {
    io::LoadOptions opt;
    opt.sets = {"stages[0].cut.keep=2", "teams[b].skill=1.5", "programme.seed=99"};
    const model::Scenario sc = io::load_scenario(minimal, opt);
    REQUIRE(sc.stages[0].keep == 2);
    REQUIRE(sc.teams[1].skill == 1.5);
    REQUIRE(sc.seed == 99);
}

TEST_CASE("loader: a bad --set value is reported against the --set, not the file") {
    io::LoadOptions opt;
    opt.sets = {"stages[0].cut.keep=7"};
    try {
        io::load_scenario(minimal, opt);
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        REQUIRE(e.file() == "--set stages[0].cut.keep=7");
        REQUIRE(e.message().find("keeps 7 teams but only 2 are eligible") != std::string::npos);
    }
    opt.sets = {"stages[4].cut.keep=1"};
    REQUIRE_THROWS_WITH(io::load_scenario(minimal, opt),
                        Catch::Contains("past the end of a list of 1"));
    opt.sets = {"keep"};
    REQUIRE_THROWS_WITH(io::load_scenario(minimal, opt), Catch::Contains("expected PATH=VALUE"));
}

TEST_CASE("loader: --seed overrides programme.seed") {
    io::LoadOptions opt;
    opt.seed = 12345;
    REQUIRE(io::load_scenario(minimal, opt).seed == 12345);
}

TEST_CASE("loader: an overlay merges maps and lists of elements by id") {
    io::LoadOptions opt;
    opt.overlays = {std::string(KAISIM_SOURCE_DIR) + "/tests/inputs/overlay.yaml"};
    const model::Scenario sc = io::load_scenario(minimal, opt);
    REQUIRE(sc.teams.size() == 3);
    REQUIRE(sc.teams[1].skill == 2.0);
    REQUIRE(sc.teams[1].prior_flops == 1e24);  // untouched keys stay
    REQUIRE(sc.teams[2].name == "Team C");
    REQUIRE(sc.stages[0].keep == 2);
    REQUIRE(sc.stages[0].components.size() == 1);
}

TEST_CASE("loader: an error in an overlay names the overlay's file and line") {
    io::LoadOptions opt;
    const std::string bad = std::string(KAISIM_SOURCE_DIR) + "/tests/inputs/overlay-bad.yaml";
    opt.overlays = {bad};
    try {
        io::load_scenario(minimal, opt);
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        REQUIRE(e.file() == bad);
        REQUIRE(e.line() == 3);
        REQUIRE(e.message().find("unknown key 'skil' in a team (did you mean 'skill'?)") !=
                std::string::npos);
    }
}
