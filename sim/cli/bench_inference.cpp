// kaisim bench inference: what a calibration, a posterior Monte Carlo and a policy search
// simulate per second, beside a plain Monte Carlo of the same scenario, in one run.
#include "bench_inference.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "kaisim/core/error.hpp"
#include "kaisim/output/calibration_outputs.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/monte_carlo.hpp"
#include "kaisim/run/perf_bench.hpp"
#include "kaisim/scenario/scenario_loader.hpp"
#include "kaisim/study_files/calibration_file.hpp"
#include "kaisim/study_files/sweep_file.hpp"
#include "posterior_arms.hpp"

namespace kaisim::cli {

namespace {

// A temporary folder, removed with everything in it when the benchmark ends.
struct TempFolder {
    std::filesystem::path path;
    TempFolder() {
        const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
        path = std::filesystem::temp_directory_path() / ("kaisim-bench-" + std::to_string(stamp));
        std::filesystem::create_directories(path);
    }
    ~TempFolder() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string write(const std::string& name, const std::string& text) const {
        const std::string file = (path / name).string();
        std::ofstream(file, std::ios::binary) << text;
        return file;
    }
};

// posterior.csv's header and its first particle, weight 1.
std::string first_particle(const std::string& csv) {
    std::istringstream in(csv);
    std::string header, row;
    std::getline(in, header);
    std::getline(in, row);
    // particle,weight,...: the weight is the second field.
    const std::size_t a = row.find(','), b = row.find(',', a + 1);
    return header + "\n" + row.substr(0, a + 1) + "1" + row.substr(b) + "\n";
}

}  // namespace

int bench_inference(const std::string& calibration, std::uint32_t replicates, const Common& c) {
    study::CalibrationSpec spec = io::load_calibration(calibration);
    if (spec.model != study::CalibrationModel::scenario)
        throw InputError(calibration, 1, 1, "the inference benchmark needs a scenario calibration");
    const study::ScenarioSource source = io::scenario_source(spec.scenario, spec.overlays);
    const model::Scenario sc = source({});
    const programme::PreparedScenario prepared = programme::prepare(sc);
    const auto backend = make_backend(c);
    std::printf("inference benchmark on %s (%s), %d thread(s), %s backend\n", calibration.c_str(),
                spec.scenario.c_str(), c.threads, backend->name().c_str());

    run::McOptions mc;
    mc.replicates = replicates;
    mc.threads = c.threads;
    auto t0 = std::chrono::steady_clock::now();
    (void)run::run_monte_carlo(prepared, *backend, mc);
    const double plain = replicates / run::seconds_since(t0);
    std::printf("  plain Monte Carlo, %u replicates: %.4g replicates/s (%.4g per thread)\n",
                replicates, plain, plain / c.threads);

    // A short calibration of 300 particles: its posterior.csv is the posterior runs' file.
    const std::uint32_t particles = 300;
    if (spec.method == study::CalibrationMethod::abc) {
        spec.abc.particles = particles;
        spec.abc.generations = 2;
    } else {
        spec.likelihood.particles = particles;
        spec.likelihood.generations = 2;
        spec.likelihood.moves = 2;
    }
    std::printf("  calibration (%s, %u particles, %u replicates each, 2 generations):\n",
                spec.method == study::CalibrationMethod::abc ? "ABC-SMC" : "likelihood SMC",
                particles,
                spec.method == study::CalibrationMethod::abc ? spec.abc.replicates
                                                             : spec.likelihood.replicates);
    // As calibrations ran before the scenario template: its files read again at every point.
    const study::ScenarioSource rereading = [&spec](const std::vector<std::string>& sets) {
        return io::load_scenario(spec.scenario, io::LoadOptions{spec.overlays, sets, {}});
    };
    t0 = std::chrono::steady_clock::now();
    const std::uint64_t again = study::run_calibration(spec, rereading, c.threads).replicates_run;
    const double calib_again = again / run::seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    const study::CalibrationOutcome cal = study::run_calibration(spec, source, c.threads);
    const double calib = cal.replicates_run / run::seconds_since(t0);
    std::printf(
        "    files read at every point: %.4g replicates/s (%.0f%% of the plain Monte Carlo's)\n"
        "    files read once:           %.4g replicates/s (%.0f%%), %llu replicates\n",
        calib_again, 100 * calib_again / plain, calib, 100 * calib / plain,
        static_cast<unsigned long long>(cal.replicates_run));

    const TempFolder tmp;
    const std::string all = io::posterior_csv(spec, cal);
    const std::string files[2] = {tmp.write("one.csv", first_particle(all)),
                                  tmp.write("posterior.csv", all)};
    double rate[2] = {0, 0};
    for (int f = 0; f < 2; ++f) {
        t0 = std::chrono::steady_clock::now();
        const ScenarioArgs arm{spec.scenario, {}, spec.overlays, std::nullopt};
        const PosteriorArms posterior(files[f], {arm}, sc.seed, replicates);
        run::McOptions opt = mc;
        opt.prepared_for = [&](std::uint32_t r) {
            return posterior.prepared(0, posterior.particle(r));
        };
        (void)run::run_monte_carlo(prepared, *backend, opt);
        rate[f] = replicates / run::seconds_since(t0);
        std::printf("  posterior Monte Carlo, %s, %u replicates: %.4g replicates/s",
                    f == 0 ? "1 particle" : "300 particles", replicates, rate[f]);
        if (f == 1) std::printf(" (%.0f%% of one particle's)", 100 * rate[1] / rate[0]);
        std::printf("\n");
    }
    return 0;
}

}  // namespace kaisim::cli
