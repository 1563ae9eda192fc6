#include "kaisim/io/calibration_outputs.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "kaisim/core/error.hpp"
#include "kaisim/io/csv_reader.hpp"
#include "kaisim/io/run_outputs.hpp"
#include "kaisim/io/text_file.hpp"

namespace kaisim::io {

namespace {
const char* dist_name(study::Distribution d) {
    switch (d) {
        case study::Distribution::uniform: return "uniform";
        case study::Distribution::loguniform: return "loguniform";
        case study::Distribution::normal: return "normal";
        case study::Distribution::integer: return "integer";
        case study::Distribution::choice: return "choice";
    }
    return "?";
}

// A --set path as segments: a name, and the list element's id when it has one ("" if none);
// false when a segment selects a list element by index.
bool split_path(const std::string& path, std::vector<std::pair<std::string, std::string>>& out) {
    std::size_t at = 0;
    while (at < path.size()) {
        const std::size_t dot = path.find('.', at);
        std::string seg = path.substr(at, dot == std::string::npos ? std::string::npos : dot - at);
        std::string id;
        if (const std::size_t b = seg.find('['); b != std::string::npos) {
            id = seg.substr(b + 1, seg.size() - b - 2);
            seg = seg.substr(0, b);
            if (!id.empty() && std::isdigit(static_cast<unsigned char>(id.front()))) return false;
        }
        out.emplace_back(seg, id);
        if (dot == std::string::npos) break;
        at = dot + 1;
    }
    return true;
}

// Sets `value` at the path inside `node`, creating maps and id-keyed list elements.
void set_path(YAML::Node node, const std::vector<std::pair<std::string, std::string>>& segs,
              const std::string& value) {
    for (std::size_t i = 0; i < segs.size(); ++i) {
        const auto& [name, id] = segs[i];
        const bool last = i + 1 == segs.size();
        if (id.empty()) {
            if (last) {
                node[name] = YAML::Load(value);
                return;
            }
            YAML::Node child = node[name];
            if (!child.IsMap()) node[name] = YAML::Node(YAML::NodeType::Map);
            node.reset(node[name]);
            continue;
        }
        if (!node[name].IsSequence()) node[name] = YAML::Node(YAML::NodeType::Sequence);
        YAML::Node list = node[name];
        YAML::Node element;
        for (std::size_t k = 0; k < list.size(); ++k)
            if (list[k]["id"].as<std::string>() == id) element.reset(list[k]);
        if (!element.IsDefined() || element.IsNull()) {
            YAML::Node fresh(YAML::NodeType::Map);
            fresh["id"] = id;
            list.push_back(fresh);
            element.reset(list[list.size() - 1]);
        }
        if (last) return;  // a whole element cannot be a parameter
        node.reset(element);
    }
}
}  // namespace

std::string posterior_csv(const study::CalibrationSpec& spec, const study::CalibrationOutcome& o) {
    std::vector<std::string> h{"particle", "weight"};
    for (const auto& p : spec.parameters) h.push_back(p.name);
    h.push_back("distance");
    h.push_back("hits");
    h.push_back("sets");
    std::string out = csv_line(h);
    for (std::size_t i = 0; i < o.abc.particles.size(); ++i) {
        const study::AbcParticle& p = o.abc.particles[i];
        std::vector<CsvCell> f{static_cast<double>(i), p.weight};
        for (double x : o.values[i]) f.emplace_back(x);
        if (std::isfinite(p.distance))
            f.emplace_back(p.distance);
        else
            f.emplace_back("");  // none of its replicates produced every statistic
        f.emplace_back(static_cast<double>(p.hits));
        // What the particle sets, as --set assignments joined by ';' (kaisim run --posterior).
        std::string sets;
        for (const std::string& a : study::point_sets(spec.parameters, p.u))
            sets += (sets.empty() ? "" : ";") + a;
        f.emplace_back(sets);
        out += csv_row("posterior.csv", h, "particle " + std::to_string(i), f);
    }
    return out;
}

std::string calibration_json(const study::CalibrationSpec& spec, const study::CalibrationOutcome& o,
                             const std::string& version) {
    nlohmann::ordered_json j;
    j["calibration"] = spec.name;
    j["file"] = spec.file;
    j["version"] = version;
    j["scenario"] = spec.scenario;
    j["overlays"] = spec.overlays;
    j["abc"] = {{"particles", spec.abc.particles},
                {"replicates", spec.abc.replicates},
                {"alpha", spec.abc.alpha},
                {"min_acceptance", spec.abc.min_acceptance},
                {"generations", spec.abc.generations},
                {"seed", spec.abc.seed}};
    nlohmann::ordered_json gens = nlohmann::ordered_json::array();
    for (std::size_t t = 0; t < o.abc.generations.size(); ++t) {
        const study::AbcGeneration& g = o.abc.generations[t];
        gens.push_back(
            {{"generation", t},
             {"tolerance", std::isfinite(g.tolerance) ? nlohmann::ordered_json(g.tolerance)
                                                      : nlohmann::ordered_json(nullptr)},
             {"proposals", g.proposals},
             {"simulated", g.simulated},
             {"acceptance", g.acceptance},
             {"ess", g.ess}});
    }
    j["generations"] = gens;
    j["stopped_at"] = o.abc.stop;
    j["replicates_simulated"] = o.abc.replicates_simulated;
    const auto range = [](const study::Predictive& p) {
        return nlohmann::ordered_json{{"q05", p.q05},
                                      {"q50", p.q50},
                                      {"q95", p.q95},
                                      {"mean", p.mean},
                                      {"replicates", p.replicates}};
    };
    nlohmann::ordered_json stats = nlohmann::ordered_json::object();
    for (std::size_t k = 0; k < spec.observations.size(); ++k)
        stats[spec.observations[k].name] = {
            {"observed", spec.observations[k].value},
            {"scale", o.abc.scales.at(k)},
            {"prior_predictive", range(o.prior_predictive.at(k))},
            {"posterior_predictive", range(o.posterior_predictive.at(k))}};
    j["statistics"] = stats;
    nlohmann::ordered_json params = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
        const study::SweepParameter& p = spec.parameters[i];
        const study::ParameterPosterior& q = o.posterior[i];
        nlohmann::ordered_json prior = {{"dist", dist_name(p.dist)}};
        if (p.dist == study::Distribution::normal) {
            prior["mean"] = p.mean;
            prior["sd"] = p.sd;
        } else {
            prior["low"] = p.low;
            prior["high"] = p.high;
        }
        prior["q05"] = study::parameter_value(p, 0.05);
        prior["q50"] = study::parameter_value(p, 0.5);
        prior["q95"] = study::parameter_value(p, 0.95);
        params[p.name] = {{"path", p.path}, {"prior", prior}, {"mean", q.mean}, {"sd", q.sd},
                          {"q05", q.q05},   {"q50", q.q50},   {"q95", q.q95}};
    }
    j["parameters"] = params;
    return json_text(j, "calibration.json");
}

