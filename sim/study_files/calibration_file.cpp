#include "kaisim/study_files/calibration_file.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>

#include "../scenario/yaml_reader.hpp"
#include "kaisim/core/error.hpp"
#include "kaisim/scenario/text_file.hpp"
#include "kaisim/study_files/sweep_file.hpp"
#include "parameter_reader.hpp"

namespace kaisim::io {

namespace {
constexpr double inf = std::numeric_limits<double>::max();

// `statistics:` entries; `stage` is the file's default stage.
// `tracked`: the list is of quantities to report, not to fit (no value, weight 0).
std::vector<study::Observation> read_statistics(YamlReader& r, const std::string& file,
                                                const YAML::Node& list, const std::string& stage,
                                                bool tracked = false) {
    r.expect_seq(list, tracked ? "tracked" : "statistics");
    std::vector<study::Observation> out;
    for (const auto& n : list) {
        r.expect_map(n, "an observation",
                     {"name", "statistic", "stage", "components", "teams", "value", "weight", "sd",
                      "source"});
        study::Observation o;
        o.name = r.text(r.required(n, "name", "an observation"));
        for (const study::Observation& other : out)
            if (other.name == o.name) r.fail(n["name"], "duplicate observation '" + o.name + "'");
        o.kind = static_cast<study::StatisticKind>(
            r.choice(n, "statistic", 4,
                     {"best", "mean", "top_set", "last", "value", "first", "passed", "disqualified",
                      "compute", "ability", "points"}));
        if (tracked && o.kind != study::StatisticKind::ability &&
            o.kind != study::StatisticKind::points)
            r.fail(n, "a tracked quantity is a team's ability or points at a stage");
        if (!tracked && o.kind == study::StatisticKind::ability)
            r.fail(n, "an ability is never observed: list it under tracked");
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
        const bool one_team =
            o.kind == study::StatisticKind::last || o.kind == study::StatisticKind::first ||
            o.kind == study::StatisticKind::passed ||
            o.kind == study::StatisticKind::disqualified ||
            o.kind == study::StatisticKind::compute || o.kind == study::StatisticKind::ability ||
            o.kind == study::StatisticKind::points;
        if ((o.kind == study::StatisticKind::top_set || one_team) && o.teams.empty())
            r.fail(n, "a " + r.text(n["statistic"]) + " observation needs teams");
        if (one_team && o.teams.size() != 1)
            r.fail(n["teams"],
                   "a " + r.text(n["statistic"]) + " observation names exactly one team");
        o.tracked = tracked;
        if (tracked) {
            if (is_given(n, "value") || is_given(n, "weight") || is_given(n, "sd"))
                r.fail(n, "a tracked quantity has no value, weight or sd: it is not observed");
            o.weight = 0;
            o.value = std::numeric_limits<double>::quiet_NaN();
            o.file = file;
            o.line = static_cast<int>(n.Mark().line) + 1;
            o.col = static_cast<int>(n.Mark().column) + 1;
            out.push_back(o);
            continue;
        }
        const YAML::Node v = r.required(n, "value", "an observation");
        const bool indicator = study::is_indicator(o.kind);
        if (o.kind == study::StatisticKind::compute)
            o.value = std::log10(r.number(v, 1, inf));  // compared as log10 FLOP
        else
            o.value = r.number(v, indicator ? 0 : -inf, indicator ? 1 : inf);
        if (indicator && o.value != 0 && o.value != 1)
            r.fail(v, "a " + r.text(n["statistic"]) + " observation is 0 or 1");
        o.weight = r.number(n, "weight", 1, 0, 1e6);
        o.sd = r.number(n, "sd", 0, 0, inf);
        if (indicator && is_given(n, "sd"))
            r.fail(n["sd"], "a 0/1 observation has no measurement error (sd)");
        o.file = file;
        o.line = static_cast<int>(n.Mark().line) + 1;
        o.col = static_cast<int>(n.Mark().column) + 1;
        out.push_back(o);
    }
    if (out.empty() && !tracked) r.fail(list, "a calibration needs at least one observation");
    return out;
}
// The passed facts of a gate that keeps a fixed number on points are scored jointly: each gets
// a tracked `points` observation of its team there (NAME.points), which the likelihood reads.
// A stage with a single fact keeps it on its own (nothing to compare it with).
void add_gate_points(study::CalibrationSpec& s, const model::Scenario& sc) {
    std::vector<study::Observation> added;
    for (const model::Stage& stage : sc.stages) {
        if (!study::is_points_gate(stage)) continue;
        std::vector<study::Observation*> facts;
        for (study::Observation& o : s.observations)
            if (o.kind == study::StatisticKind::passed && !o.tracked && o.stage == stage.id)
                facts.push_back(&o);
        if (facts.size() < 2) continue;
        for (study::Observation* o : facts) {
            study::Observation q = *o;
            q.name = o->name + ".points";
            for (const study::Observation& other : s.observations)
                if (other.name == q.name)
                    throw InputError(o->file, o->line, o->col,
                                     "observation '" + q.name +
                                         "' is the name kaisim gives the points of the gate "
                                         "fact '" +
                                         o->name + "': rename it");
            q.kind = study::StatisticKind::points;
            q.tracked = true;
            q.weight = 0;
            q.sd = 0;
            q.value = std::numeric_limits<double>::quiet_NaN();
            o->gate_points = q.name;
            added.push_back(std::move(q));
        }
    }
    for (study::Observation& q : added) s.observations.push_back(std::move(q));
}

// A `parameters:` entry with a hierarchical prior over the teams: path teams[*].ATTRIBUTE,
// expanded to the population's location and spread and one member per team.
void read_hierarchical(YamlReader& r, const YAML::Node& p, const model::Scenario& sc,
                       std::vector<study::SweepParameter>& out) {
    r.expect_map(p, "a hierarchical parameter", {"name", "path", "hierarchical", "teams"});
    const YAML::Node path = r.required(p, "path", "a hierarchical parameter");
    const std::string text = r.text(path);
    const std::string head = "teams[*].";
    if (text.rfind(head, 0) != 0 || text.size() == head.size() ||
        text.find_first_of(".[", head.size()) != std::string::npos)
        r.fail(path,
               "a hierarchical prior is over the teams: its path is teams[*].ATTRIBUTE "
               "(e.g. teams[*].skill)");
    const std::string attribute = text.substr(head.size());
    const std::string name = r.text(p, "name", attribute);
    for (const study::SweepParameter& other : out)
        if (other.name == name || other.name.rfind(name + "[", 0) == 0 ||
            other.name == name + ".location")
            r.fail(p, "duplicate parameter '" + name + "'");
    const YAML::Node h = p["hierarchical"];
    r.expect_map(h, "hierarchical", {"scale", "location", "spread"});
    const auto scale =
        static_cast<study::HierarchyScale>(r.choice(h, "scale", 0, {"linear", "log", "logit"}));
    study::SweepParameter location, spread;
    const YAML::Node lp = r.required(h, "location", "a hierarchical prior");
    const YAML::Node sp = r.required(h, "spread", "a hierarchical prior");
    r.expect_map(lp, "a location prior", {"dist", "low", "high", "mean", "sd"});
    r.expect_map(sp, "a spread prior", {"dist", "low", "high", "mean", "sd"});
    read_distribution(r, lp, location);
    read_distribution(r, sp, spread);
    for (const auto* q : {&location, &spread})
        if (q->dist == study::Distribution::choice || q->dist == study::Distribution::integer)
            r.fail(h, "a hierarchical prior's location and spread are continuous");
    if (spread.dist == study::Distribution::normal || spread.low < 0)
        r.fail(sp, "a spread is >= 0: give it a uniform or loguniform prior with low >= 0");
    location.name = name + ".location";
    spread.name = name + ".spread";
    const int at = static_cast<int>(out.size());
    out.push_back(location);
    out.push_back(spread);
    std::vector<int> teams;
    if (is_given(p, "teams")) {
        r.expect_seq(p["teams"], "teams");
        for (const auto& t : p["teams"]) {
            const std::string id = r.text(t);
            int found = -1;
            for (std::size_t i = 0; i < sc.teams.size(); ++i)
                if (sc.teams[i].id == id) found = static_cast<int>(i);
            if (found < 0) r.fail(t, "the scenario has no team '" + id + "'");
            if (std::find(teams.begin(), teams.end(), found) != teams.end())
                r.fail(t, "team '" + id + "' is listed twice");
            teams.push_back(found);
        }
        if (teams.empty()) r.fail(p["teams"], "a hierarchical prior needs at least one team");
    } else {
        for (std::size_t i = 0; i < sc.teams.size(); ++i) teams.push_back(static_cast<int>(i));
    }
    for (int i : teams) {
        study::SweepParameter m;
        const std::string& id = sc.teams[static_cast<std::size_t>(i)].id;
        m.name = name + "[" + id + "]";
        m.path = "teams[" + id + "]." + attribute;
        m.path_line = static_cast<int>(path.Mark().line) + 1;
        m.path_col = static_cast<int>(path.Mark().column) + 1;
        m.dist = study::Distribution::normal;
        m.mean = 0;
        m.sd = 1;
        m.location = at;
        m.spread = at + 1;
        m.scale = scale;
        out.push_back(m);
    }
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
                 {"calibration", "parameters", "observations", "tracked", "abc", "likelihood"});
    const YAML::Node c = r.required(root, "calibration", "the calibration file");
    r.expect_map(c, "calibration",
                 {"name", "scenario", "overlays", "model", "sigma", "n", "observations", "method"});
    s.name = r.text(c, "name", path);
    s.model = static_cast<study::CalibrationModel>(
        r.choice(c, "model", 0, {"scenario", "gaussian_mean"}));
    s.method =
        static_cast<study::CalibrationMethod>(r.choice(c, "method", 0, {"abc", "likelihood"}));
    const bool scenario = s.model == study::CalibrationModel::scenario;
    if (scenario) {
        s.scenario = beside(path, r.text(r.required(c, "scenario", "a scenario calibration")));
        s.overlays = read_overlays(r, c, path);
    } else {
        if (is_given(c, "scenario")) r.fail(c["scenario"], "an analytic model takes no scenario");
        s.gaussian_sigma = r.number(r.required(c, "sigma", "a gaussian_mean model"), 1e-300, inf);
        s.gaussian_n = r.number(c, "n", 1, 1, 1e12);
    }
    // Observations: files of their own (one, or a list), or listed here.
    if (is_given(c, "observations") == is_given(root, "observations"))
        r.fail(is_given(c, "observations") ? root["observations"] : c,
               "give the observations either as files (calibration.observations) or as a list "
               "(observations), one of the two");
    if (is_given(c, "observations")) {
        const YAML::Node files = c["observations"];
        std::vector<YAML::Node> names;
        if (files.IsSequence()) {
            for (const auto& f : files) names.push_back(f);
            if (names.empty()) r.fail(files, "calibration.observations lists no file");
        } else {
            names.push_back(files);
        }
        for (const YAML::Node& f : names) {
            const std::string file = beside(path, r.text(f));
            if (std::find(s.observations_files.begin(), s.observations_files.end(), file) !=
                s.observations_files.end())
                r.fail(f, "observations file '" + file + "' is listed twice");
            s.observations_files.push_back(file);
            for (study::Observation& o : load_observations(file)) {
                for (const study::Observation& other : s.observations)
                    if (other.name == o.name)
                        throw InputError(o.file, o.line, o.col,
                                         "observation '" + o.name + "' is also in " + other.file +
                                             ": names are unique across a calibration's files");
                s.observations.push_back(std::move(o));
            }
        }
    } else {
        s.observations = read_statistics(r, path, root["observations"], "");
    }
    if (is_given(root, "tracked")) {
        if (s.method != study::CalibrationMethod::likelihood)
            r.fail(root["tracked"], "tracked quantities go with calibration.method: likelihood");
        for (study::Observation& o : read_statistics(r, path, root["tracked"], "", true)) {
            for (const study::Observation& other : s.observations)
                if (other.name == o.name)
                    r.fail(root["tracked"], "duplicate name '" + o.name + "'");
            s.observations.push_back(std::move(o));
        }
    }
    // Parameters: plain ones as in sweeps; teams[*] ones under a hierarchical prior.
    const YAML::Node ps = r.required(root, "parameters", "the calibration file");
    r.expect_seq(ps, "parameters");
    YAML::Node plain(YAML::NodeType::Sequence);
    std::vector<YAML::Node> hierarchical;
    for (const auto& p : ps) {
        if (p.IsMap() && p["hierarchical"])
            hierarchical.push_back(p);
        else
            plain.push_back(p);
    }
    s.parameters = read_parameters(r, plain, scenario);
    // The scenario as the calibration file names it (hierarchical priors range over its teams,
    // gates are read from its stages), loaded once.
    std::optional<model::Scenario> sc;
    if (scenario && (!hierarchical.empty() || s.method == study::CalibrationMethod::likelihood))
        sc = scenario_source(s.scenario, s.overlays)({});
    if (!hierarchical.empty()) {
        if (!scenario)
            r.fail(hierarchical.front(), "an analytic model has no teams to put a prior over");
        for (const YAML::Node& p : hierarchical) read_hierarchical(r, p, *sc, s.parameters);
    }
    if (s.parameters.empty()) r.fail(root["parameters"], "a calibration needs a parameter");
    for (const study::SweepParameter& p : s.parameters)
        for (const char* column : {"particle", "weight", "distance", "hits", "loglik", "sets"})
            if (p.name == column)  // posterior.csv would hold two such columns
                r.fail(root["parameters"], "parameter '" + p.name +
                                               "': the name of a column of posterior.csv; "
                                               "choose another name");
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
                                     "' needs a statistic (best, mean, top_set, first, last, "
                                     "passed, disqualified, compute) to be compared with a "
                                     "scenario");
    if (s.method == study::CalibrationMethod::abc && is_given(root, "likelihood"))
        r.fail(root["likelihood"], "likelihood settings go with calibration.method: likelihood");
    if (s.method == study::CalibrationMethod::likelihood && is_given(root, "abc"))
        r.fail(root["abc"], "abc settings go with calibration.method: abc");
    if (const YAML::Node l = root["likelihood"]; l.IsDefined() && !l.IsNull()) {
        r.expect_map(l, "likelihood",
                     {"particles", "replicates", "moves", "ess_fraction", "generations", "seed"});
        study::LikelihoodSettings& q = s.likelihood;
        q.particles = static_cast<std::uint32_t>(r.integer(l, "particles", 256, 10, 100000));
        q.replicates = static_cast<std::uint32_t>(r.integer(l, "replicates", 16, 1, 10000));
        q.moves = static_cast<std::uint32_t>(r.integer(l, "moves", 4, 1, 1000));
        q.ess_fraction = r.number(l, "ess_fraction", 0.5, 0.05, 0.95);
        q.generations = static_cast<std::uint32_t>(r.integer(l, "generations", 60, 1, 1000));
        q.seed = static_cast<std::uint32_t>(r.integer(l, "seed", 1, 0, 4294967295LL));
    }
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
    if (scenario && s.method == study::CalibrationMethod::likelihood) add_gate_points(s, *sc);
    return s;
}

}  // namespace kaisim::io
