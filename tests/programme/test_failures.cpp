#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/replicate.hpp"
#include "kaisim/scenario/scenario_loader.hpp"

using namespace kaisim;

namespace {
const std::string snapshot = std::string(KAISIM_SOURCE_DIR) + "/tests/inputs/llama3-snapshot.yaml";

// Llama 3's snapshot (FACTS §4): 16,384 GPUs for 54 days at the default rate.
constexpr double gpus = 16384, hours = 54 * 24;

programme::Result run_snapshot(std::uint32_t replicate) {
    const model::Scenario sc = io::load_scenario(snapshot, {});
    const programme::PreparedScenario p = programme::prepare(sc);
    eval::CpuBackend backend(1);
    return run::run_replicate(p, replicate, backend);
}
}  // namespace

TEST_CASE("failures: the default failure model reproduces the Llama 3 snapshot") {
    const model::FailureModel fm;
    const double expected = fm.rate_per_gpu_h * gpus * hours;  // 418.3
    REQUIRE(expected == Approx(418.3).margin(0.1));
    // Interruptions are Poisson: the scenario's run is within 3 sd of the 419 Meta reported, the
    // mean over 40 replicates within 3 sd of the expectation, and every replicate's effective
    // training time is inside the reported "more than 90%" and below 97%.
    double sum = 0, lost_h = 0;
    const int n = 40;
    for (int k = 0; k < n; ++k) {
        const programme::Result r = run_snapshot(static_cast<std::uint32_t>(k));
        const programme::TeamRecord& job = r.teams[0];
        REQUIRE(job.own_gpu_h == Approx(gpus * hours).epsilon(1e-12));
        if (k == 0)  // the scenario's own run: as Meta's one observed snapshot
            REQUIRE(std::abs(job.failures - 419.0) <= 3 * std::sqrt(419.0));
        const double effective = 1 - job.own_gpu_h_lost / job.own_gpu_h;
        REQUIRE(effective > 0.90);
        REQUIRE(effective < 0.97);
        // No programme GPUs: nothing is counted as programme hours lost.
        REQUIRE(job.gpu_h_lost == 0);
        sum += job.failures;
        lost_h += job.own_gpu_h_lost / gpus;
    }
    REQUIRE(std::abs(sum / n - expected) <= 3 * std::sqrt(expected / n));
    // Every interruption stops the whole job for the work since the last checkpoint (uniform on
    // [0, checkpoint]) plus the restart: pooled, the mean loss is checkpoint/2 + restart within
    // 3 sd of a mean of uniforms, less at most one interruption's loss per replicate that the
    // programme's end leaves unconsumed.
    const double per_failure = lost_h / sum;
    const double sd_mean = fm.checkpoint_h / std::sqrt(12.0 * sum);
    const double unconsumed = n * (fm.checkpoint_h + fm.restart_h) / sum;
    REQUIRE(per_failure <= fm.checkpoint_h / 2 + fm.restart_h + 3 * sd_mean);
    REQUIRE(per_failure >= fm.checkpoint_h / 2 + fm.restart_h - 3 * sd_mean - unconsumed);
}
