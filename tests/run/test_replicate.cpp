#include <catch2/catch.hpp>

#include <string>

#include "kaisim/io/run_outputs.hpp"
#include "kaisim/io/scenario_loader.hpp"
#include "kaisim/run/replicate.hpp"

using namespace kaisim;

namespace {
const std::string reference = std::string(KAISIM_SOURCE_DIR) + "/scenarios/k-ai-2025.yaml";
const std::string minimal = std::string(KAISIM_SOURCE_DIR) + "/tests/inputs/minimal.yaml";

run::Result run_once(const model::Scenario& sc, int threads = 1) {
    const run::PreparedScenario p = run::prepare(sc);
    eval::CpuBackend backend(threads);
    return run::run_replicate(p, 0, backend);
}
}  // namespace

TEST_CASE("replicate: the reference programme keeps 10, 5, 4, 3 and 2 teams") {
    io::LoadOptions opt;
    opt.seed = 1;
    const model::Scenario sc = io::load_scenario(reference, opt);
    const run::Result r = run_once(sc);
    REQUIRE(r.stages.size() == 5);
    const std::vector<std::size_t> eligible{15, 10, 5, 4, 3};
    const std::vector<int> kept{10, 5, 4, 3, 2};
    for (std::size_t s = 0; s < 5; ++s) {
        REQUIRE(r.stages[s].rows.size() == eligible[s]);
        int k = 0;
        for (const auto& row : r.stages[s].rows) k += row.outcome == eval::Outcome::advanced;
        REQUIRE(k == kept[s]);
    }
    REQUIRE(r.finalists.size() == 2);
    // Exactly the five elite teams kept at the presentation review hold programme GPUs.
    for (const auto& row : r.stages[1].rows) {
        const bool elite = row.outcome == eval::Outcome::advanced;
        REQUIRE((r.teams[row.team].gpu_h_allocated > 0) == elite);
    }
    for (const auto& row : r.stages[0].rows)
        if (row.outcome != eval::Outcome::advanced) REQUIRE(r.teams[row.team].gpu_h_allocated == 0);
}

TEST_CASE("replicate: GPU spend in the budget window is the cost of the leased GPUs assigned") {
    io::LoadOptions opt;
    opt.seed = 1;
    const run::Result r = run_once(io::load_scenario(reference, opt));
    // By hand from the scenario's quotas, which use the whole pool: 5 x 500 H100 for 164 days
    // (4 Aug 2025 to 15 Jan 2026) and 4 x 1,000 for 166 days (to 30 Jun 2026), at 4,977 KRW per
    // GPU-hour.
    const double by_hand = 4977.0 * 24 * (2500.0 * 164 + 4000.0 * 166);
    REQUIRE(r.budgets.size() == 1);
    REQUIRE(r.budgets[0].spent_krw == Approx(by_hand).epsilon(1e-9));
    REQUIRE(r.budgets[0].feasible == (by_hand <= 157.6e9));
}

TEST_CASE("replicate: GPU-hours add up on a small programme") {
    const model::Scenario sc = io::load_scenario(minimal);
    const run::Result r = run_once(sc);
    // 100 pool GPUs all year (364 days); the survivor of 30 Jun holds them for 184 days.
    REQUIRE(r.pool.capacity_gpu_h == Approx(100 * 364 * 24.0));
    REQUIRE(r.pool.allocated_gpu_h == Approx(100 * 184 * 24.0));
    REQUIRE(r.pool.idle_gpu_h == Approx(100 * 180 * 24.0));
    const run::TeamRecord& winner = r.teams[r.finalists.at(0)];
    REQUIRE(winner.gpu_h_allocated == Approx(100 * 184 * 24.0));
    REQUIRE(winner.gpu_h_productive + winner.gpu_h_lost == Approx(winner.gpu_h_allocated));
    REQUIRE(winner.gpu_h_lost > 0);  // ~87 expected interruptions at 1.97e-5 per GPU-hour
    // The programme pays for the GPUs it assigns, not for capacity it leaves with the provider.
    REQUIRE(r.spend_krw[0] == Approx(5000.0 * 100 * 184 * 24));
}

TEST_CASE("replicate: the same seed gives identical outputs, another seed other scores") {
    io::LoadOptions opt;
    opt.seed = 7;
    const model::Scenario a = io::load_scenario(reference, opt);
    const std::string s1 = io::stages_csv(a, run_once(a)) + io::timeline_csv(a, run_once(a));
    const std::string s2 = io::stages_csv(a, run_once(a, 2)) + io::timeline_csv(a, run_once(a, 2));
    REQUIRE(s1 == s2);
    opt.seed = 8;
    const model::Scenario b = io::load_scenario(reference, opt);
    REQUIRE(io::stages_csv(b, run_once(b)) != io::stages_csv(a, run_once(a)));
}
