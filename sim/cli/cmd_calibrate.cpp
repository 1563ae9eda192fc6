// kaisim calibrate: fit a scenario's uncertain parameters to published figures (ABC-SMC).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "command.hpp"
#include "kaisim/core/process_group.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/io/atomic_output.hpp"
#include "kaisim/io/calibration_file.hpp"
#include "kaisim/io/calibration_outputs.hpp"
#include "kaisim/io/calibration_store.hpp"
#include "kaisim/io/sweep_file.hpp"

namespace kaisim::cli {

namespace {

struct CalibrateArgs {
    std::string file;
    Common common;
    bool resume = false;
};

int calibrate(const CalibrateArgs& a) {
    const Common& c = a.common;
    const study::CalibrationSpec spec = io::load_calibration(a.file);
    const study::ScenarioSource source = io::scenario_source(spec.scenario, spec.overlays);
    const bool rank0 = core::ProcessGroup::world().rank() == 0;
    const bool talk = !c.quiet && rank0;
    const std::filesystem::path dir(c.out_dir);
    // Rank 0 keeps every simulation in calibration.db, so that --resume simulates only what a
    // stopped run had not; it is opened once the calibration is known to be valid.
    std::unique_ptr<io::CalibrationStore> store;
    const auto open_store = [&]() -> study::SimulationStore* {
        std::filesystem::create_directories(dir);
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
        std::snprintf(buf, sizeof buf,
                      "generation %zu: tolerance %s, %llu proposals, acceptance %.3f, ESS %.0f\n",
                      t, std::isfinite(g.tolerance) ? std::to_string(g.tolerance).c_str() : "none",
                      static_cast<unsigned long long>(g.proposals), g.acceptance, g.ess);
        std::cerr << buf;
    };
    const study::CalibrationOutcome o =
        study::run_calibration(spec, source, c.threads, progress, open_store);
    if (!rank0) return 0;
    io::AtomicOutputs out(c.out_dir, "calibration");
    out.add((dir / "posterior.csv").string(), io::posterior_csv(spec, o));
    out.add((dir / "calibration.json").string(), io::calibration_json(spec, o, version));
    out.add((dir / "calibrated.yaml").string(), io::calibrated_yaml(spec, o));
    out.commit();
    write_derived_if_asked(c);
    if (talk)
        std::cout << spec.name << ": " << o.abc.generations.size() << " generations, "
                  << o.abc.replicates_simulated << " replicates; stopped at " << o.abc.stop
                  << "\nthis run simulated " << o.replicates_run << " replicates"
                  << (o.replicates_reused ? " and took " + std::to_string(o.replicates_reused) +
                                                " from " + (dir / "calibration.db").string()
                                          : std::string())
                  << "\n\n"
                  << io::calibration_table(spec, o) << "\noutputs written to " << c.out_dir
                  << "/ (posterior.csv, calibration.json, calibrated.yaml, calibration.db)\n";
    return 0;
}

}  // namespace

Command add_calibrate(CLI::App& app) {
    auto a = std::make_shared<CalibrateArgs>();
    a->common.out_dir = "out/calibration";
    CLI::App* cmd =
        app.add_subcommand("calibrate", "fit uncertain parameters to published figures by ABC-SMC");
    cmd->add_option("calibration", a->file, "calibration YAML file")->required();
    add_common(*cmd, a->common, true);
    cmd->get_option("--out")->description("output folder (default out/calibration)");
    cmd->add_flag("--resume", a->resume,
                  "continue a calibration in --out, simulating nothing its calibration.db holds");
    return {cmd, [a] { return calibrate(*a); }};
}

}  // namespace kaisim::cli
