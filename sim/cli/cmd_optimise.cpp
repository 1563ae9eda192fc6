// kaisim optimise: a many-objective search of a scenario's levers (pagmo2's NSGA-II or MOEA/D),
// each candidate a Monte Carlo on the same replicates.
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "command.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/io/atomic_output.hpp"
#include "kaisim/io/calibration_outputs.hpp"
#include "kaisim/io/optimisation_file.hpp"
#include "kaisim/io/run_outputs.hpp"
#include "kaisim/io/sweep_file.hpp"

namespace kaisim::cli {

namespace {
struct OptimiseArgs {
    std::string file;
    Common common;
};

// A lever's value in a candidate: the value of its first --set assignment.
std::string lever_value(const std::vector<std::string>& sets, const study::SweepParameter& p) {
    for (const std::string& s : sets)
        if (s.rfind(p.path + "=", 0) == 0) return s.substr(p.path.size() + 1);
    return "";
}

int optimise(const OptimiseArgs& a) {
    namespace fs = std::filesystem;
    const Common& c = a.common;
    if (c.report)  // refused before any work, not after it
        throw UsageError(
            "kaisim optimise has no report yet: read pareto.csv and convergence.csv, "
            "or --xlsx");
    const study::OptimisationSpec spec = io::load_optimisation(a.file);
    const bool talk = !c.quiet;
    const auto progress = [&](std::uint32_t g) {
        if (talk) std::cerr << "generation " << g << " of " << spec.generations << " evaluated\n";
    };
    const study::OptimisationOutcome o = study::run_optimisation(
        spec, io::scenario_source(spec.scenario, spec.overlays), c.threads, progress);

    std::vector<std::string> h{"candidate"};
    for (const auto& p : spec.levers) h.push_back(p.name);
    for (const auto& ob : spec.objectives) {
        h.push_back(ob.metric);
        h.push_back(ob.metric + "_lo");
        h.push_back(ob.metric + "_hi");
    }
    h.push_back("overlay");
    std::string pareto = io::csv_line(h);
    const fs::path dir(c.out_dir);
    fs::create_directories(dir);
    io::AtomicOutputs out(c.out_dir, "optimise");
    for (std::size_t k = 0; k < o.front.size(); ++k) {
        const study::Candidate& cand = o.front[k];
        const std::string overlay = "pareto-" + std::to_string(k + 1) + ".yaml";
        std::vector<std::string> row{std::to_string(k + 1)};
        for (const auto& p : spec.levers) row.push_back(io::csv_field(lever_value(cand.sets, p)));
        for (std::size_t i = 0; i < spec.objectives.size(); ++i)
            for (double v : {cand.mean[i], cand.lo[i], cand.hi[i]})
                row.push_back(io::format_number(v));
        row.push_back(overlay);
        pareto += io::csv_line(row);
        std::string command = "kaisim run " + spec.scenario;
        for (const std::string& ov : spec.overlays) command += " --overlay " + ov;
        command += " --overlay " + overlay;
        // A path with a list index cannot be an overlay: the command sets it.
        for (const std::string& set : cand.sets)
            if (std::regex_search(set.substr(0, set.find('=')), std::regex("\\[[0-9]")))
                command += " --set " + set;
        out.add((dir / overlay).string(),
                "# Candidate " + std::to_string(k + 1) + " of the front of search '" + spec.name +
                    "' (" + spec.file + "):\n# " + command + "\n" + io::overlay_yaml(cand.sets));
    }
    std::string convergence = io::csv_line({"generation", "hypervolume"});
    for (std::size_t g = 0; g < o.hypervolume.size(); ++g)
        convergence += io::csv_line({std::to_string(g), io::format_number(o.hypervolume[g])});
    nlohmann::ordered_json summary{{"search", spec.name},
                                   {"file", spec.file},
                                   {"algorithm", spec.algorithm},
                                   {"population", spec.population},
                                   {"generations", spec.generations},
                                   {"seed", spec.seed},
                                   {"replicates", spec.replicates},
                                   {"evaluated", o.evaluations},
                                   {"infeasible", o.infeasible},
                                   {"front", o.front.size()},
                                   {"version", version}};
    // The hypervolume's reference point, in each objective's own sense.
    nlohmann::ordered_json reference = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < spec.objectives.size(); ++i)
        reference[spec.objectives[i].metric] =
            spec.objectives[i].maximise ? -o.reference[i] : o.reference[i];
    summary["hypervolume_reference"] = reference;
    out.add((dir / "pareto.csv").string(), pareto);
    out.add((dir / "convergence.csv").string(), convergence);
    out.add((dir / "optimise.json").string(), io::json_text(summary, "optimise.json"));
    out.commit();
    write_derived_if_asked(c);
    if (talk) {
        std::cout << spec.name << ": " << o.front.size() << " candidates on the front after "
                  << spec.generations << " generations (" << o.evaluations
                  << " candidates evaluated, " << spec.replicates << " replicates each)\n";
        if (o.infeasible)
            std::cout << o.infeasible
                      << " candidates were combinations of levers the scenario refuses; they "
                         "are not on the front\n";
        std::cout << "hypervolume: " << io::format_number(o.hypervolume.front()) << " -> "
                  << io::format_number(o.hypervolume.back()) << "\n\noutputs written to "
                  << c.out_dir << "/ (pareto.csv, convergence.csv, optimise.json, pareto-N.yaml)\n";
    }
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
    return {cmd, [a] { return optimise(*a); }};
}

}  // namespace kaisim::cli
