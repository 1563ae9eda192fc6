#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "kaisim/core/error.hpp"
#include "kaisim/scenario/scenario_loader.hpp"
#include "kaisim/study/sweep_runner.hpp"
#include "kaisim/study_files/calibration_file.hpp"
#include "kaisim/study_files/sweep_file.hpp"

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

namespace {
// Writes `text` as a calibration file in the temporary folder and loads it; returns
// the error message ("" when it loads).
std::string calibration_error(const std::string& text) {
    const std::string path = write_temp("calibration.yaml", text);
    std::string message;
    try {
        kaisim::io::load_calibration(path);
    } catch (const kaisim::InputError& e) {
        message = std::to_string(e.line()) + ": " + e.message();
    }
    std::filesystem::remove(path);
    return message;
}
const std::string calibration_head =
    "calibration: {scenario: " + std::string(KAISIM_SOURCE_DIR) +
    "/scenarios/k-ai-2026-actual.yaml, observations: " + std::string(KAISIM_SOURCE_DIR) +
    "/scenarios/observed/k-ai-stage1.yaml}\n";
}  // namespace

TEST_CASE("calibration file: the repository's files load, bad ones are refused at their line") {
    const auto spec = kaisim::io::load_calibration(std::string(KAISIM_SOURCE_DIR) +
                                                   "/scenarios/calibration/k-ai-stage1.yaml");
    REQUIRE(spec.parameters.size() == 6);
    REQUIRE(spec.observations.size() == 10);
    REQUIRE(spec.observations[2].components.size() == 3);
    REQUIRE(spec.observations[8].kind == kaisim::study::StatisticKind::top_set);
    REQUIRE(calibration_error(calibration_head +
                              "parameters: [{name: x, path: data.lag_days, dist: uniform, low: 1, "
                              "high: 90}]\n") == "");
    REQUIRE_THAT(calibration_error(calibration_head +
                                   "parameters: [{name: x, path: data.lag_days, dist: choice, "
                                   "values: [1, 2]}]\n"),
                 Catch::StartsWith("2: ") && Catch::Contains("not choices"));
    REQUIRE_THAT(
        calibration_error(calibration_head +
                          "parameters: [{name: x, path: data.lag_days, dist: uniform, low: "
                          "1, high: 90}]\nobservations: [{name: y, value: 1}]\n"),
        Catch::Contains("one of the two"));
    REQUIRE_THAT(
        calibration_error(calibration_head +
                          "parameters: [{name: x, path: data.lag_days, dist: uniform, low: "
                          "1, high: 90}]\nabc: {particles: 5}\n"),
        Catch::StartsWith("3: ") && Catch::Contains("between 10 and 100000"));
    // posterior.csv's own columns are not parameter names (the file would hold two of each).
    for (const char* column : {"weight", "sets"})
        REQUIRE_THAT(calibration_error(calibration_head + "parameters: [{name: " + column +
                                       ", path: data.lag_days, dist: uniform, low: 1, "
                                       "high: 90}]\n"),
                     Catch::StartsWith("2: ") && Catch::Contains("a column of posterior.csv"));
}

