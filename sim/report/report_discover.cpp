// The report of a scenario discovery (kaisim discover): PRIM's trade-off and its boxes.
#include "report_charts.hpp"

namespace kaisim::io {

using nlohmann::ordered_json;

std::vector<Chart> discover_charts(const std::filesystem::path& dir,
                                   std::vector<std::string>& notes) {
    ordered_json steps = ordered_json::array();
    for (const CsvRow& r : read_csv(dir / "prim_trajectory.csv"))
        steps.push_back({{"box", "box " + r.at("box")},
                         {"step", cell(r.at("step"))},
                         {"move", r.at("move")},
                         {"coverage", cell(r.at("coverage"))},
                         {"density", cell(r.at("density"))},
                         {"mass", cell(r.at("mass"))},
                         {"restricted", r.at("restricted")}});
    ordered_json bounds = ordered_json::array();
    for (const CsvRow& r : read_csv(dir / "prim_boxes.csv")) {
        if (r.at("restricted") != "true") continue;
        bounds.push_back({{"box", "box " + r.at("box")},
                          {"input", r.at("input")},
                          {"lo", cell(r.at("lo"))},
                          {"hi", cell(r.at("hi"))},
                          {"coverage", cell(r.at("coverage"))},
                          {"density", cell(r.at("density"))}});
    }
    if (bounds.empty())
        notes.push_back(
            "PRIM found no box denser in cases than the points around it: the outcome "
            "does not gather in a region of these inputs.");
    return {Chart{"discover_tradeoff.vl.json",
                  {{"steps", steps}},
                  {"box", "step", "move", "coverage", "density", "mass"},
                  "steps",
                  {}},
            Chart{"discover_boxes.vl.json",
                  {{"bounds", bounds}},
                  {"box", "input", "lo", "hi", "coverage", "density"},
                  "bounds",
                  {}}};
}

}  // namespace kaisim::io