std::string calibrated_yaml(const study::CalibrationSpec& spec,
                            const study::CalibrationOutcome& o) {
    if (spec.model != study::CalibrationModel::scenario) {
        std::string t = "# The posterior medians of calibration '" + spec.name +
                        "' (an analytic model: no scenario to overlay)\n";
        for (const study::ParameterPosterior& q : o.posterior)
            t += q.name + ": " + format_number(q.q50) + "\n";
        return t;
    }
    std::vector<std::string> sets;
    for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
        const study::SweepParameter& p = spec.parameters[i];
        // The median in the unit cube, so that linked paths get it with their scales.
        std::vector<std::pair<double, double>> uw;
        for (const study::AbcParticle& q : o.abc.particles) uw.emplace_back(q.u[i], q.weight);
        const double u = study::weighted_quantile(uw, 0.5);
        for (const std::string& set : study::parameter_sets(p, u)) sets.push_back(set);
    }
    std::string command = "kaisim run " + spec.scenario;
    for (const std::string& o : spec.overlays) command += " --overlay " + o;
    return "# The posterior medians of calibration '" + spec.name + "' (" + spec.file +
           "), as an overlay, after the calibration's own overlays:\n# " + command +
           " --overlay calibrated.yaml\n" + overlay_yaml(sets);
}