TEST_CASE(
    "calibration file: the team calibration expands teams[*] into a population and a "
    "member per team, over every observations file") {
    const auto spec = kaisim::io::load_calibration(std::string(KAISIM_SOURCE_DIR) +
                                                   "/scenarios/calibration/k-ai-teams.yaml");
    REQUIRE(spec.method == kaisim::study::CalibrationMethod::likelihood);
    REQUIRE(spec.observations_files.size() == 6);
    // Three attributes x (location, spread, 16 teams) + six evaluator parameters.
    REQUIRE(spec.parameters.size() == 3 * 18 + 6);
    const auto& loc = spec.parameters[6];
    REQUIRE(loc.name == "skill.location");
    REQUIRE(loc.path.empty());
    const auto& lg = spec.parameters[8 + 8];  // the teams in the scenario's order: lg is 9th
    REQUIRE(lg.name == "skill[lg]");
    REQUIRE(lg.path == "teams[lg].skill");
    REQUIRE(lg.location == 6);
    REQUIRE(lg.spread == 7);
    REQUIRE(lg.scale == kaisim::study::HierarchyScale::log);
    // The files' 42 statistics, 5 tracked abilities, and the points of the 15 + 10 teams whose
    // passing the two reviews (gates that keep a fixed number on points) are scored jointly.
    REQUIRE(spec.observations.size() == 15 + 10 + 10 + 2 + 2 + 3 + 5 + 25);
    const auto named = [&](const std::string& n) -> const kaisim::study::Observation& {
        for (const auto& o : spec.observations)
            if (o.name == n) return o;
        FAIL("no observation " << n);
        return spec.observations.front();
    };
    const auto& compute = named("compute_nc");
    REQUIRE(named("ability_nc").tracked);
    REQUIRE(named("ability_nc").weight == 0);
    REQUIRE(named("doc_lg").gate_points == "doc_lg.points");
    REQUIRE(named("doc_lg.points").kind == kaisim::study::StatisticKind::points);
    REQUIRE(named("doc_lg.points").tracked);
    REQUIRE(named("doc_lg.points").stage == "document_review");
    REQUIRE(named("pres_kaist").gate_points == "pres_kaist.points");
    // The wildcard admits by a call, not a fixed cut: its facts stay on their own.
    REQUIRE(named("wildcard_motif").gate_points.empty());
    REQUIRE(compute.kind == kaisim::study::StatisticKind::compute);
    REQUIRE(compute.value == Approx(std::log10(4.3e23)));
    REQUIRE(compute.sd == 0.2);
    const std::string hier =
        "calibration: {scenario: " + std::string(KAISIM_SOURCE_DIR) +
        "/scenarios/k-ai-2026-actual.yaml, method: likelihood}\n"
        "observations: [{name: y, statistic: passed, stage: stage1, teams: [lg], value: 1}]\n"
        "parameters:\n";
    const auto member = [&](const std::string& path, const std::string& rest) {
        return calibration_error(hier + "  - {path: \"" + path +
                                 "\", hierarchical: {location: {dist: normal, mean: 0, sd: 1}, " +
                                 rest + "}}\n");
    };
    REQUIRE(member("teams[*].skill", "spread: {dist: uniform, low: 0, high: 1}") == "");
    REQUIRE_THAT(member("teams[lg].skill", "spread: {dist: uniform, low: 0, high: 1}"),
                 Catch::StartsWith("4: ") && Catch::Contains("teams[*].ATTRIBUTE"));
    REQUIRE_THAT(member("teams[*].skill", "spread: {dist: normal, mean: 0, sd: 1}"),
                 Catch::Contains("a spread is >= 0"));
    REQUIRE_THAT(
        calibration_error(hier + "  - {path: \"teams[*].skill\", teams: [lg, zz], hierarchical: "
                                 "{location: {dist: normal, mean: 0, sd: 1}, spread: {dist: "
                                 "uniform, low: 0, high: 1}}}\n"),
        Catch::StartsWith("4: ") && Catch::Contains("no team 'zz'"));
    REQUIRE_THAT(member("teams[*].skill", "spread: {dist: uniform, low: 0, high: 1}, scale: cube"),
                 Catch::Contains("cube"));
    // A name kaisim gives a gate fact's points is refused, at the fact's line.
    REQUIRE_THAT(calibration_error(hier.substr(0, hier.find("observations:")) +
                                   "observations:\n"
                                   "  - {name: a, statistic: passed, stage: document_review, "
                                   "teams: [lg], value: 1}\n"
                                   "  - {name: a.points, statistic: passed, stage: "
                                   "document_review, teams: [nc], value: 0}\n"
                                   "parameters:\n  - {path: \"teams[*].skill\", hierarchical: "
                                   "{location: {dist: normal, mean: 0, sd: 1}, spread: {dist: "
                                   "uniform, low: 0, high: 1}}}\n"),
                 Catch::StartsWith("3: ") && Catch::Contains("rename it"));
    // Observations: one team for a per-team fact, 0 or 1 for a fact, no sd for a fact.
    const std::string param =
        "parameters: [{name: x, path: data.lag_days, dist: uniform, low: 1, high: 90}]\n";
    const std::string head = "calibration: {scenario: " + std::string(KAISIM_SOURCE_DIR) +
                             "/scenarios/k-ai-2026-actual.yaml, method: likelihood}\n" + param;
    REQUIRE_THAT(calibration_error(head + "observations: [{name: y, statistic: passed, stage: "
                                          "stage1, teams: [lg, nc], value: 1}]\n"),
                 Catch::StartsWith("3: ") && Catch::Contains("exactly one team"));
    REQUIRE_THAT(calibration_error(head + "observations: [{name: y, statistic: passed, stage: "
                                          "stage1, teams: [lg], value: 0.5}]\n"),
                 Catch::Contains("is 0 or 1"));
    REQUIRE_THAT(calibration_error(head + "observations: [{name: y, statistic: first, stage: "
                                          "stage1, teams: [lg], value: 1, sd: 0.1}]\n"),
                 Catch::Contains("no measurement error"));
    REQUIRE_THAT(calibration_error(head + "observations: [{name: y, statistic: compute, stage: "
                                          "stage1, teams: [lg], value: 0}]\n"),
                 Catch::Contains("expected >= 1"));
    REQUIRE_THAT(calibration_error(head + "observations: [{name: y, statistic: best, stage: "
                                          "stage1, value: 1}]\nabc: {particles: 20}\n"),
                 Catch::StartsWith("4: ") && Catch::Contains("calibration.method: abc"));
}

