// kaisim optimise: a many-objective search of a scenario's levers (pagmo2's NSGA-II or MOEA/D),
// each candidate a Monte Carlo on the same replicates, compared with the plan as given.
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "command.hpp"
#include "kaisim/core/process_group.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/io/atomic_output.hpp"
#include "kaisim/io/calibration_outputs.hpp"
#include "kaisim/io/optimisation_file.hpp"
#include "kaisim/io/optimisation_store.hpp"
#include "kaisim/io/run_outputs.hpp"
#include "kaisim/io/sweep_file.hpp"

namespace kaisim::cli {

namespace {
struct OptimiseArgs {
    std::string file;
    Common common;
    bool resume = false;
    std::string posterior;  ///< overrides the search file's
};

// A lever's value in a candidate: the value of its first --set assignment.
std::string lever_value(const std::vector<std::string>& sets, const study::SweepParameter& p) {
    for (const std::string& s : sets)
        if (s.rfind(p.path + "=", 0) == 0) return s.substr(p.path.size() + 1);
    return "";
}

// The objectives whose metric is compared with the plan: the first of each metric.
std::vector<std::size_t> compared(const study::OptimisationSpec& spec) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < spec.objectives.size(); ++i) {
        bool seen = false;
        for (std::size_t j : out)
            seen = seen || spec.objectives[j].metric == spec.objectives[i].metric;
        if (!seen) out.push_back(i);
    }
    return out;
}

// pareto.csv: each candidate's levers, its objectives with their intervals, and against the
// plan the paired difference of each metric's mean.
std::string pareto_csv(const study::OptimisationSpec& spec, const study::OptimisationOutcome& o) {
    std::vector<std::string> h{"candidate"};
    for (const auto& p : spec.levers) h.push_back(p.name);
    for (const auto& ob : spec.objectives)
        for (const char* s : {"", "_lo", "_hi"}) h.push_back(ob.label() + s);
    for (std::size_t i : compared(spec))
        for (const char* s : {"_vs_plan", "_vs_plan_lo", "_vs_plan_hi"})
            h.push_back(spec.objectives[i].metric + s);
    h.push_back("dominates_plan");
    h.push_back("overlay");
    std::string csv = io::csv_line(h);
    for (std::size_t k = 0; k < o.front.size(); ++k) {
        const study::Candidate& c = o.front[k];
        std::vector<std::string> row{std::to_string(k + 1)};
        for (const auto& p : spec.levers) row.push_back(io::csv_field(lever_value(c.sets, p)));
        for (std::size_t i = 0; i < spec.objectives.size(); ++i)
            for (double v : {c.value[i], c.lo[i], c.hi[i]}) row.push_back(io::format_number(v));
        for (std::size_t i : compared(spec))
            for (double v : {c.vs_plan[i], c.vs_plan_lo[i], c.vs_plan_hi[i]})
                row.push_back(io::format_number(v));
        row.push_back(c.dominates_plan ? "true" : "false");
        row.push_back("pareto-" + std::to_string(k + 1) + ".yaml");
        csv += io::csv_line(row);
    }
    return csv;
}

// evaluated.csv: every policy the search ran, its levers and objectives, and whether it met
// the constraints (1 or 0): the points `kaisim discover` reads from a search's folder.
std::string evaluated_csv(const study::OptimisationSpec& spec,
                          const study::OptimisationOutcome& o) {
    std::vector<std::string> h{"policy"};
    for (const auto& p : spec.levers) h.push_back(p.name);
    for (const auto& ob : spec.objectives) h.push_back(ob.label());
    h.push_back("meets_constraints");
    std::string csv = io::csv_line(h);
    for (std::size_t k = 0; k < o.evaluated.size(); ++k) {
        const study::Candidate& c = o.evaluated[k];
        std::vector<std::string> row{std::to_string(k + 1)};
        for (const auto& p : spec.levers) row.push_back(io::csv_field(lever_value(c.sets, p)));
        for (double v : c.value) row.push_back(io::format_number(v));
        row.push_back(c.meets_constraints ? "1" : "0");
        csv += io::csv_line(row);
    }
    return csv;
}

