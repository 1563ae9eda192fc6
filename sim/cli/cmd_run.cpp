// kaisim run: one replicate, or a Monte Carlo.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "command.hpp"
#include "kaisim/core/error.hpp"
#include "kaisim/core/process_group.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/output/atomic_output.hpp"
#include "kaisim/output/mc_outputs.hpp"
#include "kaisim/output/run_outputs.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/monte_carlo.hpp"
#include "kaisim/run/replicate.hpp"
#include "posterior_arms.hpp"

namespace kaisim::cli {

namespace {

struct RunArgs {
    ScenarioArgs scenario;
    Common common;
    std::uint32_t seed = 0, replicates = 1;
    bool replicates_csv = false;
    std::string posterior;  ///< a posterior.csv of kaisim calibrate
    std::string given;      ///< STAGE=team,team,...: count only replicates with that field
    CLI::Option* seed_opt = nullptr;
    CLI::Option *given_opt = nullptr, *posterior_opt = nullptr;
};

int single_run(const model::Scenario& sc, const programme::PreparedScenario& prepared,
               eval::ScoringBackend& backend, const Common& c) {
    if (core::ProcessGroup::world().rank() != 0) return 0;  // one replicate: rank 0's
    const programme::Result r = run::run_batch(prepared, {0}, backend, c.threads, true).front();
    io::write_run_outputs(c.out_dir, prepared, r, version);
    write_derived_if_asked(c);
    if (!c.quiet)
        std::cout << io::run_table(sc, r) << "\noutputs written to " << c.out_dir << "/\n";
    return 0;
}

int monte_carlo(const model::Scenario& sc, const programme::PreparedScenario& prepared,
                eval::ScoringBackend& backend, const RunArgs& a) {
    const Common& c = a.common;
    // Under mpirun every rank simulates its share of each batch; rank 0 folds them and writes.
    const core::ProcessGroup& world = core::ProcessGroup::world();
    const bool rank0 = world.rank() == 0;
    const std::filesystem::path dir(c.out_dir);
    std::optional<io::AtomicOutputs> out;
    if (rank0) out.emplace(c.out_dir, "monte_carlo");
    run::McOptions opt;
    opt.replicates = a.replicates;
    opt.threads = c.threads;
    opt.ranks = &world;
    Progress progress(a.replicates, c.quiet || !rank0);
    opt.progress = [&](std::uint32_t done) { progress(done); };
    // The header needs the metric names, which the scenario fixes before any replicate runs.
    run::McResult names;
    names.specs = run::metric_specs(sc);
    const std::vector<std::string> columns = io::replicates_csv_columns(names);
    if (a.replicates_csv && rank0) {
        // A temporary file created exclusively, removed on any error and on SIGINT/SIGTERM.
        std::ostream& per_rep = out->stream((dir / "replicates.csv").string());
        per_rep << io::replicates_csv_header(names);
        opt.per_replicate = [&](std::uint32_t rep, const std::vector<double>& values) {
            per_rep << io::replicates_csv_row(columns, rep, values);
            if (!per_rep) out->check();  // e.g. the disk is full: stop now, not at the end
        };
    }
    // A posterior: each replicate runs with a particle drawn by weight.
    std::unique_ptr<PosteriorArms> posterior;
    if (!a.posterior.empty()) {
        posterior = std::make_unique<PosteriorArms>(a.posterior, std::vector{a.scenario}, sc.seed,
                                                    a.replicates);
        opt.prepared_for = [&](std::uint32_t replicate) {
            return posterior->prepared(0, posterior->particle(replicate));
        };
    }
    if (!a.given.empty()) {
        // --given STAGE=ids: the field right after that stage, as it really was.
        const std::string where = "--given " + a.given;
        const std::size_t eq = a.given.find('=');
        if (eq == std::string::npos)
            throw InputError(where, 1, 1, "expected STAGE=team,team,... (the field after a stage)");
        const std::string stage_id = a.given.substr(0, eq);
        int stage = -1;
        std::vector<std::string> names;
        for (std::size_t s = 0; s < sc.stages.size(); ++s) {
            names.push_back(sc.stages[s].id);
            if (sc.stages[s].id == stage_id) stage = static_cast<int>(s);
        }
        if (stage < 0) {
            std::string known;
            for (const std::string& n : names) known += (known.empty() ? "" : ", ") + n;
            throw InputError(where, 1, 1,
                             "no stage '" + stage_id + "' (the stages: " + known + ")");
        }
        std::vector<int> field;
        std::stringstream ids(a.given.substr(eq + 1));
        for (std::string id; std::getline(ids, id, ',');) {
            const auto t = std::find_if(sc.teams.begin(), sc.teams.end(),
                                        [&](const model::Team& team) { return team.id == id; });
            if (t == sc.teams.end())
                throw InputError(where, 1, static_cast<int>(eq) + 2, "no team '" + id + "'");
            field.push_back(static_cast<int>(t - sc.teams.begin()));
        }
        std::sort(field.begin(), field.end());
        if (field.empty() || std::adjacent_find(field.begin(), field.end()) != field.end())
            throw InputError(where, 1, static_cast<int>(eq) + 2,
                             "name each team of the field once, at least one");
        opt.keep = [&sc, stage, field](const programme::Result& r) {
            return run::field_after(sc, r, stage) == field;
        };
    }
    const run::McResult mc = run::run_monte_carlo(prepared, backend, opt);
    progress.end_line();
    if (!rank0) return 0;
    if (!a.given.empty() && mc.replicates == 0)
        throw std::runtime_error("no replicate of " + std::to_string(mc.simulated) +
                                 " followed --given " + a.given + ": nothing to report");
    out->add((dir / "mc_teams.csv").string(), io::mc_teams_csv(sc, mc));
    out->add((dir / "mc_summary.json").string(), io::mc_summary_json(sc, mc, version));
    out->add((dir / "mc_fields.csv").string(), io::mc_fields_csv(sc, mc));
    out->commit();
    write_derived_if_asked(c);
    if (!c.quiet) {
        if (mc.replicates != mc.simulated)
            std::cout << "given " << a.given << ": " << mc.replicates << " of " << mc.simulated
                      << " replicates followed it; the figures below are over those\n\n";
        std::cout << io::mc_table(sc, mc) << "\noutputs written to " << c.out_dir << "/\n";
    }
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
    a->given_opt =
        cmd->add_option("--given", a->given,
                        "Monte Carlo: count only the replicates whose field after STAGE was these "
                        "teams (STAGE=team,team,...), a forecast given what happened");
    a->posterior_opt = cmd->add_option(
        "--posterior", a->posterior,
        "Monte Carlo: a posterior.csv of kaisim calibrate; each replicate runs with a "
        "particle drawn by weight (a --set wins over a particle's value)");
    add_common(*cmd, a->common, true);
    return {cmd, [a] {
                // An empty value is a mistake, not "no condition".
                if (*a->given_opt && a->given.empty())
                    throw UsageError("--given needs STAGE=team,team,... (it was empty)");
                if (*a->posterior_opt && a->posterior.empty())
                    throw UsageError("--posterior needs a posterior.csv (it was empty)");
                if ((!a->posterior.empty() || !a->given.empty()) && a->replicates <= 1)
                    throw UsageError(
                        "--posterior and --given need a Monte Carlo (--replicates 2 or more)");
                if (*a->seed_opt) a->scenario.seed = a->seed;
                const model::Scenario sc = load(a->scenario);
                const programme::PreparedScenario prepared = programme::prepare(sc);
                const auto backend = make_backend(a->common);
                return a->replicates <= 1 ? single_run(sc, prepared, *backend, a->common)
                                          : monte_carlo(sc, prepared, *backend, *a);
            }};
}

}  // namespace kaisim::cli