std::string overlay_yaml(const std::vector<std::string>& sets) {
    YAML::Node overlay(YAML::NodeType::Map);
    std::string comments;
    for (const std::string& set : sets) {
        const std::size_t eq = set.find('=');
        std::vector<std::pair<std::string, std::string>> segs;
        if (split_path(set.substr(0, eq), segs))
            set_path(overlay, segs, set.substr(eq + 1));
        else
            comments += "# --set " + set + "   (a list index: not expressible as an overlay)\n";
    }
    YAML::Emitter e;
    e << overlay;
    return comments + e.c_str() + "\n";
}

std::vector<PosteriorParticle> read_posterior(const std::string& path) {
    std::vector<std::vector<std::string>> records;
    try {
        records = csv_records(read_input_file(path));
    } catch (const std::runtime_error& e) {
        throw InputError(path, 1, 1, e.what());
    }
    int weight_col = -1, sets_col = -1;
    if (!records.empty())
        for (std::size_t c = 0; c < records[0].size(); ++c) {
            if (records[0][c] == "weight") weight_col = static_cast<int>(c);
            if (records[0][c] == "sets") sets_col = static_cast<int>(c);
        }
    if (weight_col < 0 || sets_col < 0)
        throw InputError(path, 1, 1,
                         "not a posterior.csv of kaisim calibrate: it needs the columns weight and "
                         "sets");
    std::vector<PosteriorParticle> out;
    for (std::size_t r = 1; r < records.size(); ++r) {
        const std::vector<std::string>& fields = records[r];
        const int line = static_cast<int>(r) + 1;  // posterior.csv has no multi-line fields
        if (fields.empty() || (fields.size() == 1 && fields[0].empty())) continue;  // blank
        if (fields.size() != records[0].size())
            throw InputError(path, line, 1,
                             "expected " + std::to_string(records[0].size()) + " fields, found " +
                                 std::to_string(fields.size()));
        PosteriorParticle p;
        const std::string& weight = fields[static_cast<std::size_t>(weight_col)];
        char* end = nullptr;
        p.weight = std::strtod(weight.c_str(), &end);
        if (weight.empty() || *end != '\0')
            throw InputError(path, line, 1, "the weight is not a number");
        if (!(p.weight >= 0) || !std::isfinite(p.weight))
            throw InputError(path, line, 1, "a weight must be a finite number >= 0");
        std::stringstream sets(fields[static_cast<std::size_t>(sets_col)]);
        for (std::string a; std::getline(sets, a, ';');)
            if (!a.empty()) p.sets.push_back(a);
        out.push_back(p);
    }
    double total = 0;
    for (const PosteriorParticle& p : out) total += p.weight;
    if (out.empty() || !(total > 0))
        throw InputError(path, 1, 1, "the posterior has no particle of positive weight");
    return out;
}

std::string calibration_table(const study::CalibrationSpec& spec,
                              const study::CalibrationOutcome& o) {
    std::string t;
    char buf[256];
    std::snprintf(buf, sizeof buf, "%-16s %9s %24s %24s\n", "statistic", "observed",
                  "prior 5-95% (mean)", "posterior 5-95% (mean)");
    t += buf;
    for (std::size_t k = 0; k < spec.observations.size(); ++k) {
        const study::Predictive &a = o.prior_predictive.at(k), &b = o.posterior_predictive.at(k);
        std::snprintf(buf, sizeof buf, "%-16s %9.4g %7.4g-%-7.4g (%6.3g) %7.4g-%-7.4g (%6.3g)\n",
                      spec.observations[k].name.c_str(), spec.observations[k].value, a.q05, a.q95,
                      a.mean, b.q05, b.q95, b.mean);
        t += buf;
    }
    t += "\n";
    std::snprintf(buf, sizeof buf, "%-28s %12s %12s %12s %12s\n", "parameter", "mean", "5%", "50%",
                  "95%");
    t += buf;
    for (const study::ParameterPosterior& q : o.posterior) {
        std::snprintf(buf, sizeof buf, "%-28s %12.4g %12.4g %12.4g %12.4g\n", q.name.c_str(),
                      q.mean, q.q05, q.q50, q.q95);
        t += buf;
    }
    return t;
}

}  // namespace kaisim::io
