// kaisim sweep: a sweep file into a resumable SQLite store, its exports and sensitivity.
#include <filesystem>
#include <iostream>
#include <memory>

#include "command.hpp"
#include "kaisim/core/process_group.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/output/atomic_output.hpp"
#include "kaisim/output/sweep_outputs.hpp"
#include "kaisim/store/sweep_store.hpp"
#include "kaisim/study/sweep_runner.hpp"
#include "kaisim/study_files/sweep_file.hpp"

namespace kaisim::cli {

namespace {

struct SweepArgs {
    std::string file, export_format = "csv";
    bool resume = false;
    Common common;
};

int sweep(const SweepArgs& a) {
    const Common& c = a.common;
    const bool rank0 = core::ProcessGroup::world().rank() == 0;
    const bool talk = !c.quiet && rank0;
    make_backend(c);  // an unusable --backend is bad input (exit 2), before any work
    const study::SweepSpec spec = io::load_sweep(a.file);
    const std::filesystem::path dir(c.out_dir);
    std::unique_ptr<io::SweepStore> store;
    const study::StoreOpener open = [&]() -> study::PointStore& {
        io::make_output_folder(dir.string());
        store = std::make_unique<io::SweepStore>((dir / "sweep.db").string(),
                                                 io::sweep_fingerprint(spec, version), a.resume);
        store->set_meta("sweep_file", spec.file);
        store->set_meta("version", version);
        return *store;
    };
    study::SweepRunOptions o;
    o.threads = c.threads;
    o.backend = c.backend;
    std::unique_ptr<Progress> progress;
    o.progress = [&](std::uint64_t done, std::uint64_t total) {
        if (!progress) progress = std::make_unique<Progress>(total, !talk, "points");
        (*progress)(done);
    };
    const study::SweepOutcome s = study::run_sweep(spec, io::sweep_scenario_source(spec), open, o);
    progress.reset();
    if (!rank0) return 0;
    // The exports form the folder's output set (sweep.db stays outside it: it is resumable).
    io::AtomicOutputs out(c.out_dir, "sweep");
    if (a.export_format == "csv")
        out.add((dir / "sweep.csv").string(), store->export_csv(s.parameters, s.metrics));
    if (spec.design.design == study::Design::sobol || spec.design.design == study::Design::morris)
        out.add((dir / "sensitivity.csv").string(), io::sensitivity_csv(s));
    out.commit();
    write_derived_if_asked(c);
    if (talk) {
        const std::string table = io::sensitivity_table(s);
        std::cout << a.file << ": " << s.points << " points, " << s.evaluated << " evaluated now, "
                  << s.points - s.evaluated << " already stored\n";
        if (!table.empty()) std::cout << "\nsensitivity (95% bootstrap intervals)\n" << table;
        std::cout << "\noutputs written to " << c.out_dir
                  << "/ (sweep.db, sweep.csv, sensitivity.csv)\n";
    }
    return 0;
}

}  // namespace

Command add_sweep(CLI::App& app) {
    auto a = std::make_shared<SweepArgs>();
    a->common.out_dir = "out/sweep";
    CLI::App* cmd = app.add_subcommand(
        "sweep", "run a parameter sweep and its sensitivity analysis (distributed under mpirun)");
    cmd->add_option("sweep", a->file, "sweep YAML file")->required();
    cmd->add_flag("--resume", a->resume, "continue a sweep in --out, recomputing nothing stored");
    cmd->add_option("--export", a->export_format,
                    "export format of the points table: csv (default) or none")
        ->check(CLI::IsMember({"csv", "none"}));
    add_common(*cmd, a->common, true);
    return {cmd, [a] { return sweep(*a); }};
}

}  // namespace kaisim::cli
