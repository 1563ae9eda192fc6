// kaisim optimise: a many-objective search of a scenario's levers (pagmo2's NSGA-II or MOEA/D),
// each candidate a Monte Carlo on the same replicates, compared with the plan as given.
#include <filesystem>
#include <iostream>

#include "command.hpp"
#include "kaisim/core/process_group.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/output/atomic_output.hpp"
#include "kaisim/output/optimisation_outputs.hpp"
#include "kaisim/output/run_outputs.hpp"
#include "kaisim/store/optimisation_store.hpp"
#include "kaisim/study_files/optimisation_file.hpp"
#include "kaisim/study_files/posterior_reader.hpp"
#include "kaisim/study_files/sweep_file.hpp"

namespace kaisim::cli {

namespace {
struct OptimiseArgs {
    std::string file;
    Common common;
    bool resume = false;
    std::string posterior;  ///< overrides the search file's
};

int optimise(const OptimiseArgs& a) {
    namespace fs = std::filesystem;
    const Common& c = a.common;
    study::OptimisationSpec spec = io::load_optimisation(a.file);
    if (!a.posterior.empty()) spec.posterior = a.posterior;
    std::vector<study::Particle> posterior;
    if (!spec.posterior.empty())
        for (const io::PosteriorParticle& p : io::read_posterior(spec.posterior))
            posterior.push_back({p.weight, p.sets});
    const bool rank0 = core::ProcessGroup::world().rank() == 0;
    const bool talk = !c.quiet && rank0;
    const fs::path dir(c.out_dir);
    const auto progress = [&](std::uint32_t g) {
        if (talk) std::cerr << "generation " << g << " of " << spec.generations << " evaluated\n";
    };
    // Rank 0 keeps every policy's Monte Carlo in optimise.db, so that --resume simulates only
    // what a stopped search had not; it is opened once the search is known to be valid.
    std::unique_ptr<io::OptimisationStore> store;
    const auto open_store = [&]() -> study::EvaluationStore* {
        io::make_output_folder(dir.string());
        store = std::make_unique<io::OptimisationStore>(
            (dir / "optimise.db").string(), io::optimisation_fingerprint(spec, version), a.resume);
        store->set_meta("search_file", spec.file);
        store->set_meta("version", version);
        return store.get();
    };
    const std::unique_ptr<eval::ScoringBackend> backend = make_backend(c);
    const study::OptimisationOutcome o =
        study::run_optimisation(spec, io::scenario_source(spec.scenario, spec.overlays), c.threads,
                                progress, open_store, posterior, backend.get());
    if (!rank0) return 0;

    io::AtomicOutputs out(c.out_dir, "optimise");
    for (const auto& [name, text] : io::optimisation_files(spec, o, version))
        out.add((dir / name).string(), text);
    out.commit();
    write_derived_if_asked(c);
    if (talk)
        std::cout << io::optimisation_table(spec, o) << "\noutputs written to " << c.out_dir
                  << "/ (pareto.csv, evaluated.csv, convergence.csv, optimise.json, pareto-N.yaml, "
                     "optimise.db)\n";
    return 0;
}
}  // namespace

Command add_optimise(CLI::App& app) {
    auto a = std::make_shared<OptimiseArgs>();
    a->common.out_dir = "out/optimise";
    CLI::App* cmd = app.add_subcommand(
        "optimise",
        "search a scenario's levers for the Pareto front of several objectives (NSGA-II, MOEA/D)");
    cmd->add_option("search", a->file, "search file (YAML)")->required();
    add_common(*cmd, a->common, true);
    cmd->add_option("--posterior", a->posterior,
                    "a posterior.csv of kaisim calibrate: each replicate runs with a particle "
                    "drawn by weight (the same for every candidate), instead of the search "
                    "file's posterior");
    cmd->add_flag("--resume", a->resume,
                  "continue a search in --out, simulating no policy stored in optimise.db");
    return {cmd, [a] { return optimise(*a); }};
}

}  // namespace kaisim::cli
