#include "kaisim/output/mc_outputs.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "kaisim/output/run_outputs.hpp"

namespace kaisim::io {

namespace {
// Mean, its 95% CI, and the central 95% of the values.
void add_stats(std::vector<CsvCell>& f, const core::RunningStats& s) {
    const core::Interval ci = s.mean_ci(), spread = s.spread();
    for (double v : {s.mean(), ci.lo, ci.hi, spread.lo, spread.hi}) f.emplace_back(v);
}

nlohmann::ordered_json stats_json(const core::RunningStats& s, bool probability) {
    const core::Interval ci = probability
                                  ? core::wilson_interval(s.mean() * static_cast<double>(s.n()),
                                                          static_cast<double>(s.n()))
                                  : s.mean_ci();
    const core::Interval spread = s.spread();
    return {{"mean", s.mean()},  {"sd", s.sd()},         {"ci95", {ci.lo, ci.hi}},
            {"q025", spread.lo}, {"median", s.median()}, {"q975", spread.hi}};
}

// A variance ratio is +infinity, by its definition, when pairing removes all the variance: the
// outputs leave it out (an empty cell, no key) rather than write a number that is not one.
bool unbounded(double ratio) {
    return std::isinf(ratio) && ratio > 0;
}

const char* direction_name(run::Direction d) {
    return d == run::Direction::higher ? "higher" : d == run::Direction::lower ? "lower" : "none";
}
}  // namespace

std::string mc_teams_csv(const model::Scenario& sc, const run::McResult& mc) {
    std::vector<std::string> h{"team", "name"};
    for (const auto& st : sc.stages) h.push_back("p_reach_" + st.id);
    for (const auto& st : sc.stages) h.push_back("p_kept_" + st.id);
    for (const char* c : {"p_finalist", "p_finalist_lo", "p_finalist_hi"}) h.push_back(c);
    for (const char* m : {"ability", "flops", "krw"})
        for (const char* s : {"_mean", "_mean_lo", "_mean_hi", "_q025", "_q975"})
            h.push_back(std::string(m) + s);
    std::string out = csv_line(h);
    const double n = static_cast<double>(mc.replicates);
    for (std::size_t i = 0; i < mc.teams.size(); ++i) {
        const run::McTeam& t = mc.teams[i];
        std::vector<CsvCell> f{sc.teams[i].id, sc.teams[i].name};
        for (auto c : t.reached) f.emplace_back(n > 0 ? c / n : 0.0);
        for (auto c : t.kept) f.emplace_back(n > 0 ? c / n : 0.0);
        const core::Interval w = core::wilson_interval(static_cast<double>(t.finalist), n);
        for (double v : {n > 0 ? t.finalist / n : 0.0, w.lo, w.hi}) f.emplace_back(v);
        add_stats(f, t.ability);
        add_stats(f, t.flops);
        add_stats(f, t.krw);
        out += csv_row("mc_teams.csv", h, "team " + sc.teams[i].id, f);
    }
    return out;
}

std::string mc_fields_csv(const model::Scenario& sc, const run::McResult& mc) {
    const std::vector<std::string> h{"stage", "teams",    "size",    "replicates",
                                     "share", "share_lo", "share_hi"};
    std::string out = csv_line(h);
    const double n = static_cast<double>(mc.replicates);
    const auto row = [&](const std::string& stage, const std::string& teams, std::size_t size,
                         std::uint64_t count) {
        const core::Interval w = core::wilson_interval(static_cast<double>(count), n);
        out += csv_row("mc_fields.csv", h, "stage " + stage + ", field " + teams,
                       {stage, teams, static_cast<double>(size), static_cast<double>(count),
                        n > 0 ? count / n : 0.0, w.lo, w.hi});
    };
    for (std::size_t s = 0; s < mc.fields.size(); ++s) {
        const run::McFields& f = mc.fields[s];
        const std::string& stage = sc.stages[s].id;
        std::vector<std::pair<const std::vector<int>*, std::uint64_t>> sets;
        for (const auto& [teams, count] : f.count) sets.emplace_back(&teams, count);
        // Most frequent first; equal counts in the map's order (by team index), so the order
        // is a function of the counts alone.
        std::stable_sort(sets.begin(), sets.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        for (const auto& [teams, count] : sets) {
            std::string ids;
            for (int i : *teams) ids += (ids.empty() ? "" : " ") + sc.teams[i].id;
            row(stage, ids.empty() ? "(none)" : ids, teams->size(), count);
        }
        if (f.other > 0) row(stage, "(other fields)", 0, f.other);
        for (std::size_t k = 0; k < f.size.size(); ++k)
            if (f.size[k] > 0)
                row(stage, "(any " + std::to_string(k) + (k == 1 ? " team)" : " teams)"), k,
                    f.size[k]);
    }
    return out;
}

std::string mc_summary_json(const model::Scenario& sc, const run::McResult& mc,
                            const std::string& version) {
    nlohmann::ordered_json j;
    j["scenario"] = sc.name;
    j["file"] = sc.source;
    j["seed"] = sc.seed;
    j["replicates"] = mc.replicates;
    j["simulated"] = mc.simulated;  // more than replicates when only some were kept (--given)
    j["version"] = version;
    nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
    for (std::size_t m = 0; m < mc.specs.size(); ++m) {
        nlohmann::ordered_json e = stats_json(mc.metrics[m], mc.specs[m].probability);
        e["meaning"] = mc.specs[m].meaning;
        e["probability"] = mc.specs[m].probability;
        metrics[mc.specs[m].name] = e;
    }
    j["metrics"] = metrics;
    return json_text(j, "mc_summary.json");
}

std::vector<std::string> replicates_csv_columns(const run::McResult& mc) {
    std::vector<std::string> h{"replicate"};
    for (const auto& s : mc.specs) h.push_back(s.name);
    return h;
}

std::string replicates_csv_header(const run::McResult& mc) {
    return csv_line(replicates_csv_columns(mc));
}

std::string replicates_csv_row(const std::vector<std::string>& columns, std::uint32_t replicate,
                               const std::vector<double>& values) {
    std::vector<CsvCell> f{replicate};
    f.insert(f.end(), values.begin(), values.end());
    return csv_row("replicates.csv", columns, "replicate " + std::to_string(replicate), f);
}

std::string mc_table(const model::Scenario& sc, const run::McResult& mc) {
    std::ostringstream o;
    char buf[256];
    o << sc.name << " (seed " << sc.seed << ", " << mc.replicates << " replicates)\n\n";
    std::snprintf(buf, sizeof buf, "%-16s %-12s %-22s %s\n", "team", "P(finalist)", "95% interval",
                  "final ability (mean)");
    o << buf;
    const double n = static_cast<double>(mc.replicates);
    for (std::size_t i = 0; i < mc.teams.size(); ++i) {
        const run::McTeam& t = mc.teams[i];
        const core::Interval w = core::wilson_interval(static_cast<double>(t.finalist), n);
        std::snprintf(buf, sizeof buf, "%-16s %-12.3f [%.3f, %.3f]         %.3f\n",
                      sc.teams[i].id.c_str(), n > 0 ? t.finalist / n : 0.0, w.lo, w.hi,
                      t.ability.mean());
        o << buf;
    }
    o << "\n";
    for (std::size_t m = 0; m < mc.specs.size(); ++m) {
        const core::RunningStats& s = mc.metrics[m];
        const core::Interval ci =
            mc.specs[m].probability ? core::wilson_interval(s.mean() * n, n) : s.mean_ci();
        const std::string& name = mc.specs[m].name;
        std::snprintf(buf, sizeof buf, "%-36s %14s  [%s, %s]\n", name.c_str(),
                      human_value(name, s.mean()).c_str(), human_value(name, ci.lo).c_str(),
                      human_value(name, ci.hi).c_str());
        o << buf;
    }
    return o.str();
}

std::string compare_csv(const run::ComparisonResult& c) {
    const std::vector<std::string> h{"metric",      "direction",  "mean_a",        "mean_b",
                                     "diff",        "diff_lo",    "diff_hi",       "unpaired_lo",
                                     "unpaired_hi", "p_b_better", "variance_ratio"};
    std::string out = csv_line(h);
    for (const run::MetricComparison& m : c.metrics) {
        const core::Interval ci = m.diff.mean_ci(), un = m.unpaired_ci();
        out += csv_row("compare.csv", h, "metric " + m.spec.name,
                       {m.spec.name, direction_name(m.spec.direction), m.a.mean(), m.b.mean(),
                        m.diff.mean(), ci.lo, ci.hi, un.lo, un.hi, m.p_b_better(),
                        unbounded(m.variance_ratio()) ? CsvCell("") : CsvCell(m.variance_ratio())});
    }
    return out;
}

std::string compare_json(const std::string& a, const std::string& b, std::uint32_t seed,
                         const run::ComparisonResult& c, const std::string& version) {
    nlohmann::ordered_json j;
    j["a"] = a;
    j["b"] = b;
    j["seed"] = seed;
    j["replicates"] = c.replicates;
    j["version"] = version;
    j["pairing"] = "common random numbers: both arms run replicates 0..R-1 of the same seed";
    nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
    for (const run::MetricComparison& m : c.metrics) {
        const core::Interval ci = m.diff.mean_ci(), un = m.unpaired_ci();
        metrics[m.spec.name] = {{"meaning", m.spec.meaning},
                                {"better", direction_name(m.spec.direction)},
                                {"mean_a", m.a.mean()},
                                {"mean_b", m.b.mean()},
                                {"diff", m.diff.mean()},
                                {"diff_ci95", {ci.lo, ci.hi}},
                                {"unpaired_ci95", {un.lo, un.hi}},
                                {"p_b_better", m.p_b_better()},
                                {"variance_ratio", m.variance_ratio()}};
        if (unbounded(m.variance_ratio())) metrics[m.spec.name].erase("variance_ratio");
    }
    j["metrics"] = metrics;
    return json_text(j, "compare.json");
}

std::string compare_table(const run::ComparisonResult& c) {
    std::ostringstream o;
    char buf[320];
    o << "B - A over " << c.replicates << " paired replicates (common random numbers)\n\n";
    std::snprintf(buf, sizeof buf, "%-34s %13s %13s  %-35s %9s %9s\n", "metric", "A", "B",
                  "B - A [95% interval]", "P(B bet.)", "var.ratio");
    o << buf;
    for (const run::MetricComparison& m : c.metrics) {
        const core::Interval ci = m.diff.mean_ci();
        char diff[96];
        const std::string& name = m.spec.name;
        std::snprintf(diff, sizeof diff, "%s [%s, %s]", human_value(name, m.diff.mean()).c_str(),
                      human_value(name, ci.lo).c_str(), human_value(name, ci.hi).c_str());
        std::snprintf(buf, sizeof buf, "%-34s %13s %13s  %-35s %9.3f %9.3g\n", name.c_str(),
                      human_value(name, m.a.mean()).c_str(), human_value(name, m.b.mean()).c_str(),
                      diff, m.p_b_better(), m.variance_ratio());
        o << buf;
    }
    o << "\nvar.ratio: how many times the variance of an unpaired comparison exceeds the paired "
         "one\n";
    return o.str();
}

}  // namespace kaisim::io
