#include "kaisim/io/calibration_file.hpp"

#include <filesystem>
#include <limits>

#include "kaisim/core/error.hpp"
#include "kaisim/io/text_file.hpp"
#include "parameter_reader.hpp"
#include "yaml_reader.hpp"

namespace kaisim::io {

namespace {
constexpr double inf = std::numeric_limits<double>::max();

// `statistics:` entries; `stage` is the file's default stage.
std::vector<study::Observation> read_statistics(YamlReader& r, const std::string& file,
                                                const YAML::Node& list, const std::string& stage) {
    r.expect_seq(list, "statistics");
    std::vector<study::Observation> out;
    for (const auto& n : list) {
        r.expect_map(n, "an observation",
                     {"name", "statistic", "stage", "components", "teams", "value", "source"});
        study::Observation o;
        o.name = r.text(r.required(n, "name", "an observation"));
        for (const study::Observation& other : out)
            if (other.name == o.name) r.fail(n["name"], "duplicate observation '" + o.name + "'");
        o.kind = static_cast<study::StatisticKind>(
            r.choice(n, "statistic", 4, {"best", "mean", "top_set", "last", "value"}));
        o.stage = r.text(n, "stage", stage);
        if (o.kind != study::StatisticKind::value && o.stage.empty())
            r.fail(n, "observation '" + o.name + "' needs a stage (here or for the whole file)");
        if (is_given(n, "components")) {
            r.expect_seq(n["components"], "components");
            for (const auto& c : n["components"]) o.components.push_back(r.text(c));
        }
        if (is_given(n, "teams")) {
            r.expect_seq(n["teams"], "teams");
            for (const auto& t : n["teams"]) o.teams.push_back(r.text(t));
        }
        if ((o.kind == study::StatisticKind::top_set || o.kind == study::StatisticKind::last) &&
            o.teams.empty())
            r.fail(n, "a " +
                          std::string(o.kind == study::StatisticKind::last ? "last" : "top_set") +
                          " observation needs teams");
        if (o.kind == study::StatisticKind::last && o.teams.size() != 1)
            r.fail(n["teams"], "a last observation names exactly one team");
        const YAML::Node v = r.required(n, "value", "an observation");
        const bool indicator =
            o.kind == study::StatisticKind::top_set || o.kind == study::StatisticKind::last;
        o.value = r.number(v, indicator ? 0 : -inf, indicator ? 1 : inf);
        o.file = file;
        o.line = static_cast<int>(n.Mark().line) + 1;
        o.col = static_cast<int>(n.Mark().column) + 1;
        out.push_back(o);
    }
    if (out.empty()) r.fail(list, "a calibration needs at least one observation");
    return out;
}
}  // namespace

std::vector<study::Observation> load_observations(const std::string& path) {
    const YAML::Node root = parse_yaml_file(path);
    YamlReader r(path);
    r.expect_map(root, "the observations file", {"source", "stage", "statistics"});
    return read_statistics(r, path, r.required(root, "statistics", "the observations file"),
                           r.text(root, "stage", ""));
}

study::CalibrationSpec load_calibration(const std::string& path) {
    study::CalibrationSpec s;
    s.file = path;
    const YAML::Node root = parse_yaml_file(path);
    YamlReader r(path);
    r.expect_map(root, "the calibration file",
                 {"calibration", "parameters", "observations", "abc"});
    const YAML::Node c = r.required(root, "calibration", "the calibration file");
    r.expect_map(c, "calibration",
                 {"name", "scenario", "overlays", "model", "sigma", "n", "observations"});
    s.name = r.text(c, "name", path);
    s.model = static_cast<study::CalibrationModel>(
        r.choice(c, "model", 0, {"scenario", "gaussian_mean"}));
    const bool scenario = s.model == study::CalibrationModel::scenario;
    if (scenario) {
        s.scenario = beside(path, r.text(r.required(c, "scenario", "a scenario calibration")));
        s.overlays = read_overlays(r, c, path);
    } else {
        if (is_given(c, "scenario")) r.fail(c["scenario"], "an analytic model takes no scenario");
        s.gaussian_sigma = r.number(r.required(c, "sigma", "a gaussian_mean model"), 1e-300, inf);
        s.gaussian_n = r.number(c, "n", 1, 1, 1e12);
    }
    // Observations: a file of their own, or listed here.
    if (is_given(c, "observations") == is_given(root, "observations"))
        r.fail(is_given(c, "observations") ? root["observations"] : c,
               "give the observations either as a file (calibration.observations) or as a list "
               "(observations), one of the two");
    if (is_given(c, "observations")) {
        s.observations_file = beside(path, r.text(c["observations"]));
        s.observations = load_observations(s.observations_file);
    } else {
        s.observations = read_statistics(r, path, root["observations"], "");
    }
    s.parameters =
        read_parameters(r, r.required(root, "parameters", "the calibration file"), scenario);
    if (s.parameters.empty()) r.fail(root["parameters"], "a calibration needs a parameter");
    for (const study::SweepParameter& p : s.parameters)
        if (p.dist == study::Distribution::choice)
            r.fail(root["parameters"], "parameter '" + p.name +
                                           "': a calibration's priors are continuous or integer, "
                                           "not choices");
    if (!scenario && (s.parameters.size() != 1 || s.observations.size() != 1))
        r.fail(root["parameters"],
               "the gaussian_mean model takes one parameter and one observation");
    if (scenario)
        for (const study::Observation& o : s.observations)
            if (o.kind == study::StatisticKind::value)
                throw InputError(o.file, o.line, o.col,
                                 "observation '" + o.name +
                                     "' needs a statistic (best, mean, top_set, last) to be "
                                     "compared with a scenario");
    if (const YAML::Node a = root["abc"]; a.IsDefined() && !a.IsNull()) {
        r.expect_map(
            a, "abc",
            {"particles", "replicates", "alpha", "min_acceptance", "generations", "seed", "batch"});
        s.abc.particles = static_cast<std::uint32_t>(r.integer(a, "particles", 200, 10, 100000));
        s.abc.replicates = static_cast<std::uint32_t>(r.integer(a, "replicates", 10, 1, 10000));
        s.abc.alpha = r.number(a, "alpha", 0.5, 0.05, 0.95);
        s.abc.min_acceptance = r.number(a, "min_acceptance", 0.02, 1e-4, 1);
        s.abc.generations = static_cast<std::uint32_t>(r.integer(a, "generations", 8, 1, 100));
        s.abc.seed = static_cast<std::uint32_t>(r.integer(a, "seed", 1, 0, 4294967295LL));
        s.abc.batch = static_cast<std::uint32_t>(r.integer(a, "batch", 0, 0, 100000));
    }
    return s;
}

}  // namespace kaisim::io
