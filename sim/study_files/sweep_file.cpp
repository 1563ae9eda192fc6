#include "kaisim/study_files/sweep_file.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>

#include "../scenario/yaml_reader.hpp"
#include "kaisim/core/error.hpp"
#include "kaisim/scenario/scenario_loader.hpp"
#include "kaisim/scenario/text_file.hpp"
#include "parameter_reader.hpp"

namespace kaisim::io {

using study::SweepModel;
using study::SweepSpec;

namespace {
constexpr double inf = std::numeric_limits<double>::max();
}  // namespace

void read_distribution(YamlReader& r, const YAML::Node& p, study::SweepParameter& q) {
    q.dist = static_cast<study::Distribution>(
        r.choice(r.required(p, "dist", "a parameter"),
                 {"uniform", "loguniform", "normal", "integer", "choice"}));
    using D = study::Distribution;
    if (q.dist == D::uniform || q.dist == D::loguniform || q.dist == D::integer) {
        q.low = r.number(r.required(p, "low", "a parameter"),
                         q.dist == D::loguniform ? 1e-300 : -inf, inf);
        q.high = r.number(r.required(p, "high", "a parameter"), q.low, inf);
        if (q.dist == D::integer && (q.low != std::floor(q.low) || q.high != std::floor(q.high)))
            r.fail(p, "an integer parameter needs whole low and high");
    }
    if (q.dist == D::normal) {
        q.mean = r.number(r.required(p, "mean", "a normal parameter"), -inf, inf);
        q.sd = r.number(r.required(p, "sd", "a normal parameter"), 0, inf);
    }
    if (q.dist == D::choice) {
        const YAML::Node v = r.required(p, "values", "a choice parameter");
        r.expect_seq(v, "values");
        for (const auto& x : v) q.values.push_back(r.text(x));
        if (q.values.empty()) r.fail(v, "a choice parameter needs at least one value");
        for (const study::LinkedPath& l : q.also)
            if (l.scale != 1 || l.offset != 0)
                r.fail(p["also"], "a choice parameter's linked paths take no scale or offset");
    }
}

std::vector<study::SweepParameter> read_parameters(YamlReader& r, const YAML::Node& ps,
                                                   bool scenario) {
    r.expect_seq(ps, "parameters");
    std::vector<study::SweepParameter> out;
    for (const auto& p : ps) {
        r.expect_map(
            p, "a parameter",
            {"name", "path", "also", "dist", "low", "high", "mean", "sd", "values", "levels"});
        study::SweepParameter q;
        q.path = scenario ? r.text(r.required(p, "path", "a scenario parameter")) : "";
        if (scenario) {
            const YAML::Mark m = p["path"].Mark();
            q.path_line = m.line + 1;
            q.path_col = m.column + 1;
        }
        if (is_given(p, "also")) {
            const YAML::Node also = p["also"];
            if (!scenario) r.fail(also, "an analytic model's parameter sets no scenario path");
            r.expect_seq(also, "also");
            for (const auto& a : also) {
                r.expect_map(a, "a linked path", {"path", "scale", "offset"});
                const YAML::Node path = r.required(a, "path", "a linked path");
                study::LinkedPath l;
                l.path = r.text(path);
                l.scale = r.number(a, "scale", 1, -1e9, 1e9);
                l.offset = r.number(a, "offset", 0, -1e15, 1e15);
                l.path_line = path.Mark().line + 1;
                l.path_col = path.Mark().column + 1;
                q.also.push_back(l);
            }
        }
        q.name = r.text(p, "name", q.path);
        if (q.name.empty()) r.fail(p, "a parameter needs a name");
        for (const auto& other : out)
            if (other.name == q.name) r.fail(p["name"], "duplicate parameter '" + q.name + "'");
        read_distribution(r, p, q);
        q.levels = static_cast<int>(r.integer(p, "levels", 3, 1, 1000));
        out.push_back(q);
    }
    return out;
}

study::SweepSpec load_sweep(const std::string& path) {
    SweepSpec s;
    s.file = path;
    const YAML::Node root = parse_yaml_file(path);
    s.text = read_input_file(path);
    YamlReader r(path);
    r.expect_map(root, "the sweep file",
                 {"sweep", "parameters", "design", "replicates", "metrics", "bootstrap", "chunk"});
    const YAML::Node sw = r.required(root, "sweep", "the sweep file");
    r.expect_map(sw, "sweep", {"name", "scenario", "overlays", "model", "a", "b"});
    s.name = r.text(sw, "name", path);
    s.model =
        static_cast<SweepModel>(r.choice(sw, "model", 0, {"scenario", "ishigami", "sobol_g"}));
    if (s.model == SweepModel::scenario) {
        s.scenario = beside(path, r.text(r.required(sw, "scenario", "a scenario sweep")));
        s.overlays = read_overlays(r, sw, path);
    } else if (is_given(sw, "scenario")) {
        r.fail(sw["scenario"], "an analytic model takes no scenario");
    }
    if (s.model == SweepModel::sobol_g) {
        const YAML::Node a = r.required(sw, "a", "a sobol_g sweep");
        r.expect_seq(a, "the G function's coefficients a");
        for (const auto& x : a) s.g_a.push_back(r.number(x, 0, inf));
    } else if (s.model == SweepModel::ishigami) {
        s.ishigami_a = r.number(sw, "a", 7, -inf, inf);
        s.ishigami_b = r.number(sw, "b", 0.1, -inf, inf);
    }
    const YAML::Node ps = r.required(root, "parameters", "the sweep file");
    s.parameters = read_parameters(r, ps, s.model == SweepModel::scenario);
    if (s.parameters.empty()) r.fail(ps, "a sweep needs at least one parameter");
    if (s.model == SweepModel::ishigami && s.parameters.size() != 3)
        r.fail(ps, "the ishigami model takes exactly 3 parameters, got " +
                       std::to_string(s.parameters.size()));
    if (s.model == SweepModel::sobol_g && s.parameters.size() != s.g_a.size())
        r.fail(ps, "the sobol_g model takes one parameter per coefficient in a (" +
                       std::to_string(s.g_a.size()) + "), got " +
                       std::to_string(s.parameters.size()));
    const YAML::Node d = r.required(root, "design", "the sweep file");
    r.expect_map(d, "design", {"type", "samples", "trajectories", "levels", "seed"});
    s.design.design = static_cast<study::Design>(
        r.choice(r.required(d, "type", "design"), {"grid", "random", "lhs", "sobol", "morris"}));
    s.design.samples = static_cast<std::uint32_t>(r.integer(d, "samples", 64, 1, 1 << 24));
    s.design.trajectories = static_cast<std::uint32_t>(r.integer(d, "trajectories", 10, 1, 100000));
    s.design.morris_levels = static_cast<int>(r.integer(d, "levels", 4, 2, 100));
    s.design.seed = static_cast<std::uint32_t>(r.integer(d, "seed", 1, 0, 0xFFFFFFFEll));
    if (s.design.design == study::Design::sobol) {
        const std::uint32_t n = s.design.samples;
        if (n & (n - 1)) {
            std::uint32_t lo = 1;
            while (lo * 2 <= n) lo *= 2;
            r.fail(d["samples"],
                   "a sobol design needs a power-of-two number of samples (Saltelli's scheme on a "
                   "Sobol' "
                   "sequence), got " +
                       std::to_string(n) + ": try " + std::to_string(lo) + " or " +
                       std::to_string(lo * 2));
        }
        if (2 * s.parameters.size() > 32) r.fail(ps, "a sobol design takes at most 16 parameters");
    }
    if (s.design.design == study::Design::morris && s.design.morris_levels % 2)
        r.fail(d["levels"], "Morris levels must be even");
    s.replicates = static_cast<std::uint32_t>(r.integer(root, "replicates", 20, 1, 1 << 24));
    if (is_given(root, "metrics")) {
        r.expect_seq(root["metrics"], "metrics");
        for (const auto& m : root["metrics"]) {
            s.metrics.push_back(r.text(m));
            s.metric_at.emplace_back(m.Mark().line + 1, m.Mark().column + 1);
        }
    }
    s.bootstrap = static_cast<std::uint32_t>(r.integer(root, "bootstrap", 200, 0, 100000));
    s.chunk = static_cast<std::uint32_t>(r.integer(root, "chunk", 8, 1, 100000));
    return s;
}

study::ScenarioSource scenario_source(std::string scenario, std::vector<std::string> overlays) {
    // The files are read once per source, not once per point.
    auto files = std::make_shared<const ScenarioTemplate>(std::move(scenario), std::move(overlays));
    return [files](const std::vector<std::string>& sets) { return files->make(sets); };
}

study::ScenarioSource sweep_scenario_source(const SweepSpec& spec) {
    return scenario_source(spec.scenario, spec.overlays);
}

std::string sweep_fingerprint(const SweepSpec& spec, const std::string& version) {
    std::vector<std::string> files;
    if (spec.model == SweepModel::scenario) {
        files.push_back(spec.scenario);
        files.insert(files.end(), spec.overlays.begin(), spec.overlays.end());
    }
    return files_fingerprint(spec.text, files, version + executable_fingerprint());
}

}  // namespace kaisim::io