TEST_CASE("calibration file: an observation naming an unknown component is refused at its line") {
    kaisim::study::CalibrationSpec spec = kaisim::io::load_calibration(
        std::string(KAISIM_SOURCE_DIR) + "/scenarios/calibration/k-ai-stage1.yaml");
    spec.observations[2].components = {"bench_nosuch"};
    spec.abc.particles = 2;
    const kaisim::study::ScenarioSource source =
        kaisim::io::scenario_source(spec.scenario, spec.overlays);
    try {
        kaisim::study::run_calibration(spec, source, 1);
        FAIL("an unknown component was accepted");
    } catch (const kaisim::InputError& e) {
        REQUIRE_THAT(e.file(), Catch::EndsWith("observed/k-ai-stage1.yaml"));
        REQUIRE(e.line() == 10);
        REQUIRE_THAT(e.message(), Catch::Contains("bench_nosuch"));
    }
}

TEST_CASE("calibration: a scenario calibration is the same on 1 and 2 threads, any batch") {
    kaisim::study::CalibrationSpec spec = kaisim::io::load_calibration(
        std::string(KAISIM_SOURCE_DIR) + "/scenarios/calibration/k-ai-stage1.yaml");
    spec.abc.particles = 16;
    spec.abc.replicates = 2;
    spec.abc.generations = 2;
    spec.abc.min_acceptance = 0.1;
    const auto source = kaisim::io::scenario_source(spec.scenario, spec.overlays);
    const auto one = kaisim::study::run_calibration(spec, source, 1);
    spec.abc.batch = 5;
    const auto two = kaisim::study::run_calibration(spec, source, 2);
    REQUIRE(one.abc.particles.size() == two.abc.particles.size());
    for (std::size_t i = 0; i < one.abc.particles.size(); ++i) {
        REQUIRE(one.abc.particles[i].u == two.abc.particles[i].u);
        REQUIRE(one.abc.particles[i].weight == two.abc.particles[i].weight);
    }
    for (std::size_t k = 0; k < spec.observations.size(); ++k)
        REQUIRE(one.posterior_predictive[k].mean == two.posterior_predictive[k].mean);
}
