// kaisim compare: two policies on common random numbers.
#include <filesystem>
#include <iostream>

#include "command.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/io/atomic_output.hpp"
#include "kaisim/io/mc_outputs.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/comparison.hpp"

namespace kaisim::cli {

namespace {

struct CompareArgs {
    ScenarioArgs a;
    std::string b_file;
    Common common;
    std::uint32_t seed = 0, replicates = 200;
    CLI::Option* seed_opt = nullptr;
};

int compare(const CompareArgs& args) {
    const ScenarioArgs& a = args.a;
    const Common& c = args.common;
    // Arm A is the scenario as it is; arm B is B.yaml (or A again) with the overlays and sets.
    const ScenarioArgs base{a.file, {}, {}, a.seed};
    ScenarioArgs other{args.b_file.empty() ? a.file : args.b_file, a.sets, a.overlays,
                       std::nullopt};
    const model::Scenario sa = load(base);
    other.seed = sa.seed;  // common random numbers need one seed for both arms
    const model::Scenario sb = load(other);
    const programme::PreparedScenario pa = programme::prepare(sa), pb = programme::prepare(sb);
    const auto backend = make_backend(c);
    Progress progress(args.replicates, c.quiet);
    const run::ComparisonResult cmp =
        run::compare_arms(pa, pb, *backend, args.replicates, c.threads, 256,
                          [&](std::uint32_t done) { progress(done); });
    std::string b_desc = other.file;
    for (const auto& o : other.overlays) b_desc += " --overlay " + o;
    for (const auto& s : other.sets) b_desc += " --set " + s;
    std::filesystem::create_directories(c.out_dir);
    io::AtomicOutputs out(c.out_dir, "compare");
    const std::filesystem::path dir(c.out_dir);
    out.add((dir / "compare.csv").string(), io::compare_csv(cmp));
    out.add((dir / "compare.json").string(),
            io::compare_json(a.file, b_desc, sa.seed, cmp, version));
    out.commit();
    write_report_if_asked(c);
    if (!c.quiet)
        std::cout << "A: " << a.file << "\nB: " << b_desc << "\n"
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
    add_common(*cmd, a->common, true);
    return {cmd, [a] {
                if (*a->seed_opt) a->a.seed = a->seed;
                return compare(*a);
            }};
}

}  // namespace kaisim::cli
