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
        // A tracked quantity (a team's true ability) has no observed value: its panel shows
        // the prior's and the posterior's range only.
        const bool tracked = s.at("observed").is_null();
        for (const char* which : {"prior", "posterior"}) {
            ordered_json row =
                range("statistic", name, which, s.at(std::string(which) + "_predictive"));
            row["mean"] = s.at(std::string(which) + "_predictive").at("mean");
            row["observed"] = s.at("observed");
            stats.push_back(row);
        }
        ++order;
        const ordered_json& post = s.at("posterior_predictive");
        if (tracked) continue;
        const double observed = s.at("observed").get<double>();
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
    // The attributes the data hardly narrowed (the shrinkage), and what each
    // observations file taught (likelihood calibrations).
    for (const auto& [name, p] : j.at("parameters").items())
        if (p.contains("width_ratio") && p.at("width_ratio").is_number() &&
            p.at("width_ratio").get<double>() > 0.9)
            notes.push_back("Note: the data hardly narrowed " + name + " (posterior 90% interval " +
                            std::to_string(static_cast<int>(
                                std::lround(100 * p.at("width_ratio").get<double>()))) +
                            "% of the prior's): its value is mostly the prior's.");
    if (j.contains("influence"))
        for (const ordered_json& f : j.at("influence"))
            if (f.at("ess").get<double>() < 20)
                notes.push_back("Note: what " + f.at("file").get<std::string>() +
                                " taught is estimated from an effective sample of " +
                                std::to_string(static_cast<int>(f.at("ess").get<double>())) +
                                " particles: too few to trust its sd_without in calibration.json.");
    // ABC narrows a tolerance; a likelihood calibration raises a temperature.
    const bool likelihood = j.value("method", "abc") == "likelihood";
    const char* measure = likelihood ? "temperature" : "tolerance";
    ordered_json gens = ordered_json::array();
    for (const ordered_json& g : j.at("generations"))
        gens.push_back({{"generation", g.at("generation")},
                        {measure, g.at(measure)},
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
            {likelihood ? "calibration_temperature.vl.json" : "calibration_tolerance.vl.json",
             {{"generations", gens}},
             {"generation", measure, "acceptance", "proposals", "ess"},
             "generations",
             {}}};
}

}  // namespace kaisim::io
