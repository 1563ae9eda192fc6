#include "kaisim/output/calibration_outputs.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "kaisim/core/error.hpp"
#include "kaisim/output/run_outputs.hpp"
#include "kaisim/scenario/scenario_loader.hpp"

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

// What a point sets, as --set assignments joined by ';' (what kaisim run --posterior applies).
std::string joined_sets(const study::CalibrationSpec& spec, const std::vector<double>& u) {
    std::string sets;
    for (const std::string& a : study::point_sets(spec.parameters, u))
        sets += (sets.empty() ? "" : ";") + a;
    return sets;
}
}  // namespace

std::string posterior_csv(const study::CalibrationSpec& spec, const study::CalibrationOutcome& o) {
    std::vector<std::string> h{"particle", "weight"};
    const bool abc = spec.method == study::CalibrationMethod::abc;
    for (const auto& p : spec.parameters) h.push_back(p.name);
    if (abc) {
        h.push_back("distance");
        h.push_back("hits");
    } else {
        h.push_back("loglik");
    }
    h.push_back("sets");
    std::string out = csv_line(h);
    for (std::size_t i = 0; i < o.abc.particles.size(); ++i) {
        const study::AbcParticle& p = o.abc.particles[i];
        std::vector<CsvCell> f{static_cast<double>(i), p.weight};
        for (double x : o.values[i]) f.emplace_back(x);
        if (!abc)
            f.emplace_back(-p.distance);
        else if (std::isfinite(p.distance))
            f.emplace_back(p.distance);
        else
            f.emplace_back("");  // none of its replicates produced every statistic
        if (abc) f.emplace_back(static_cast<double>(p.hits));
        f.emplace_back(joined_sets(spec, p.u));
        out += csv_row("posterior.csv", h, "particle " + std::to_string(i), f);
    }
    return out;
}

