// kaisim bench: the performance benchmarks.
#include <algorithm>
#include <cstdio>

#include "bench_inference.hpp"
#include "command.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/perf_bench.hpp"
#include "kaisim/scenario/scenario_loader.hpp"

namespace kaisim::cli {

namespace {

struct BenchArgs {
    std::string what = "all", scenario = "scenarios/k-ai-2025.yaml";
    std::string calibration = "scenarios/calibration/k-ai-stage1.yaml";
    std::uint32_t replicates = 2000;
    std::string simd;  ///< instruction set to use instead of the best one
    Common common;
};

void bench_scoring(const Common& c) {
    // The CPU backend always; the CUDA one where asked for or present, with the ratio.
    eval::CpuBackend cpu(c.threads);
    const bool cuda = c.backend == "cuda" || (c.backend == "auto" && eval::cuda_device_count() > 0);
    const auto gpu = cuda ? make_backend(c) : nullptr;
    if (gpu) std::printf("CUDA device: %s\n", eval::cuda_device_name(0).c_str());
    // The scalar code once, for the ratio the SIMD dispatch gives on this machine.
    eval::CpuBackend scalar(c.threads, false);
    const double rs = run::bench_scoring(scalar, 15'000u, 1000);
    std::printf(
        "scoring, cpu backend, scalar code, 15000 pairs x 1000 items, %d thread(s): %.3g item "
        "responses/s (%.3g per thread)\n",
        c.threads, rs, rs / c.threads);
    for (std::uint32_t pairs : {15'000u, 150'000u, 1'500'000u}) {
        const double rc = pairs <= 150'000u ? run::bench_scoring(cpu, pairs, 1000) : 0.0;
        if (rc > 0)
            std::printf(
                "scoring, cpu backend, SIMD %s, %u pairs x 1000 items, %d thread(s): %.3g item "
                "responses/s (%.3g per thread, %.1fx the scalar code)\n",
                eval::cpu_simd_target().c_str(), pairs, c.threads, rc, rc / c.threads, rc / rs);
        if (!gpu) continue;
        const double rg = run::bench_scoring(*gpu, pairs, 1000);
        std::printf("scoring, cuda backend, %u pairs x 1000 items: %.3g item responses/s", pairs,
                    rg);
        if (rc > 0) std::printf(" (%.0fx the cpu backend)", rg / rc);
        std::printf("\n");
    }
}

int bench(const BenchArgs& a) {
    const Common& c = a.common;
    if (!a.simd.empty()) try {
            eval::use_cpu_simd_target(a.simd);
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
    if (a.what == "engine" || a.what == "all") {
        const double r = run::bench_engine(100, 20'000'000);
        std::printf("engine hold model (100 processes): %.3g events/s on one thread\n", r);
    }
    if (a.what == "scoring" || a.what == "all") bench_scoring(c);
    if (a.what == "replicates" || a.what == "all") {
        const model::Scenario sc = io::load_scenario(a.scenario);
        const programme::PreparedScenario prepared = programme::prepare(sc);
        const auto backend = make_backend(c);
        const run::ReplicateRate r =
            run::bench_replicates(prepared, *backend, a.replicates, c.threads);
        // A backend that overlaps scores while the simulation runs: what shows is the wait.
        const double idle = r.idle_share.value_or(0.0);
        std::printf(
            "replicates of %s, %d thread(s), %s backend%s: %.4g replicates/s (of the threads' "
            "time: %.0f%% %s, %.0f%% in the simulation",
            a.scenario.c_str(), c.threads, backend->name().c_str(),
            backend->name() == "cpu" ? (" " + eval::cpu_simd_target()).c_str() : "", r.per_second,
            100 * r.scoring_share,
            backend->overlaps() ? "waiting for the device's scoring" : "in scoring",
            100 * std::max(0.0, 1 - r.scoring_share - idle));
        if (r.idle_share) std::printf(", %.1f%% idle", 100 * idle);
        std::printf(")\n");
    }
    if (a.what == "inference" || a.what == "all")
        return bench_inference(a.calibration, a.replicates, c);
    return 0;
}

}  // namespace

Command add_bench(CLI::App& app) {
    auto a = std::make_shared<BenchArgs>();
    CLI::App* cmd = app.add_subcommand(
        "bench",
        "benchmarks: engine events/s, scoring item responses/s, replicates/s, and the "
        "replicates/s of a calibration and of posterior runs beside a plain Monte Carlo");
    cmd->add_option("what", a->what, "engine, scoring, replicates, inference or all (default)")
        ->check(CLI::IsMember({"engine", "scoring", "replicates", "inference", "all"}));
    cmd->add_option("--scenario", a->scenario, "scenario for the replicates benchmark");
    cmd->add_option("--calibration", a->calibration,
                    "calibration file for the inference benchmark (default "
                    "scenarios/calibration/k-ai-stage1.yaml)");
    cmd->add_option("--simd", a->simd,
                    "SIMD instruction set to use instead of the best (AVX3 = AVX-512, AVX2, "
                    "SSE4 or SCALAR, as this machine has them)");
    cmd->add_option("--replicates", a->replicates, "replicates to time (default 2000)")
        ->check(CLI::Range(1u, 100000000u));
    add_common(*cmd, a->common, false);
    return {cmd, [a] { return bench(*a); }};
}

}  // namespace kaisim::cli
