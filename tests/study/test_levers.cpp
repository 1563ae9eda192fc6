// The levers sweep of the README: each lever, at both ends of its range, sets what its name
// says (the audit of issue 12 found a "GPUs per team" lever that moved one stage's quota only).
// The levers of the policy search (scenarios/searches/k-ai-2025-policy.yaml) likewise.
#include <catch2/catch.hpp>

#include <string>

#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/replicate.hpp"
#include "kaisim/study/sweep_design.hpp"
#include "kaisim/study_files/optimisation_file.hpp"
#include "kaisim/study_files/sweep_file.hpp"

using namespace kaisim;

namespace {
const std::string levers =
    std::string(KAISIM_SOURCE_DIR) + "/scenarios/sweeps/k-ai-2025-levers.yaml";
constexpr double low_end = 0.0, high_end = 1 - 1e-12;  // the design's unit interval

const study::SweepParameter& lever(const study::SweepSpec& spec, const std::string& name) {
    for (const study::SweepParameter& p : spec.parameters)
        if (p.name == name) return p;
    FAIL("no lever " << name);
    throw;
}

model::Scenario at(const study::SweepSpec& spec, const std::string& name, double u) {
    return io::sweep_scenario_source(spec)(study::parameter_sets(lever(spec, name), u));
}

programme::Result run_once(const model::Scenario& sc) {
    const programme::PreparedScenario p = programme::prepare(sc);
    eval::CpuBackend backend(1);
    return run::run_replicate(p, 0, backend);
}

int stage_index(const model::Scenario& sc, const std::string& id) {
    for (std::size_t s = 0; s < sc.stages.size(); ++s)
        if (sc.stages[s].id == id) return static_cast<int>(s);
    FAIL("no stage " << id);
    return -1;
}
}  // namespace

TEST_CASE("levers: GPUs per team holds every funded team at that count from stage 1 to the end") {
    const study::SweepSpec spec = io::load_sweep(levers);
    for (const double u : {low_end, high_end}) {
        const int q =
            static_cast<int>(study::parameter_value(lever(spec, "gpus_per_team_2026"), u));
        REQUIRE((q == 500 || q == 2000));
        const model::Scenario sc = at(spec, "gpus_per_team_2026", u);
        const programme::Result r = run_once(sc);
        const double from = sc.stages[stage_index(sc, "stage1")].t_h;
        int rows = 0;
        for (const programme::TimelineRow& row : r.timeline) {
            if (row.t_h < from || !row.funded || !row.in_race) continue;
            REQUIRE(row.gpus_programme == q);  // the quota, served in full by the sized pool
            REQUIRE(row.gpus_unmet == 0);
            ++rows;
        }
        REQUIRE(rows > 0);
        for (const programme::TeamRecord& t : r.teams) REQUIRE(t.gpu_h_unmet == 0);
    }
}

TEST_CASE("levers: expert judges sets the panel of every stage evaluation") {
    const study::SweepSpec spec = io::load_sweep(levers);
    for (const double u : {low_end, high_end}) {
        const int j = static_cast<int>(study::parameter_value(lever(spec, "expert_judges"), u));
        const model::Scenario sc = at(spec, "expert_judges", u);
        int panels = 0;
        for (const model::Stage& st : sc.stages)
            for (const model::Component& c : st.components)
                if (c.id == "experts") {
                    REQUIRE(c.judges == j);
                    ++panels;
                }
        REQUIRE(panels == 3);
    }
}

