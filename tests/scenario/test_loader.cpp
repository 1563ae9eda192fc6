#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "kaisim/core/error.hpp"
#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/output/run_outputs.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/replicate.hpp"
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

namespace {
// What a scenario gives: its first replicate's table (every team's path through the stages).
std::string first_replicate(const model::Scenario& sc) {
    const programme::PreparedScenario prepared = programme::prepare(sc);
    eval::CpuBackend backend(1);
    return io::run_table(sc, run::run_batch(prepared, {0}, backend, 1, true).front());
}
}  // namespace

TEST_CASE("loader: a scenario template makes what load_scenario loads, point after point") {
    const std::string overlay = std::string(KAISIM_SOURCE_DIR) + "/tests/inputs/overlay.yaml";
    const io::ScenarioTemplate files(minimal, {overlay}, 77);
    // Each point's sets and only its own: a set made at one point must not stay for the next.
    const std::vector<std::vector<std::string>> points = {
        {"teams[b].skill=0.5", "stages[0].cut.keep=1"},
        {},
        {"teams[a].skill=1.3", "teams[b].skill=0.9"},
        {"teams[c].skill=3"}};
    for (const std::vector<std::string>& sets : points) {
        const model::Scenario made = files.make(sets);
        const model::Scenario loaded =
            io::load_scenario(minimal, io::LoadOptions{{overlay}, sets, 77});
        REQUIRE(made.seed == 77);
        REQUIRE(made.teams.size() == loaded.teams.size());
        for (std::size_t t = 0; t < made.teams.size(); ++t)
            REQUIRE(made.teams[t].skill == loaded.teams[t].skill);
        REQUIRE(made.stages[0].keep == loaded.stages[0].keep);
        REQUIRE(first_replicate(made) == first_replicate(loaded));
    }
    // From several threads at once, the same.
    std::vector<std::string> tables(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < tables.size(); ++i)
        threads.emplace_back([&, i] { tables[i] = first_replicate(files.make(points[i])); });
    for (std::thread& t : threads) t.join();
    for (std::size_t i = 0; i < tables.size(); ++i)
        REQUIRE(tables[i] == first_replicate(io::load_scenario(
                                 minimal, io::LoadOptions{{overlay}, points[i], 77})));
}

TEST_CASE("loader: a scenario template's errors are load_scenario's, where the fault lies") {
    const std::string bad = std::string(KAISIM_SOURCE_DIR) + "/tests/inputs/overlay-bad.yaml";
    const auto error_of = [](const std::function<void()>& f) {
        try {
            f();
        } catch (const InputError& e) {
            return e.file() + ":" + std::to_string(e.line()) + ":" + std::to_string(e.col()) +
                   ": " + e.message();
        }
        return std::string("no error");
    };
    // A bad overlay: at the first make(), in the overlay's file and line.
    const io::ScenarioTemplate broken(minimal, {bad});
    const std::string in_overlay = error_of([&] { (void)broken.make({}); });
    REQUIRE(in_overlay == error_of([&] {
                (void)io::load_scenario(minimal, io::LoadOptions{{bad}, {}, {}});
            }));
    REQUIRE(in_overlay.rfind(bad + ":3:", 0) == 0);
    // A bad set at a later point, after good ones: against the --set.
    const io::ScenarioTemplate files(minimal, {});
    (void)files.make({"teams[b].skill=1.5"});
    for (const std::string set :
         {"stages[0].cut.keep=7", "stages[4].cut.keep=1", "teams[b].skil=2"}) {
        const std::string made = error_of([&] { (void)files.make({set}); });
        REQUIRE(made == error_of([&] {
                    (void)io::load_scenario(minimal, io::LoadOptions{{}, {set}, {}});
                }));
        REQUIRE(made != "no error");
    }
    REQUIRE(files.make({"teams[b].skill=1.5"}).teams[1].skill == 1.5);  // still good after
}
