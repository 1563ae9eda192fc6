// kaisim compare: two policies on common random numbers.
#include <filesystem>
#include <iostream>

#include "command.hpp"
#include "kaisim/core/process_group.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/output/atomic_output.hpp"
#include "kaisim/output/mc_outputs.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/comparison.hpp"
#include "posterior_arms.hpp"

namespace kaisim::cli {

namespace {

struct CompareArgs {
    ScenarioArgs a;
    std::string b_file;
    Common common;
    std::uint32_t seed = 0, replicates = 200;
    std::string posterior;          ///< a posterior.csv of kaisim calibrate
    std::vector<std::string> both;  ///< overlays of both arms, before B's own
    CLI::Option* seed_opt = nullptr;
};

int compare(const CompareArgs& args) {
    const ScenarioArgs& a = args.a;
    const Common& c = args.common;
    // Arm A is the scenario as it is; arm B is B.yaml (or A again) with the overlays and sets.
    const ScenarioArgs base{a.file, {}, args.both, a.seed};
    std::vector<std::string> b_overlays = args.both;
    b_overlays.insert(b_overlays.end(), a.overlays.begin(), a.overlays.end());
    ScenarioArgs other{args.b_file.empty() ? a.file : args.b_file, a.sets, b_overlays,
                       std::nullopt};
    const model::Scenario sa = load(base);
    other.seed = sa.seed;  // common random numbers need one seed for both arms
    const model::Scenario sb = load(other);
    const programme::PreparedScenario pa = programme::prepare(sa), pb = programme::prepare(sb);
    const auto backend = make_backend(c);
    // A posterior: each replicate runs both arms with the particle it draws by weight.
    std::unique_ptr<PosteriorArms> posterior;
    run::ArmsFor arms_for;
    if (!args.posterior.empty()) {
        ScenarioArgs first = base;
        first.seed = sa.seed;
        posterior = std::make_unique<PosteriorArms>(args.posterior, std::vector{first, other},
                                                    sa.seed, args.replicates);
        arms_for = [&](std::uint32_t replicate) {
            const std::size_t k = posterior->particle(replicate);
            return std::pair{posterior->prepared(0, k), posterior->prepared(1, k)};
        };
    }
    // Under mpirun every rank simulates its share of each batch; rank 0 folds them and writes.
    const core::ProcessGroup& world = core::ProcessGroup::world();
    Progress progress(args.replicates, c.quiet || world.rank() != 0);
    const run::ComparisonResult cmp = run::compare_arms(
        pa, pb, *backend, args.replicates, c.threads, 0,
        [&](std::uint32_t done) { progress(done); }, arms_for, &world);
    progress.end_line();
    if (world.rank() != 0) return 0;
    std::string b_desc = other.file;
    for (const auto& o : other.overlays) b_desc += " --overlay " + o;
    for (const auto& s : other.sets) b_desc += " --set " + s;
    std::string a_desc = a.file;
    for (const auto& o : args.both) a_desc += " --overlay " + o;
    if (!args.posterior.empty()) {
        a_desc += " --posterior " + args.posterior;
        b_desc += " --posterior " + args.posterior;
    }
    io::AtomicOutputs out(c.out_dir, "compare");
    const std::filesystem::path dir(c.out_dir);
    out.add((dir / "compare.csv").string(), io::compare_csv(cmp));
    out.add((dir / "compare.json").string(),
            io::compare_json(a_desc, b_desc, sa.seed, cmp, version));
    out.commit();
    write_derived_if_asked(c);
    if (!c.quiet)
        std::cout << "A: " << a_desc << "\nB: " << b_desc << "\n"
                  << io::compare_table(cmp) << "\noutputs written to " << c.out_dir << "/\n";
    return 0;
}

}  // namespace

Command add_compare(CLI::App& app) {
    auto a = std::make_shared<CompareArgs>();
    a->common.out_dir = "out/compare";
    CLI::App* cmd = app.add_subcommand("compare",
                                       "compare two policies on common random numbers: A.yaml "
                                       "vs B.yaml, or A.yaml vs A with --overlay/--set");
    cmd->add_option("scenario", a->a.file, "scenario A")->required();
    cmd->add_option("b", a->b_file, "scenario B (default: A with the overlays and sets)");
    cmd->add_option("--set", a->a.sets, "set a value in B, PATH=VALUE");
    cmd->add_option("--overlay", a->a.overlays, "merge a YAML file over B");
    a->seed_opt = cmd->add_option("--seed", a->seed, "random seed for both arms")
                      ->check(CLI::Range(0u, 0xFFFFFFFEu));
    cmd->add_option("--replicates", a->replicates, "paired replicates (default 200)")
        ->check(CLI::Range(2u, 0xFFFFFFFEu));
    cmd->add_option("--overlay-both", a->both,
                    "merge a YAML file over both arms, before B's overlays (repeatable)");
    cmd->add_option("--posterior", a->posterior,
                    "a posterior.csv of kaisim calibrate; each replicate runs both arms with "
                    "one particle drawn by weight (a --set wins over a particle's value)");
    add_common(*cmd, a->common, true);
    return {cmd, [a] {
                if (*a->seed_opt) a->a.seed = a->seed;
                return compare(*a);
            }};
}

}  // namespace kaisim::cli