TEST_CASE("levers: the other levers change what they name, at both ends") {
    const study::SweepSpec spec = io::load_sweep(levers);
    for (const double u : {low_end, high_end}) {
        const model::Scenario items = at(spec, "common_benchmark_items", u);
        for (const auto& b : items.benchmarks)
            if (b.id == "common")
                REQUIRE(b.items ==
                        study::parameter_value(lever(spec, "common_benchmark_items"), u));
        REQUIRE(at(spec, "data_krw_per_team_year", u).policy.data.purchase_krw_per_year ==
                Approx(study::parameter_value(lever(spec, "data_krw_per_team_year"), u)));
        REQUIRE(at(spec, "failure_rate_per_gpu_h", u).failures.rate_per_gpu_h ==
                Approx(study::parameter_value(lever(spec, "failure_rate_per_gpu_h"), u)));
        const model::Scenario korean = at(spec, "korean_krw_per_mtok", u);
        for (const auto& d : korean.domains)
            if (d.id == "korean")
                REQUIRE(d.purchase_krw_per_mtok ==
                        Approx(study::parameter_value(lever(spec, "korean_krw_per_mtok"), u)));
    }
    // More data money is spent; more interruptions lose more hours.
    const auto spend_data = [&](double u) {
        return run_once(at(spec, "data_krw_per_team_year", u)).spend_krw[1];
    };
    REQUIRE(spend_data(high_end) > 4 * spend_data(low_end));
    const auto lost = [&](double u) {
        return run_once(at(spec, "failure_rate_per_gpu_h", u)).pool.lost_gpu_h;
    };
    REQUIRE(lost(high_end) > 5 * lost(low_end));
}

TEST_CASE("levers of the policy search: each sets what its name says, at both ends") {
    const study::OptimisationSpec spec = io::load_optimisation(
        std::string(KAISIM_SOURCE_DIR) + "/scenarios/searches/k-ai-2025-policy.yaml");
    const study::ScenarioSource source = io::scenario_source(spec.scenario, spec.overlays);
    const auto search_lever = [&](const std::string& name) -> const study::SweepParameter& {
        for (const study::SweepParameter& p : spec.levers)
            if (p.name == name) return p;
        FAIL("no lever " << name);
        throw;
    };
    for (const double u : {low_end, high_end}) {
        const auto at_end = [&](const std::string& name) {
            return source(study::parameter_sets(search_lever(name), u));
        };
        const auto value = [&](const std::string& name) {
            return study::parameter_value(search_lever(name), u);
        };
        // The cuts: the stage keeps that many of the teams it evaluates, in a replicate too.
        for (const char* name : {"stage1_keep", "stage2_keep"}) {
            const std::string stage = std::string(name).substr(0, 6);
            const model::Scenario sc = at_end(name);
            const int s = stage_index(sc, stage);
            REQUIRE(sc.stages[s].keep == static_cast<int>(value(name)));
            int advanced = 0;
            const programme::Result r = run_once(sc);  // kept: the rows live in it
            for (const auto& row : r.stages.at(s).rows)
                advanced += row.outcome == eval::Outcome::advanced;
            REQUIRE(advanced == static_cast<int>(value(name)));
        }
        // The experts' points at every stage evaluation, taken from the users': the two keep
        // sharing 60, so each stage still has its 100 points.
        const model::Scenario w = at_end("experts_weight");
        int stages = 0;
        for (const char* id : {"stage1", "stage2", "stage3"}) {
            double experts = -1, users = -1, total = 0;
            for (const model::Component& c : w.stages[stage_index(w, id)].components) {
                if (c.id == "experts") experts = c.weight;
                if (c.id == "users") users = c.weight;
                total += c.weight;
            }
            REQUIRE(experts == Approx(value("experts_weight")));
            REQUIRE(experts + users == Approx(60));
            REQUIRE(total == Approx(100));
            ++stages;
        }
        REQUIRE(stages == 3);
        // The common benchmarks' length.
        const model::Scenario b = at_end("common_benchmark_items");
        int found = 0;
        for (const model::Benchmark& bench : b.benchmarks)
            if (bench.id == "common") {
                REQUIRE(bench.items == static_cast<int>(value("common_benchmark_items")));
                ++found;
            }
        REQUIRE(found == 1);
        // GPUs per team: the quota of every stage from stage 1 on, each served in full.
        const int q = static_cast<int>(value("gpus_per_team_2026"));
        const model::Scenario g = at_end("gpus_per_team_2026");
        const double from = g.stages[stage_index(g, "stage1")].t_h;
        int rows = 0;
        const programme::Result rg = run_once(g);
        for (const programme::TimelineRow& row : rg.timeline) {
            if (row.t_h < from || !row.funded || !row.in_race) continue;
            REQUIRE(row.gpus_programme == q);
            ++rows;
        }
        REQUIRE(rows > 0);
    }
}
