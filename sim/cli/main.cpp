// The `kaisim` command: the only place that catches errors and chooses exit codes
// (0 success, 2 bad input, 1 anything else).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "kaisim/core/error.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/io/run_outputs.hpp"
#include "kaisim/io/scenario_loader.hpp"
#include "kaisim/run/replicate.hpp"

namespace {

struct ScenarioArgs {
    std::string file;
    std::vector<std::string> sets;
    std::vector<std::string> overlays;
    std::optional<std::uint32_t> seed;
};

void add_scenario_options(CLI::App& cmd, ScenarioArgs& a) {
    cmd.add_option("scenario", a.file, "scenario YAML file")->required();
    cmd.add_option("--set", a.sets, "override one value, PATH=VALUE (e.g. stages[2].cut.keep=3)");
    cmd.add_option("--overlay", a.overlays, "merge a YAML file over the scenario (repeatable)");
}

kaisim::model::Scenario load(const ScenarioArgs& a) {
    kaisim::io::LoadOptions opt;
    opt.sets = a.sets;
    opt.overlays = a.overlays;
    opt.seed = a.seed;
    return kaisim::io::load_scenario(a.file, opt);
}

int run_command(const ScenarioArgs& a, const std::string& out_dir, bool quiet) {
    const kaisim::model::Scenario sc = load(a);
    const kaisim::run::PreparedScenario prepared = kaisim::run::prepare(sc);
    kaisim::eval::CpuBackend backend(1);
    const kaisim::run::Result r = kaisim::run::run_replicate(prepared, 0, backend);
    kaisim::io::write_run_outputs(out_dir, prepared, r, kaisim::version);
    if (!quiet) std::cout << kaisim::io::run_table(sc, r) << "\noutputs written to " << out_dir << "/\n";
    return 0;
}

int validate_command(const ScenarioArgs& a) {
    const kaisim::model::Scenario sc = load(a);
    std::cout << a.file << ": ok (" << sc.teams.size() << " teams, " << sc.stages.size()
              << " stages, " << sc.benchmarks.size() << " benchmarks)\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"kaisim: discrete-event simulator of staged compute-funding programmes"};
    app.set_version_flag("--version", std::string("kaisim ") + kaisim::version);
    app.require_subcommand(1);

    ScenarioArgs run_args, validate_args;
    std::string out_dir = "out";
    bool quiet = false;
    std::uint32_t seed = 0;
    CLI::App* run = app.add_subcommand("run", "simulate a scenario and write its outputs");
    add_scenario_options(*run, run_args);
    CLI::Option* seed_opt = run->add_option("--seed", seed, "random seed (overrides programme.seed)")
                                ->check(CLI::Range(0u, 0xFFFFFFFEu));
    run->add_option("--out", out_dir, "output folder (default: out)");
    run->add_flag("--quiet", quiet, "print nothing on success");

    CLI::App* validate = app.add_subcommand("validate", "check a scenario file without running it");
    add_scenario_options(*validate, validate_args);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    try {
        if (*seed_opt) run_args.seed = seed;
        if (run->parsed()) return run_command(run_args, out_dir, quiet);
        if (validate->parsed()) return validate_command(validate_args);
    } catch (const kaisim::InputError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "kaisim: error: " << e.what() << "\n";
        return 1;
    }
    return 1;
}
