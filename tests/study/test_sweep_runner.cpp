#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "../support/sweeps.hpp"
#include "kaisim/output/sweep_outputs.hpp"
#include "kaisim/scenario/scenario_loader.hpp"
#include "kaisim/study/sweep_runner.hpp"

using namespace kaisim;

namespace {
// An Ishigami sweep built in memory, as a program that embeds kaisim would.
study::SweepSpec ishigami_spec(std::uint32_t n) {
    return test::ishigami_sweep(n, 50);
}

// Runs `spec` over tests/inputs/minimal.yaml into `store`, recording the --sets asked for.
study::SweepOutcome run_on_minimal(const study::SweepSpec& spec, study::MemoryPointStore& store,
                                   std::vector<std::vector<std::string>>* asked = nullptr) {
    const std::string minimal = std::string(KAISIM_SOURCE_DIR) + "/tests/inputs/minimal.yaml";
    const study::ScenarioSource source = [&](const std::vector<std::string>& sets) {
        if (asked) asked->push_back(sets);
        io::LoadOptions opt;
        opt.sets = sets;
        return io::load_scenario(minimal, opt);
    };
    return study::run_sweep(spec, source, [&]() -> study::PointStore& { return store; }, {});
}

study::SweepParameter integer_parameter(const char* name, const char* path, double low,
                                        double high) {
    study::SweepParameter p;
    p.name = name;
    p.path = path;
    p.dist = study::Distribution::integer;
    p.low = low;
    p.high = high;
    return p;
}

const study::SensitivityIndex& index(const study::SweepOutcome& o, const std::string& p,
                                     const std::string& i) {
    for (const auto& s : o.indices)
        if (s.parameter == p && s.index == i) return s;
    FAIL("no index " << i << " of " << p);
    return o.indices.front();
}
}  // namespace

TEST_CASE("sweep runner: a sweep built in memory runs into a memory store and resumes") {
    const study::SweepSpec spec = ishigami_spec(1024);
    study::MemoryPointStore store;
    const study::StoreOpener open = [&]() -> study::PointStore& { return store; };
    const study::ScenarioSource none = [](const std::vector<std::string>&) -> model::Scenario {
        FAIL("an analytic sweep reads no scenario");
        return {};
    };
    const study::SweepOutcome o = study::run_sweep(spec, none, open, {});
    REQUIRE(o.points == 1024 * 5);
    REQUIRE(o.evaluated == o.points);
    REQUIRE(store.points().size() == o.points);
    REQUIRE(o.metrics == std::vector<std::string>{"y"});
    // Ishigami (a = 7, b = 0.1): S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244 (Saltelli et
    // al. 2008, Global Sensitivity Analysis, table 4.1); at N = 1,024 within 0.05.
    REQUIRE(index(o, "x1", "S1").value == Approx(0.3139).margin(0.05));
    REQUIRE(index(o, "x2", "S1").value == Approx(0.4424).margin(0.05));
    REQUIRE(index(o, "x3", "ST").value == Approx(0.2437).margin(0.05));
    REQUIRE(o.variances.size() == 1);
    // The Ishigami variance: a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2 = 13.845.
    REQUIRE(o.variances[0].variance == Approx(13.845).epsilon(0.05));

    // Again on the same store: every point is stored, nothing is evaluated, same indices.
    const study::SweepOutcome again = study::run_sweep(spec, none, open, {});
    REQUIRE(again.evaluated == 0);
    REQUIRE(index(again, "x1", "S1").value == index(o, "x1", "S1").value);
}

TEST_CASE("sweep runner: a scenario sweep takes its scenarios from the caller's source") {
    study::SweepSpec spec;
    spec.parameters.push_back(integer_parameter("gpus", "pool[0].count", 10, 1000));
    spec.design.design = study::Design::random;
    spec.design.samples = 3;
    spec.replicates = 2;
    spec.metrics = {"spend_gpu_krw"};
    std::vector<std::vector<std::string>> asked;
    study::MemoryPointStore store;
    const study::SweepOutcome o = run_on_minimal(spec, store, &asked);
    REQUIRE(o.evaluated == 3);
    // The base (no sets), the midpoint and both ends of the range, then one scenario per point.
    REQUIRE(asked.size() == 7);
    REQUIRE(asked[0].empty());
    REQUIRE(asked[2].at(0).rfind("pool[0].count=", 0) == 0);
    // More GPUs in the pool cost more: the metric follows the parameter.
    const auto spend = store.metric_values("spend_gpu_krw");
    for (const auto& [id, p] : store.points())
        for (const auto& [id2, p2] : store.points())
            if (std::stoi(p.values[0]) < std::stoi(p2.values[0]))
                REQUIRE(spend.at(id) < spend.at(id2));
}

TEST_CASE("sweep runner: a linked factor sets every path from one draw, scaled per path") {
    study::SweepParameter p =
        integer_parameter("gpus", "policies.allocation.quota.stage1", 500, 2000);
    p.also = {{"policies.allocation.quota.stage2", 1, 0, 0}, {"pool[0].count", 2.5, 0, 0}};
    const std::vector<std::string> sets = study::parameter_sets(p, 0.0);
    REQUIRE(sets == std::vector<std::string>{"policies.allocation.quota.stage1=500",
                                             "policies.allocation.quota.stage2=500",
                                             "pool[0].count=1250"});
    // Rounded for an integer parameter: 501 x 2.5 = 1252.5 -> 1253.
    const double u501 = 1.5 / 1501;  // the second of 1,501 integer values
    REQUIRE(study::parameter_text(p, u501) == "501");
    REQUIRE(study::parameter_sets(p, u501).back() == "pool[0].count=1253");
}

TEST_CASE("sweep runner: a parameter that moves no metric over its whole range is reported inert") {
    study::SweepSpec spec;
    spec.parameters.push_back(integer_parameter("gpus", "pool[0].count", 10, 1000));
    study::SweepParameter label;  // the programme's name: it changes no metric
    label.name = "label";
    label.path = "programme.name";
    label.dist = study::Distribution::choice;
    label.values = {"first", "second"};
    spec.parameters.push_back(label);
    spec.design.design = study::Design::sobol;
    spec.design.samples = 4;
    spec.replicates = 2;
    spec.bootstrap = 10;
    spec.metrics = {"spend_gpu_krw", "best_final_ability"};
    study::MemoryPointStore store;
    const study::SweepOutcome o = run_on_minimal(spec, store);
    REQUIRE(o.inert == std::vector<std::string>{"label"});
    REQUIRE(io::sensitivity_table(o).rfind("warning: parameter 'label' is inert", 0) == 0);
}
