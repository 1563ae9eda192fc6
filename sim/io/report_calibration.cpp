// The charts of a calibration's report, from calibration.json.
#include <cmath>
#include <string>

#include "report_charts.hpp"

namespace kaisim::io {

using nlohmann::ordered_json;

std::vector<Chart> calibration_charts(const std::filesystem::path& dir,
                                      std::vector<std::string>& notes) {
    const ordered_json j = ordered_json::parse(slurp(dir / "calibration.json"));
    std::size_t order = 0;  // the panels in the order of the calibration file
    const auto range = [&order](const std::string& name_key, const std::string& name,
                                const char* which, const ordered_json& q) {
        return ordered_json{{name_key, name},     {"order", order},     {"which", which},
                            {"q05", q.at("q05")}, {"q50", q.at("q50")}, {"q95", q.at("q95")}};
    };
    ordered_json params = ordered_json::array();
    for (const auto& [name, p] : j.at("parameters").items()) {
        params.push_back(range("parameter", name, "prior", p.at("prior")));
        params.push_back(range("parameter", name, "posterior", p));
        ++order;
    }
    order = 0;
    ordered_json stats = ordered_json::array();
    for (const auto& [name, s] : j.at("statistics").items()) {
        const double observed = s.at("observed").get<double>();
        for (const char* which : {"prior", "posterior"}) {
            ordered_json row =
                range("statistic", name, which, s.at(std::string(which) + "_predictive"));
            row["mean"] = s.at(std::string(which) + "_predictive").at("mean");
            row["observed"] = observed;
            stats.push_back(row);
        }
        ++order;
        const ordered_json& post = s.at("posterior_predictive");
        if (post.at("replicates").get<double>() == 0)
            notes.push_back("Warning: no replicate of the posterior produced " + name +
                            " (a stage never reached?): the calibration says nothing of it.");
        else if (!(observed >= post.at("q05").get<double>() &&
                   observed <= post.at("q95").get<double>()))
            notes.push_back("Warning: the published " + name + " (" + s.at("observed").dump() +
                            ") lies outside the posterior-predictive 5-95% range [" +
                            post.at("q05").dump() + ", " + post.at("q95").dump() +
                            "]: with these free parameters the model does not reproduce it.");
    }
    ordered_json gens = ordered_json::array();
    for (const ordered_json& g : j.at("generations"))
        gens.push_back({{"generation", g.at("generation")},
                        {"tolerance", g.at("tolerance")},
                        {"acceptance", g.at("acceptance")},
                        {"proposals", g.at("proposals")},
                        {"ess", g.at("ess")}});
    notes.insert(notes.begin(), "Calibration '" + j.at("calibration").get<std::string>() +
                                    "': " + std::to_string(j.at("generations").size()) +
                                    " generations, " + j.at("replicates_simulated").dump() +
                                    " replicates simulated; stopped at " +
                                    j.at("stopped_at").get<std::string>() + ".");
    return {{"calibration_parameters.vl.json",
             {{"parameters", params}},
             {"parameter", "which", "q05", "q50", "q95"},
             "parameters",
             {}},
            {"calibration_predictive.vl.json",
             {{"statistics", stats}},
             {"statistic", "which", "q05", "q50", "q95", "mean", "observed"},
             "statistics",
             {}},
            {"calibration_tolerance.vl.json",
             {{"generations", gens}},
             {"generation", "tolerance", "acceptance", "proposals", "ess"},
             "generations",
             {}}};
}

}  // namespace kaisim::io