nlohmann::ordered_json summary_json(const study::OptimisationSpec& spec,
                                    const study::OptimisationOutcome& o) {
    nlohmann::ordered_json objectives = nlohmann::ordered_json::array();
    const char* statistic[] = {"mean", "quantile", "regret"};
    for (std::size_t i = 0; i < spec.objectives.size(); ++i) {
        const study::Objective& ob = spec.objectives[i];
        nlohmann::ordered_json j{{"name", ob.label()},
                                 {"metric", ob.metric},
                                 {"direction", ob.maximise ? "maximise" : "minimise"},
                                 {"statistic", statistic[static_cast<int>(ob.statistic)]}};
        if (ob.statistic != study::Statistic::mean) j["q"] = ob.q;
        j["better"] = ob.larger_better() ? "higher" : "lower";
        // The plan's value, and the hypervolume's reference point, in the objective's sense.
        j["plan"] = {{"value", o.plan.value[i]}, {"lo", o.plan.lo[i]}, {"hi", o.plan.hi[i]}};
        j["hypervolume_reference"] = ob.larger_better() ? -o.reference[i] : o.reference[i];
        objectives.push_back(j);
    }
    nlohmann::ordered_json levers = nlohmann::ordered_json::array();
    for (const study::SweepParameter& p : spec.levers) levers.push_back(p.name);
    nlohmann::ordered_json constraints = nlohmann::ordered_json::array();
    for (const study::Constraint& c : spec.constraints) {
        nlohmann::ordered_json j{{"metric", c.metric}};
        if (std::isfinite(c.min)) j["min"] = c.min;
        if (std::isfinite(c.max)) j["max"] = c.max;
        constraints.push_back(j);
    }
    nlohmann::ordered_json dominating = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < o.front.size(); ++k)
        if (o.front[k].dominates_plan) dominating.push_back(k + 1);
    return {{"search", spec.name},
            {"file", spec.file},
            {"posterior", spec.posterior.empty() ? nlohmann::ordered_json()
                                                 : nlohmann::ordered_json(spec.posterior)},
            {"algorithm", spec.algorithm},
            {"population", spec.population},
            {"generations", spec.generations},
            {"seed", spec.seed},
            {"replicates", spec.replicates},
            {"levers", levers},
            {"objectives", objectives},
            {"constraints", constraints},
            {"evaluated", o.evaluations},
            {"infeasible", o.infeasible},
            {"violating", o.violating},
            {"front", o.front.size()},
            {"dominating_plan", dominating},
            {"hypervolume", o.hypervolume.back()},
            {"version", version}};
}

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
        fs::create_directories(dir);
        store = std::make_unique<io::OptimisationStore>(
            (dir / "optimise.db").string(), io::optimisation_fingerprint(spec, version), a.resume);
        store->set_meta("search_file", spec.file);
        store->set_meta("version", version);
        return store.get();
    };
    const study::OptimisationOutcome o =
        study::run_optimisation(spec, io::scenario_source(spec.scenario, spec.overlays), c.threads,
                                progress, open_store, posterior);
    if (!rank0) return 0;

    io::AtomicOutputs out(c.out_dir, "optimise");
    for (std::size_t k = 0; k < o.front.size(); ++k) {
        const study::Candidate& cand = o.front[k];
        const std::string overlay = "pareto-" + std::to_string(k + 1) + ".yaml";
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
    out.add((dir / "pareto.csv").string(), pareto_csv(spec, o));
    out.add((dir / "convergence.csv").string(), convergence);
    out.add((dir / "evaluated.csv").string(), evaluated_csv(spec, o));
    out.add((dir / "optimise.json").string(),
            io::json_text(summary_json(spec, o), "optimise.json"));
    out.commit();
    write_derived_if_asked(c);
    if (talk) {
        std::size_t dominating = 0;
        for (const study::Candidate& cand : o.front) dominating += cand.dominates_plan;
        std::cout << spec.name << ": " << o.front.size() << " candidates on the front after "
                  << spec.generations << " generations (" << o.evaluations
                  << " candidates evaluated, " << spec.replicates << " replicates each; "
                  << o.simulated << " simulated now"
                  << (o.reused ? ", " + std::to_string(o.reused) + " taken from optimise.db" : "")
                  << ")\n"
                  << dominating << " of them dominate the plan as given\n";
        if (o.infeasible)
            std::cout << o.infeasible
                      << " candidates were combinations of levers the scenario refuses; they "
                         "are not on the front\n";
        if (o.violating)
            std::cout << o.violating
                      << " candidates broke a constraint; they are not on the front\n";
        std::cout << "hypervolume: " << io::format_number(o.hypervolume.front()) << " -> "
                  << io::format_number(o.hypervolume.back()) << "\n\noutputs written to "
                  << c.out_dir
                  << "/ (pareto.csv, evaluated.csv, convergence.csv, optimise.json, pareto-N.yaml, "
                     "optimise.db)\n";
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
    cmd->add_option("--posterior", a->posterior,
                    "a posterior.csv of kaisim calibrate: each replicate runs with a particle "
                    "drawn by weight (the same for every candidate), instead of the search "
                    "file's posterior");
    cmd->add_flag("--resume", a->resume,
                  "continue a search in --out, simulating no policy stored in optimise.db");
    return {cmd, [a] { return optimise(*a); }};
}

}  // namespace kaisim::cli