std::string prior_csv(const study::CalibrationSpec& spec, const study::CalibrationOutcome& o) {
    std::vector<std::string> h{"particle", "weight"};
    for (const auto& p : spec.parameters) h.push_back(p.name);
    h.push_back("sets");
    std::string out = csv_line(h);
    const double w = 1.0 / static_cast<double>(o.prior_points.size());
    for (std::size_t i = 0; i < o.prior_points.size(); ++i) {
        const std::vector<double>& u = o.prior_points[i];
        std::vector<CsvCell> f{static_cast<double>(i), w};
        for (double x : study::point_values(spec.parameters, u)) f.emplace_back(x);
        f.emplace_back(joined_sets(spec, u));
        out += csv_row("prior.csv", h, "particle " + std::to_string(i), f);
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
    const bool abc = spec.method == study::CalibrationMethod::abc;
    j["method"] = abc ? "abc" : "likelihood";
    j["observations_files"] = spec.observations_files;
    if (abc)
        j["abc"] = {{"particles", spec.abc.particles},
                    {"replicates", spec.abc.replicates},
                    {"alpha", spec.abc.alpha},
                    {"min_acceptance", spec.abc.min_acceptance},
                    {"generations", spec.abc.generations},
                    {"seed", spec.abc.seed}};
    else
        j["likelihood"] = {{"particles", spec.likelihood.particles},
                           {"replicates", spec.likelihood.replicates},
                           {"moves", spec.likelihood.moves},
                           {"ess_fraction", spec.likelihood.ess_fraction},
                           {"generations", spec.likelihood.generations},
                           {"seed", spec.likelihood.seed}};
    nlohmann::ordered_json gens = nlohmann::ordered_json::array();
    for (std::size_t t = 0; t < o.abc.generations.size(); ++t) {
        const study::AbcGeneration& g = o.abc.generations[t];
        nlohmann::ordered_json row = {{"generation", t}};
        if (abc)
            row["tolerance"] = std::isfinite(g.tolerance) ? nlohmann::ordered_json(g.tolerance)
                                                          : nlohmann::ordered_json(nullptr);
        else
            row["temperature"] = g.temperature;
        row["proposals"] = g.proposals;
        row["simulated"] = g.simulated;
        row["acceptance"] = g.acceptance;
        row["ess"] = g.ess;
        gens.push_back(row);
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
    for (std::size_t k = 0; k < spec.observations.size(); ++k) {
        const study::Observation& ob = spec.observations[k];
        nlohmann::ordered_json st = {{"observed", ob.tracked ? nlohmann::ordered_json(nullptr)
                                                             : nlohmann::ordered_json(ob.value)},
                                     {"file", ob.file}};
        if (ob.tracked) st["tracked"] = true;
        if (abc) {
            st["scale"] = o.abc.scales.at(k);
        } else {
            st["weight"] = ob.weight;
            st["sd"] = ob.sd;
            // Scored with the stage's other passed facts: who outscored whom (the points).
            if (!ob.gate_points.empty()) st["gate"] = ob.gate_points;
        }
        st["prior_predictive"] = range(o.prior_predictive.at(k));
        st["posterior_predictive"] = range(o.posterior_predictive.at(k));
        stats[ob.name] = st;
    }
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
        study::ParameterPosterior pr = o.prior.at(i);
        if (p.location >= 0) {  // a member: its marginal prior, over the population's too
            prior = {{"hierarchical", spec.parameters[static_cast<std::size_t>(p.location)].name},
                     {"mean", pr.mean},
                     {"sd", pr.sd}};
        } else {  // exact quantiles
            pr.q05 = study::parameter_value(p, 0.05);
            pr.q50 = study::parameter_value(p, 0.5);
            pr.q95 = study::parameter_value(p, 0.95);
        }
        prior["q05"] = pr.q05;
        prior["q50"] = pr.q50;
        prior["q95"] = pr.q95;
        nlohmann::ordered_json entry = {{"path", p.path}, {"prior", prior}, {"mean", q.mean},
                                        {"sd", q.sd},     {"q05", q.q05},   {"q50", q.q50},
                                        {"q95", q.q95}};
        // The shrinkage: the posterior's 90% interval as a share of the prior's.
        const double width = pr.q95 - pr.q05;
        entry["width_ratio"] = width > 0 ? nlohmann::ordered_json((q.q95 - q.q05) / width)
                                         : nlohmann::ordered_json(nullptr);
        params[p.name] = entry;
    }
    j["parameters"] = params;
    // What each observations file taught: the posterior sd without it (importance weights).
    nlohmann::ordered_json influence = nlohmann::ordered_json::array();
    for (const study::FileInfluence& f : o.influence) {
        nlohmann::ordered_json sd = nlohmann::ordered_json::object();
        for (std::size_t i = 0; i < f.without.size(); ++i)
            sd[f.without[i].name] = {{"sd_with", o.posterior.at(i).sd},
                                     {"sd_without", f.without[i].sd},
                                     {"q50_without", f.without[i].q50}};
        influence.push_back({{"file", f.file}, {"ess", f.ess}, {"parameters", sd}});
    }
    if (!abc) j["influence"] = influence;
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
        if (p.path.empty()) continue;  // a population's location or spread sets nothing
        if (p.location >= 0) {         // a member: the median of the team's value
            sets.push_back(p.path + "=" + format_number(o.posterior.at(i).q50));
            continue;
        }
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

std::string calibration_table(const study::CalibrationSpec& spec,
                              const study::CalibrationOutcome& o) {
    std::string t;
    char buf[256];
    std::snprintf(buf, sizeof buf, "%-16s %9s %24s %24s\n", "statistic", "observed",
                  "prior 5-95% (mean)", "posterior 5-95% (mean)");
    t += buf;
    for (std::size_t k = 0; k < spec.observations.size(); ++k) {
        const study::Predictive &a = o.prior_predictive.at(k), &b = o.posterior_predictive.at(k);
        char observed[32] = "tracked";
        if (!spec.observations[k].tracked)
            std::snprintf(observed, sizeof observed, "%9.4g", spec.observations[k].value);
        std::snprintf(buf, sizeof buf, "%-16s %9s %7.4g-%-7.4g (%6.3g) %7.4g-%-7.4g (%6.3g)\n",
                      spec.observations[k].name.c_str(), observed, a.q05, a.q95, a.mean, b.q05,
                      b.q95, b.mean);
        t += buf;
    }
    t += "\n";
    std::snprintf(buf, sizeof buf, "%-28s %12s %12s %12s %12s %19s\n", "parameter", "mean", "5%",
                  "50%", "95%", "prior 5-95%");
    t += buf;
    for (std::size_t i = 0; i < o.posterior.size(); ++i) {
        const study::ParameterPosterior& q = o.posterior[i];
        const study::SweepParameter& p = spec.parameters.at(i);
        const double lo = p.location >= 0 ? o.prior.at(i).q05 : study::parameter_value(p, 0.05),
                     hi = p.location >= 0 ? o.prior.at(i).q95 : study::parameter_value(p, 0.95);
        std::snprintf(buf, sizeof buf, "%-28s %12.4g %12.4g %12.4g %12.4g %9.3g-%-9.3g\n",
                      q.name.c_str(), q.mean, q.q05, q.q50, q.q95, lo, hi);
        t += buf;
    }
    return t;
}

std::string sbc_csv(const study::SbcResult& r) {
    const std::vector<std::string> h{"truth", "parameter", "value", "rank", "in50", "in90"};
    std::string out = csv_line(h);
    for (std::size_t t = 0; t < r.ranks.size(); ++t)
        for (std::size_t j = 0; j < r.names.size(); ++j)
            out += csv_row("sbc.csv", h, "truth " + std::to_string(t),
                           {static_cast<double>(t), r.names[j], r.truth[t][j],
                            static_cast<double>(r.ranks[t][j]), r.in50[t][j] ? 1.0 : 0.0,
                            r.in90[t][j] ? 1.0 : 0.0});
    return out;
}

std::string sbc_json(const study::CalibrationSpec& spec, const study::SbcResult& r,
                     std::uint32_t bins, const std::string& version) {
    // The 95% Wilson interval of a share k / n.
    const auto wilson = [](double k, double n) {
        const double z = 1.959964, p = k / n, d = 1 + z * z / n;
        const double c = (p + z * z / (2 * n)) / d,
                     h = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d;
        return nlohmann::ordered_json{{"share", p}, {"lo", c - h}, {"hi", c + h}};
    };
    nlohmann::ordered_json j;
    j["calibration"] = spec.name;
    j["file"] = spec.file;
    j["version"] = version;
    j["truths"] = r.ranks.size();
    j["draws"] = r.draws;
    j["bins"] = bins;
    j["replicates"] = r.replicates;
    nlohmann::ordered_json params = nlohmann::ordered_json::object();
    const double n = static_cast<double>(r.ranks.size());
    for (std::size_t p = 0; p < r.names.size(); ++p) {
        std::vector<int> hist(bins, 0);
        double c50 = 0, c90 = 0;
        for (std::size_t t = 0; t < r.ranks.size(); ++t) {
            ++hist[r.ranks[t][p] / ((r.draws + 1) / bins)];
            c50 += r.in50[t][p] ? 1 : 0;
            c90 += r.in90[t][p] ? 1 : 0;
        }
        params[r.names[p]] = {{"histogram", hist},
                              {"p_uniform", study::sbc_uniformity_p(r, p, bins)},
                              {"coverage50", wilson(study::sbc_rank_coverage(r, p, 0.5) * n, n)},
                              {"coverage90", wilson(study::sbc_rank_coverage(r, p, 0.9) * n, n)},
                              {"interval_coverage50", wilson(c50, n)},
                              {"interval_coverage90", wilson(c90, n)}};
    }
    j["parameters"] = params;
    return json_text(j, "sbc.json");
}

}  // namespace kaisim::io
