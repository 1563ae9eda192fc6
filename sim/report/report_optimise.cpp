// The report of a policy search (kaisim optimise): the front in every pair of objectives, the
// front in parallel coordinates beside the plan as given, and the convergence.
#include <algorithm>
#include <cmath>

#include "report_charts.hpp"

namespace kaisim::io {

using nlohmann::ordered_json;

std::vector<Chart> optimise_charts(const std::filesystem::path& dir,
                                   std::vector<std::string>& notes) {
    const ordered_json summary = ordered_json::parse(slurp(dir / "optimise.json"));
    const ordered_json& objectives = summary.at("objectives");
    const std::vector<CsvRow> front = read_csv(dir / "pareto.csv");
    // Every point drawn: the front's candidates, then the plan.
    struct Point {
        std::string name;
        bool dominates;
        std::vector<double> v;
    };
    std::vector<Point> points;
    for (const CsvRow& r : front) {
        Point p{"candidate " + r.at("candidate"), r.at("dominates_plan") == "true", {}};
        for (const auto& o : objectives) p.v.push_back(std::stod(r.at(o.at("name"))));
        points.push_back(p);
    }
    Point plan{"plan as given", false, {}};
    for (const auto& o : objectives) plan.v.push_back(o.at("plan").at("value").get<double>());
    points.push_back(plan);
    const auto kind = [&](const Point& p) {
        return p.name == plan.name ? "plan as given"
               : p.dominates       ? "front, dominates the plan"
                                   : "front";
    };
    ordered_json pairs = ordered_json::array();
    for (std::size_t i = 0; i < objectives.size(); ++i)
        for (std::size_t j = i + 1; j < objectives.size(); ++j)
            for (const Point& p : points)
                pairs.push_back(
                    {{"pair", objectives[j].at("name").get<std::string>() + " against " +
                                  objectives[i].at("name").get<std::string>()},
                     {"point", p.name},
                     {"kind", kind(p)},
                     {"x", p.v[i]},
                     {"y", p.v[j]}});
    // Parallel coordinates: each objective scaled to [0, 1] over the points, 1 the best.
    ordered_json parallel = ordered_json::array();
    for (std::size_t i = 0; i < objectives.size(); ++i) {
        double lo = INFINITY, hi = -INFINITY;
        for (const Point& p : points) {
            lo = std::min(lo, p.v[i]);
            hi = std::max(hi, p.v[i]);
        }
        const bool higher = objectives[i].at("better") == "higher";
        for (const Point& p : points) {
            const double s = hi > lo ? (p.v[i] - lo) / (hi - lo) : 0.5;
            parallel.push_back({{"objective", objectives[i].at("name")},
                                {"order", i},
                                {"point", p.name},
                                {"kind", kind(p)},
                                {"value", p.v[i]},
                                {"scaled", higher ? s : 1 - s}});
        }
    }
    ordered_json convergence = ordered_json::array();
    for (const CsvRow& r : read_csv(dir / "convergence.csv"))
        convergence.push_back(
            {{"generation", cell(r.at("generation"))}, {"hypervolume", cell(r.at("hypervolume"))}});
    if (front.empty()) notes.push_back("No candidate met every constraint: the front is empty.");
    const std::size_t dominating = summary.at("dominating_plan").size();
    notes.push_back(std::to_string(dominating) + " of the " + std::to_string(front.size()) +
                    " candidates on the front dominate the plan as given (no worse on any "
                    "objective, better on one); pareto.csv gives each metric's paired "
                    "difference from the plan on the same replicates, with its 95% interval.");
    return {Chart{"optimise_front.vl.json",
                  {{"pairs", pairs}},
                  {"pair", "point", "kind", "x", "y"},
                  "pairs",
                  {}},
            Chart{"optimise_parallel.vl.json",
                  {{"parallel", parallel}},
                  {"objective", "point", "kind", "value"},
                  "parallel",
                  {}},
            Chart{"optimise_convergence.vl.json",
                  {{"convergence", convergence}},
                  {"generation", "hypervolume"},
                  "convergence",
                  {}}};
}

}  // namespace kaisim::io
