#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "kaisim/core/error.hpp"
#include "kaisim/io/sweep_file.hpp"
#include "kaisim/study/sweep_runner.hpp"

using namespace kaisim;

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
    const auto p = std::filesystem::temp_directory_path() /
                   ("kaisim-spec-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(p) << text;
    return p.string();
}
}  // namespace

TEST_CASE("sweep file: a sobol design needs a power-of-two size, with a clear message") {
    const std::string f = write_temp("pow2.yaml",
                                     "sweep: {model: ishigami}\n"
                                     "parameters: [{name: x1, dist: uniform, low: 0, high: 1},\n"
                                     "             {name: x2, dist: uniform, low: 0, high: 1},\n"
                                     "             {name: x3, dist: uniform, low: 0, high: 1}]\n"
                                     "design: {type: sobol, samples: 100}\n");
    try {
        io::load_sweep(f);
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        REQUIRE(e.line() == 5);
        REQUIRE(e.message().find("power-of-two number of samples") != std::string::npos);
        REQUIRE(e.message().find("try 64 or 128") != std::string::npos);
    }
}

TEST_CASE("sweep file: unknown metrics and parameter paths are input errors before any run") {
    const std::string dir = std::string(KAISIM_SOURCE_DIR) + "/tests/inputs/";
    const std::string metric =
        write_temp("metric.yaml",
                   "sweep: {scenario: " + dir +
                       "two-teams-panel.yaml}\n"
                       "parameters: [{name: n, path: \"stages[panel].components[judge].judges\", "
                       "dist: integer, low: 1, high: 3}]\n"
                       "design: {type: random, samples: 4}\n"
                       "metrics: [best_ability]\n");
    // The store is never opened: the spec fails before any point is evaluated.
    study::MemoryPointStore store;
    bool opened = false;
    const study::StoreOpener open = [&]() -> study::PointStore& {
        opened = true;
        return store;
    };
    const auto sweep = [&](const std::string& file) {
        const study::SweepSpec spec = io::load_sweep(file);
        study::run_sweep(spec, io::sweep_scenario_source(spec), open, {});
    };
    REQUIRE_THROWS_WITH(sweep(metric),
                        Catch::Contains(":4:11: error: unknown metric 'best_ability'"));
    const std::string path = write_temp(
        "path.yaml", "sweep: {scenario: " + dir +
                         "two-teams-panel.yaml}\n"
                         "parameters: [{name: n, path: \"stages[panel].components[judge].jugdes\", "
                         "dist: integer, low: 1, high: 3}]\n"
                         "design: {type: random, samples: 4}\n");
    REQUIRE_THROWS_WITH(sweep(path), Catch::Contains("unknown key 'jugdes'"));
    REQUIRE_FALSE(opened);
}

TEST_CASE("sweep file: an analytic model needs its number of parameters") {
    const std::string two = write_temp("two.yaml",
                                       "sweep: {model: ishigami}\n"
                                       "parameters:\n"
                                       "  - {name: x1, dist: uniform, low: 0, high: 1}\n"
                                       "  - {name: x2, dist: uniform, low: 0, high: 1}\n"
                                       "design: {type: random, samples: 4}\n");
    REQUIRE_THROWS_WITH(
        io::load_sweep(two),
        Catch::Contains(":3:3: error: the ishigami model takes exactly 3 parameters, got 2"));
    const std::string g = write_temp("g.yaml",
                                     "sweep: {model: sobol_g, a: [0, 1]}\n"
                                     "parameters: [{name: x1, dist: uniform, low: 0, high: 1}]\n"
                                     "design: {type: random, samples: 4}\n");
    REQUIRE_THROWS_WITH(io::load_sweep(g),
                        Catch::Contains("one parameter per coefficient in a (2), got 1"));
}

// A sweep file of the reference scenario with the given parameters (line 3 on) and 4 random points.
std::string reference_sweep(const std::string& name, const std::string& parameters) {
    return write_temp(name, "sweep: {scenario: " + std::string(KAISIM_SOURCE_DIR) +
                                "/scenarios/k-ai-2025.yaml}\nparameters:\n" + parameters +
                                "design: {type: random, samples: 4}\n");
}

TEST_CASE("sweep file: a parameter range the scenario refuses at one end fails before any run") {
    const std::string f =
        reference_sweep("ends.yaml",
                        "  - {name: cost, path: talent.cost_per_researcher_year_krw,\n"
                        "     dist: loguniform, low: 1, high: 1.0e9}\n");
    study::MemoryPointStore store;
    bool opened = false;
    const study::SweepSpec spec = io::load_sweep(f);
    try {
        study::run_sweep(spec, io::sweep_scenario_source(spec),
                         [&]() -> study::PointStore& {
                             opened = true;
                             return store;
                         },
                         {});
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        REQUIRE(e.file() == f);
        REQUIRE(e.line() == 3);  // the parameter's path
        // The midpoint (31623 KRW a researcher) already hires too many over the 15 teams.
        REQUIRE(e.message().find("parameter 'cost' at ") != std::string::npos);
        REQUIRE(e.message().find("at most 100000") != std::string::npos);
    }
    REQUIRE_FALSE(opened);
}

TEST_CASE("sweep file: a linked path is read with its scale, and a bad one is blamed on its line") {
    const std::string f = reference_sweep("linked.yaml",
                                          "  - name: gpus\n"
                                          "    path: policies.allocation.quota.stage1\n"
                                          "    also:\n"
                                          "      - {path: policies.allocation.quota.stage2}\n"
                                          "      - {path: \"teams[lgg].skill\", scale: 0.001}\n"
                                          "    dist: integer\n"
                                          "    low: 500\n"
                                          "    high: 2000\n");
    const study::SweepSpec spec = io::load_sweep(f);
    REQUIRE(spec.parameters.at(0).also.size() == 2);
    REQUIRE(spec.parameters[0].also[1].scale == 0.001);
    REQUIRE(spec.parameters[0].also[1].path_line == 7);
    study::MemoryPointStore store;
    try {
        study::run_sweep(spec, io::sweep_scenario_source(spec),
                         [&]() -> study::PointStore& { return store; }, {});
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        REQUIRE(e.file() == f);
        REQUIRE(e.line() == 7);
        REQUIRE(e.message().find("no element with id 'lgg'") != std::string::npos);
    }
}
