// kaisim run: one replicate, or a Monte Carlo.
#include <filesystem>
#include <iostream>

#include "command.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/io/atomic_output.hpp"
#include "kaisim/io/mc_outputs.hpp"
#include "kaisim/io/run_outputs.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/monte_carlo.hpp"
#include "kaisim/run/replicate.hpp"

namespace kaisim::cli {

namespace {

struct RunArgs {
    ScenarioArgs scenario;
    Common common;
    std::uint32_t seed = 0, replicates = 1;
    bool replicates_csv = false;
    CLI::Option* seed_opt = nullptr;
};

int single_run(const model::Scenario& sc, const programme::PreparedScenario& prepared,
               eval::ScoringBackend& backend, const Common& c) {
    const programme::Result r = run::run_batch(prepared, {0}, backend, c.threads, true).front();
    io::write_run_outputs(c.out_dir, prepared, r, version);
    write_report_if_asked(c);
    if (!c.quiet)
        std::cout << io::run_table(sc, r) << "\noutputs written to " << c.out_dir << "/\n";
    return 0;
}

int monte_carlo(const model::Scenario& sc, const programme::PreparedScenario& prepared,
                eval::ScoringBackend& backend, const RunArgs& a) {
    const Common& c = a.common;
    std::filesystem::create_directories(c.out_dir);
    const std::filesystem::path dir(c.out_dir);
    io::AtomicOutputs out(c.out_dir, "monte_carlo");
    run::McOptions opt;
    opt.replicates = a.replicates;
    opt.threads = c.threads;
    Progress progress(a.replicates, c.quiet);
    opt.progress = [&](std::uint32_t done) { progress(done); };
    // The header needs the metric names, which the scenario fixes before any replicate runs.
    run::McResult names;
    names.specs = run::metric_specs(sc);
    const std::vector<std::string> columns = io::replicates_csv_columns(names);
    if (a.replicates_csv) {
        // A temporary file created exclusively, removed on any error and on SIGINT/SIGTERM.
        std::ostream& per_rep = out.stream((dir / "replicates.csv").string());
        per_rep << io::replicates_csv_header(names);
        opt.per_replicate = [&](std::uint32_t rep, const std::vector<double>& values) {
            per_rep << io::replicates_csv_row(columns, rep, values);
            if (!per_rep) out.check();  // e.g. the disk is full: stop now, not at the end
        };
    }
    const run::McResult mc = run::run_monte_carlo(prepared, backend, opt);
    out.add((dir / "mc_teams.csv").string(), io::mc_teams_csv(sc, mc));
    out.add((dir / "mc_summary.json").string(), io::mc_summary_json(sc, mc, version));
    out.add((dir / "mc_fields.csv").string(), io::mc_fields_csv(sc, mc));
    out.commit();
    write_report_if_asked(c);
    if (!c.quiet)
        std::cout << io::mc_table(sc, mc) << "\noutputs written to " << c.out_dir << "/\n";
    return 0;
}

}  // namespace

Command add_run(CLI::App& app) {
    auto a = std::make_shared<RunArgs>();
    CLI::App* cmd = app.add_subcommand(
        "run", "simulate a scenario (one replicate, or a Monte Carlo) and write its outputs");
    add_scenario_options(*cmd, a->scenario);
    a->seed_opt = cmd->add_option("--seed", a->seed, "random seed (overrides programme.seed)")
                      ->check(CLI::Range(0u, 0xFFFFFFFEu));
    cmd->add_option("--replicates", a->replicates,
                    "Monte Carlo replicates (default 1: a single run)")
        ->check(CLI::Range(1u, 0xFFFFFFFEu));
    cmd->add_flag("--replicates-csv", a->replicates_csv,
                  "Monte Carlo: also write replicates.csv, one line per replicate");
    add_common(*cmd, a->common, true);
    return {cmd, [a] {
                if (*a->seed_opt) a->scenario.seed = a->seed;
                const model::Scenario sc = load(a->scenario);
                const programme::PreparedScenario prepared = programme::prepare(sc);
                const auto backend = make_backend(a->common);
                return a->replicates <= 1 ? single_run(sc, prepared, *backend, a->common)
                                          : monte_carlo(sc, prepared, *backend, *a);
            }};
}

}  // namespace kaisim::cli
