// The files of a policy search and its closing lines.
#include "kaisim/output/optimisation_outputs.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <regex>

#include "kaisim/output/run_outputs.hpp"
#include "kaisim/scenario/scenario_loader.hpp"

namespace kaisim::io {

namespace {
// The candidate's lever values, as the --set assignments give them.
std::vector<std::string> lever_values(const study::OptimisationSpec& spec,
                                      const study::Candidate& c) {
    std::vector<std::string> v;
    for (std::size_t j = 0; j < spec.levers.size(); ++j)
        v.push_back(csv_field(study::parameter_text(spec.levers[j], c.u[j])));
    return v;
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
    std::string csv = csv_line(h);
    for (std::size_t k = 0; k < o.front.size(); ++k) {
        const study::Candidate& c = o.front[k];
        std::vector<std::string> row{std::to_string(k + 1)};
        for (std::string& v : lever_values(spec, c)) row.push_back(std::move(v));
        for (std::size_t i = 0; i < spec.objectives.size(); ++i)
            for (double v : {c.value[i], c.lo[i], c.hi[i]}) row.push_back(format_number(v));
        for (std::size_t i : compared(spec))
            for (double v : {c.vs_plan[i], c.vs_plan_lo[i], c.vs_plan_hi[i]})
                row.push_back(format_number(v));
        row.push_back(c.dominates_plan ? "true" : "false");
        row.push_back("pareto-" + std::to_string(k + 1) + ".yaml");
        csv += csv_line(row);
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
    std::string csv = csv_line(h);
    for (std::size_t k = 0; k < o.evaluated.size(); ++k) {
        const study::Candidate& c = o.evaluated[k];
        std::vector<std::string> row{std::to_string(k + 1)};
        for (std::string& v : lever_values(spec, c)) row.push_back(std::move(v));
        for (double v : c.value) row.push_back(format_number(v));
        row.push_back(c.meets_constraints ? "1" : "0");
        csv += csv_line(row);
    }
    return csv;
}

nlohmann::ordered_json summary_json(const study::OptimisationSpec& spec,
                                    const study::OptimisationOutcome& o,
                                    const std::string& version) {
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

}  // namespace

std::vector<std::pair<std::string, std::string>> optimisation_files(
    const study::OptimisationSpec& spec, const study::OptimisationOutcome& o,
    const std::string& version) {
    std::vector<std::pair<std::string, std::string>> files;
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
        files.emplace_back(overlay, "# Candidate " + std::to_string(k + 1) +
                                        " of the front of search '" + spec.name + "' (" +
                                        spec.file + "):\n# " + command + "\n" +
                                        overlay_yaml(cand.sets));
    }
    std::string convergence = csv_line({"generation", "hypervolume"});
    for (std::size_t g = 0; g < o.hypervolume.size(); ++g)
        convergence += csv_line({std::to_string(g), format_number(o.hypervolume[g])});
    files.emplace_back("pareto.csv", pareto_csv(spec, o));
    files.emplace_back("convergence.csv", convergence);
    files.emplace_back("evaluated.csv", evaluated_csv(spec, o));
    files.emplace_back("optimise.json", json_text(summary_json(spec, o, version), "optimise.json"));
    return files;
}

std::string optimisation_table(const study::OptimisationSpec& spec,
                               const study::OptimisationOutcome& o) {
    std::size_t dominating = 0;
    for (const study::Candidate& cand : o.front) dominating += cand.dominates_plan;
    std::string t = spec.name + ": " + std::to_string(o.front.size()) +
                    " candidates on the front after " + std::to_string(spec.generations) +
                    " generations (" + std::to_string(o.evaluations) + " candidates evaluated, " +
                    std::to_string(spec.replicates) + " replicates each; " +
                    std::to_string(o.simulated) + " simulated now" +
                    (o.reused ? ", " + std::to_string(o.reused) + " taken from optimise.db" : "") +
                    ")\n" + std::to_string(dominating) + " of them dominate the plan as given\n";
    if (o.infeasible)
        t += std::to_string(o.infeasible) +
             " candidates were combinations of levers the scenario refuses; they are not on the "
             "front\n";
    if (o.violating)
        t += std::to_string(o.violating) +
             " candidates broke a constraint; they are not on the front\n";
    return t + "hypervolume: " + format_number(o.hypervolume.front()) + " -> " +
           format_number(o.hypervolume.back()) + "\n";
}

}  // namespace kaisim::io
