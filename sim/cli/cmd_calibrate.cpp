// kaisim calibrate: fit a scenario's uncertain parameters to published figures (ABC-SMC, or a
// tempered SMC on a simulated likelihood).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "command.hpp"
#include "kaisim/core/process_group.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/output/atomic_output.hpp"
#include "kaisim/output/calibration_outputs.hpp"
#include "kaisim/store/calibration_store.hpp"
#include "kaisim/study/sbc.hpp"
#include "kaisim/study_files/calibration_file.hpp"
#include "kaisim/study_files/sweep_file.hpp"

namespace kaisim::cli {

namespace {

struct CalibrateArgs {
    std::string file;
    Common common;
    bool resume = false;
    std::uint32_t sbc = 0, sbc_draws = 19, sbc_bins = 5;
};

// The simulation-based calibration check of the calibration's own method: sbc.csv, sbc.json.
int check(const CalibrateArgs& a, const study::CalibrationSpec& spec,
          const study::ScenarioSource& source) {
    const Common& c = a.common;
    if ((a.sbc_draws + 1) % a.sbc_bins != 0)
        throw UsageError("--sbc-bins must divide --sbc-draws + 1 (the possible ranks)");
    study::SbcSettings settings;
    settings.truths = a.sbc;
    settings.draws = a.sbc_draws;
    const bool talk = !c.quiet && core::ProcessGroup::world().rank() == 0;
    const study::SbcResult r =
        study::run_sbc(spec, source, c.threads, settings, [&](std::uint32_t t) {
            if (talk) std::cerr << "truth " << t + 1 << " of " << a.sbc << " fitted\n";
        });
    if (core::ProcessGroup::world().rank() != 0) return 0;
    const std::filesystem::path dir(c.out_dir);
    io::AtomicOutputs out(c.out_dir, "calibration check");
    out.add((dir / "sbc.csv").string(), io::sbc_csv(r));
    const std::string json = io::sbc_json(spec, r, a.sbc_bins, version);
    out.add((dir / "sbc.json").string(), json);
    out.commit();
    if (talk) {
        std::cout << spec.name << ": simulation-based calibration, " << a.sbc << " truths, "
                  << a.sbc_draws << " draws each, " << r.replicates << " replicates\n";
        std::printf("%-32s %9s %18s %18s\n", "parameter", "p uniform", "50% coverage",
                    "90% coverage");
        for (std::size_t p = 0; p < r.names.size(); ++p)
            std::printf("%-32s %9.3f %18.2f %18.2f\n", r.names[p].c_str(),
                        study::sbc_uniformity_p(r, p, a.sbc_bins),
                        study::sbc_rank_coverage(r, p, 0.5), study::sbc_rank_coverage(r, p, 0.9));
        std::cout << "outputs written to " << c.out_dir << "/ (sbc.csv, sbc.json)\n";
    }
    return 0;
}

int calibrate(const CalibrateArgs& a) {
    const Common& c = a.common;
    const study::CalibrationSpec spec = io::load_calibration(a.file);
    const study::ScenarioSource source = io::scenario_source(spec.scenario, spec.overlays);
    if (a.sbc > 0) return check(a, spec, source);
    const bool rank0 = core::ProcessGroup::world().rank() == 0;
    const bool talk = !c.quiet && rank0;
    const std::filesystem::path dir(c.out_dir);
    // Rank 0 keeps every simulation in calibration.db, so that --resume simulates only what a
    // stopped run had not; it is opened once the calibration is known to be valid.
    std::unique_ptr<io::CalibrationStore> store;
    const auto open_store = [&]() -> study::SimulationStore* {
        io::make_output_folder(dir.string());
        store = std::make_unique<io::CalibrationStore>((dir / "calibration.db").string(),
                                                       io::calibration_fingerprint(spec, version),
                                                       a.resume);
        store->set_meta("calibration_file", spec.file);
        store->set_meta("version", version);
        return store.get();
    };
    const auto progress = [&](const study::AbcGeneration& g, std::size_t t) {
        if (!talk) return;
        char buf[200];
        if (std::isnan(g.temperature))
            std::snprintf(
                buf, sizeof buf,
                "generation %zu: tolerance %s, %llu proposals, acceptance %.3f, ESS %.0f\n", t,
                std::isfinite(g.tolerance) ? std::to_string(g.tolerance).c_str() : "none",
                static_cast<unsigned long long>(g.proposals), g.acceptance, g.ess);
        else
            std::snprintf(buf, sizeof buf,
                          "generation %zu: temperature %.4f, %llu proposals, acceptance %.3f, "
                          "ESS %.0f\n",
                          t, g.temperature, static_cast<unsigned long long>(g.proposals),
                          g.acceptance, g.ess);
        std::cerr << buf;
    };
    const study::CalibrationOutcome o =
        study::run_calibration(spec, source, c.threads, progress, open_store);
    if (!rank0) return 0;
    io::AtomicOutputs out(c.out_dir, "calibration");
    out.add((dir / "posterior.csv").string(), io::posterior_csv(spec, o));
    out.add((dir / "prior.csv").string(), io::prior_csv(spec, o));
    out.add((dir / "calibration.json").string(), io::calibration_json(spec, o, version));
    out.add((dir / "calibrated.yaml").string(), io::calibrated_yaml(spec, o));
    out.commit();
    write_derived_if_asked(c);
    if (talk)
        std::cout
            << spec.name << ": " << o.abc.generations.size() << " generations, "
            << o.abc.replicates_simulated << " replicates; stopped at " << o.abc.stop
            << "\nthis run simulated " << o.replicates_run << " replicates"
            << (o.replicates_reused ? " and took " + std::to_string(o.replicates_reused) +
                                          " from " + (dir / "calibration.db").string()
                                    : std::string())
            << "\n\n"
            << io::calibration_table(spec, o) << "\noutputs written to " << c.out_dir
            << "/ (posterior.csv, prior.csv, calibration.json, calibrated.yaml, calibration.db)\n";
    return 0;
}

}  // namespace

Command add_calibrate(CLI::App& app) {
    auto a = std::make_shared<CalibrateArgs>();
    a->common.out_dir = "out/calibration";
    CLI::App* cmd = app.add_subcommand(
        "calibrate", "fit uncertain parameters to published figures (ABC-SMC or a likelihood SMC)");
    cmd->add_option("calibration", a->file, "calibration YAML file")->required();
    add_common(*cmd, a->common, true);
    cmd->get_option("--out")->description("output folder (default out/calibration)");
    cmd->add_flag("--resume", a->resume,
                  "continue a calibration in --out, simulating nothing its calibration.db holds");
    cmd->add_option("--sbc", a->sbc,
                    "instead of fitting, check the method: fit this many data sets simulated from "
                    "prior draws and rank each truth among its posterior draws (sbc.csv, sbc.json)")
        ->check(CLI::Range(1u, 100000u));
    cmd->add_option("--sbc-draws", a->sbc_draws, "posterior draws a truth is ranked among (19)")
        ->check(CLI::Range(1u, 100000u));
    cmd->add_option("--sbc-bins", a->sbc_bins,
                    "groups of ranks in the uniformity test; divides --sbc-draws + 1 (5)")
        ->check(CLI::Range(2u, 100000u));
    return {cmd, [a] { return calibrate(*a); }};
}

}  // namespace kaisim::cli
