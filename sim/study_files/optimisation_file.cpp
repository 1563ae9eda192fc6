#include "kaisim/study_files/optimisation_file.hpp"

#include <limits>

#include "parameter_reader.hpp"

namespace kaisim::io {

study::OptimisationSpec load_optimisation(const std::string& path) {
    study::OptimisationSpec s;
    s.file = path;
    const YAML::Node root = parse_yaml_file(path);
    YamlReader r(path);
    r.expect_map(root, "the search file",
                 {"search", "levers", "objectives", "constraints", "algorithm", "replicates"});
    const YAML::Node se = r.required(root, "search", "the search file");
    r.expect_map(se, "search", {"name", "scenario", "overlays", "posterior"});
    s.name = r.text(se, "name", path);
    s.scenario = beside(path, r.text(r.required(se, "scenario", "search")));
    s.overlays = read_overlays(r, se, path);
    if (is_given(se, "posterior")) s.posterior = beside(path, r.text(se["posterior"]));
    const YAML::Node levers = r.required(root, "levers", "the search file");
    s.levers = read_parameters(r, levers, true);
    if (s.levers.empty()) r.fail(levers, "a search needs at least one lever");
    const YAML::Node objectives = r.required(root, "objectives", "the search file");
    r.expect_seq(objectives, "objectives");
    for (const auto& o : objectives) {
        r.expect_map(o, "an objective", {"metric", "direction", "statistic", "q"});
        study::Objective obj;
        obj.metric = r.text(r.required(o, "metric", "an objective"));
        obj.maximise =
            r.choice(r.required(o, "direction", "an objective"), {"maximise", "minimise"}) == 0;
        obj.statistic = static_cast<study::Statistic>(
            r.choice(o, "statistic", 0, {"mean", "quantile", "regret"}));
        if (obj.statistic == study::Statistic::mean && is_given(o, "q"))
            r.fail(o["q"], "q is a quantile's: the mean takes none");
        // By default the bad tail: a maximised metric's 10% quantile, a minimised one's 90%,
        // and a regret's 90%.
        const bool low_tail = obj.statistic == study::Statistic::quantile && obj.maximise;
        obj.q = r.number(o, "q", low_tail ? 0.1 : 0.9, 0.0, 1.0);
        for (const study::Objective& other : s.objectives)
            if (other.label() == obj.label())
                r.fail(o, "objective " + obj.label() + " is given twice");
        s.objectives.push_back(obj);
    }
    if (s.objectives.size() < 2)
        r.fail(objectives, "a search needs two objectives or more (one is a plain optimisation)");
    if (is_given(root, "constraints")) {
        r.expect_seq(root["constraints"], "constraints");
        for (const auto& c : root["constraints"]) {
            r.expect_map(c, "a constraint", {"metric", "min", "max"});
            study::Constraint con;
            con.metric = r.text(r.required(c, "metric", "a constraint"));
            if (!is_given(c, "min") && !is_given(c, "max"))
                r.fail(c, "a constraint needs a min, a max or both (bounds on the metric's mean)");
            const double big = std::numeric_limits<double>::max();
            if (is_given(c, "min")) con.min = r.number(c["min"], -big, big);
            if (is_given(c, "max")) con.max = r.number(c["max"], -big, big);
            if (con.min > con.max) r.fail(c, "a constraint's min is above its max");
            s.constraints.push_back(con);
        }
    }
    if (is_given(root, "algorithm")) {
        const YAML::Node a = root["algorithm"];
        r.expect_map(a, "algorithm", {"name", "population", "generations", "seed"});
        s.algorithm = r.choice(a, "name", 0, {"nsga2", "moead"}) == 0 ? "nsga2" : "moead";
        s.population = static_cast<std::uint32_t>(r.integer(a, "population", 24, 8, 10000));
        if (s.algorithm == "nsga2" && s.population % 4 != 0)
            r.fail(a["population"], "NSGA-II needs a population that is a multiple of 4");
        s.generations = static_cast<std::uint32_t>(r.integer(a, "generations", 10, 1, 100000));
        s.seed = static_cast<std::uint32_t>(r.integer(a, "seed", 1, 0, 4294967294LL));
    }
    s.replicates = static_cast<std::uint32_t>(r.integer(root, "replicates", 100, 2, 100000000));
    return s;
}

}  // namespace kaisim::io
