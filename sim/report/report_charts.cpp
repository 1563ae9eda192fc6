#include "report_charts.hpp"

#include "kaisim/scenario/csv_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "kaisim/core/error.hpp"
#include "kaisim/scenario/text_file.hpp"

namespace kaisim::io {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

std::string slurp(const fs::path& p) {
    std::optional<std::string> text = read_text_file(p.string());
    if (!text) throw std::runtime_error("cannot read " + p.string());
    return std::move(*text);
}

std::vector<CsvRow> read_csv(const fs::path& p) {
    const std::vector<std::vector<std::string>> lines = csv_records(slurp(p));
    std::vector<CsvRow> rows;
    for (std::size_t l = 1; l < lines.size(); ++l) {
        if (lines[l].empty() || (lines[l].size() == 1 && lines[l][0].empty())) continue;
        CsvRow r;
        for (std::size_t c = 0; c < lines[0].size() && c < lines[l].size(); ++c)
            r[lines[0][c]] = lines[l][c];
        rows.push_back(r);
    }
    return rows;
}

ordered_json cell(const std::string& s) {
    if (s.empty()) return nullptr;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end && *end == '\0' && std::isfinite(v)) return v;
    return s;
}

namespace {
using Row = CsvRow;

double num(const Row& r, const std::string& k) {
    const auto it = r.find(k);
    return it == r.end() || it->second.empty() ? 0.0 : std::strtod(it->second.c_str(), nullptr);
}

std::vector<Chart> run_charts(const fs::path& dir) {
    std::vector<Chart> charts;
    const std::vector<Row> stages = read_csv(dir / "stages.csv");
    const std::vector<Row> timeline = read_csv(dir / "timeline.csv");
    const ordered_json summary = ordered_json::parse(slurp(dir / "summary.json"));
    // Funnel: per stage, teams evaluated and kept, in date order.
    {
        std::vector<std::string> order;
        std::map<std::string, std::pair<int, int>> counts;
        std::map<std::string, std::string> date, kept, cut;
        for (const Row& r : stages) {
            const std::string& s = r.at("stage");
            if (!counts.count(s)) order.push_back(s);
            date[s] = r.at("date");
            ++counts[s].first;
            const std::string& o = r.at("outcome");
            if (o == "advanced" || o == "admitted") {
                ++counts[s].second;
                kept[s] += (kept[s].empty() ? "" : " ") + r.at("team");
            } else {
                cut[s] += (cut[s].empty() ? "" : " ") + r.at("team") +
                          (o == "disqualified" ? " (disqualified)" : "");
            }
        }
        ordered_json rows = ordered_json::array();
        for (std::size_t i = 0; i < order.size(); ++i) {
            const std::string& s = order[i];
            rows.push_back({{"stage", s},
                            {"order", i},
                            {"date", date[s]},
                            {"kind", "evaluated"},
                            {"teams", counts[s].first},
                            {"who", "cut: " + cut[s]}});
            rows.push_back({{"stage", s},
                            {"order", i},
                            {"date", date[s]},
                            {"kind", "kept"},
                            {"teams", counts[s].second},
                            {"who", "kept: " + kept[s]}});
        }
        charts.push_back({"run_funnel.vl.json",
                          {{"funnel", rows}},
                          {"stage", "date", "kind", "teams", "who"},
                          "funnel",
                          {}});
    }
    // GPUs over time, for teams that ever held programme GPUs.
    {
        std::map<std::string, bool> held;
        for (const Row& r : timeline)
            held[r.at("team")] = held[r.at("team")] || num(r, "gpus_programme") > 0;
        ordered_json rows = ordered_json::array(), all = ordered_json::array();
        for (const Row& r : timeline) {
            all.push_back({{"date", r.at("date")},
                           {"team", r.at("team")},
                           {"ability", cell(r.at("ability"))},
                           {"effective_flops", cell(r.at("effective_flops"))}});
            if (held[r.at("team")])
                rows.push_back({{"date", r.at("date")},
                                {"team", r.at("team")},
                                {"gpus_programme", cell(r.at("gpus_programme"))}});
        }
        ordered_json stage_dates = ordered_json::array();
        for (const auto& st : summary.at("stages"))
            stage_dates.push_back({{"stage", st.at("id")}, {"date", st.at("date")}});
        charts.push_back(
            {"run_gpus.vl.json", {{"gpus", rows}}, {"date", "team", "gpus_programme"}, "gpus", {}});
        charts.push_back({"run_ability.vl.json",
                          {{"timeline", all}, {"stages", stage_dates}},
                          {"date", "team", "ability"},
                          "timeline",
                          {}});
        charts.push_back({"run_compute.vl.json",
                          {{"timeline", all}, {"stages", stage_dates}},
                          {"date", "team", "effective_flops"},
                          "timeline",
                          {}});
    }
    // Spend against budgets.
    {
        ordered_json rows = ordered_json::array();
        std::map<std::string, bool> budgeted;
        for (const auto& b : summary.at("budgets")) {
            const std::string cat = b.at("category");
            budgeted[cat] = true;
            rows.push_back({{"label", cat + " " + b.at("from").get<std::string>() + " to " +
                                          b.at("to").get<std::string>()},
                            {"spent_bn_krw", b.at("spent_krw").get<double>() / 1e9},
                            {"budget_bn_krw", b.at("budget_krw").get<double>() / 1e9},
                            {"status", b.at("feasible").get<bool>() ? "fits" : "over"}});
        }
        for (const auto& [cat, krw] : summary.at("spend_krw").items())
            if (cat != "total" && !budgeted[cat])
                rows.push_back({{"label", cat + " (whole programme)"},
                                {"spent_bn_krw", krw.get<double>() / 1e9},
                                {"budget_bn_krw", nullptr},
                                {"status", "no budget"}});
        charts.push_back({"run_spend.vl.json",
                          {{"spend", rows}},
                          {"label", "spent_bn_krw", "budget_bn_krw", "status"},
                          "spend",
                          {}});
    }
    return charts;
}

std::vector<Chart> mc_charts(const fs::path& dir) {
    std::vector<Chart> charts;
    const std::vector<Row> teams = read_csv(dir / "mc_teams.csv");
    const ordered_json summary = ordered_json::parse(slurp(dir / "mc_summary.json"));
    // Stage order: the order of selection metrics in the summary (which follows the scenario).
    std::vector<std::string> ordered;
    for (const auto& [name, m] : summary.at("metrics").items())
        if (name.rfind("selection_correct_", 0) == 0 && name != "selection_correct_all")
            ordered.push_back(name.substr(18));
    ordered_json reach = ordered_json::array(), ability = ordered_json::array();
    for (const Row& r : teams) {
        for (std::size_t i = 0; i < ordered.size(); ++i)
            reach.push_back({{"team", r.at("team")},
                             {"stage", ordered[i]},
                             {"order", i},
                             {"p", cell(r.at("p_reach_" + ordered[i]))},
                             {"p_finalist", cell(r.at("p_finalist"))}});
        reach.push_back({{"team", r.at("team")},
                         {"stage", "finalist"},
                         {"order", ordered.size()},
                         {"p", cell(r.at("p_finalist"))},
                         {"p_finalist", cell(r.at("p_finalist"))}});
        ability.push_back({{"team", r.at("team")},
                           {"mean", cell(r.at("ability_mean"))},
                           {"q025", cell(r.at("ability_q025"))},
                           {"q975", cell(r.at("ability_q975"))}});
    }
    charts.push_back({"mc_reach.vl.json", {{"reach", reach}}, {"team", "stage", "p"}, "reach", {}});
    charts.push_back({"mc_ability.vl.json",
                      {{"ability", ability}},
                      {"team", "mean", "q025", "q975"},
                      "ability",
                      {}});
    ordered_json selection = ordered_json::array();
    std::size_t order = 0;
    for (const auto& [name, m] : summary.at("metrics").items()) {
        if (name.rfind("selection_correct_", 0) != 0) continue;
        selection.push_back({{"stage", name.substr(18)},
                             {"order", name == "selection_correct_all" ? 1000 : order++},
                             {"p", m.at("mean")},
                             {"lo", m.at("ci95")[0]},
                             {"hi", m.at("ci95")[1]}});
    }
    charts.push_back({"mc_selection.vl.json",
                      {{"selection", selection}},
                      {"stage", "p", "lo", "hi"},
                      "selection",
                      {}});
    return charts;
}

std::vector<Chart> compare_charts(const fs::path& dir) {
    ordered_json rows = ordered_json::array();
    for (const Row& r : read_csv(dir / "compare.csv")) {
        const double a = num(r, "mean_a");
        ordered_json row{{"metric", r.at("metric")},
                         {"direction", r.at("direction")},
                         {"diff", cell(r.at("diff"))},
                         {"lo", cell(r.at("diff_lo"))},
                         {"hi", cell(r.at("diff_hi"))},
                         {"p_b_better", cell(r.at("p_b_better"))},
                         {"variance_ratio", cell(r.at("variance_ratio"))}};
        if (a != 0) {
            row["diff_pct"] = 100 * num(r, "diff") / std::abs(a);
            row["lo_pct"] = 100 * num(r, "diff_lo") / std::abs(a);
            row["hi_pct"] = 100 * num(r, "diff_hi") / std::abs(a);
        }
        rows.push_back(row);
    }
    return {{"compare_forest.vl.json",
             {{"forest", rows}},
             {"metric", "diff", "lo", "hi", "p_b_better", "variance_ratio"},
             "forest",
             {}}};
}

std::vector<Chart> sweep_charts(const fs::path& dir, bool has_sensitivity, bool has_points,
                                std::vector<std::string>& notes) {
    std::vector<Chart> charts;
    // Grid, random and LHS sweeps have no sensitivity table: their chart is the first metric
    // against the first parameter.
    const std::vector<Row> sens =
        has_sensitivity ? read_csv(dir / "sensitivity.csv") : std::vector<Row>{};
    ordered_json indices = ordered_json::array();
    std::string first_metric, best_param;
    double best_st = -1;
    for (const Row& r : sens) {
        if (r.at("index") == "inert")
            notes.push_back("Warning: parameter " + r.at("parameter") +
                            " is inert: over its whole range no metric changed. Does its path "
                            "set what its name says?");
        if (r.at("index") == "variance")
            notes.push_back("Total variance of " + r.at("metric") +
                            " over the sweep: " + r.at("value") +
                            " (the Sobol' indices are shares of it; shares of almost nothing "
                            "say little).");
        if (r.at("index") != "S1" && r.at("index") != "ST" && r.at("index") != "mu_star") continue;
        indices.push_back({{"metric", r.at("metric")},
                           {"parameter", r.at("parameter")},
                           {"index", r.at("index")},
                           {"value", cell(r.at("value"))},
                           {"lo", cell(r.at("lo"))},
                           {"hi", cell(r.at("hi"))}});
        if (first_metric.empty()) first_metric = r.at("metric");
        if (r.at("metric") == first_metric &&
            (r.at("index") == "ST" || r.at("index") == "mu_star") && num(r, "value") > best_st) {
            best_st = num(r, "value");
            best_param = r.at("parameter");
        }
    }
    if (!indices.empty())
        charts.push_back({"sweep_indices.vl.json",
                          {{"indices", indices}},
                          {"metric", "parameter", "index", "value", "lo", "hi"},
                          "indices",
                          {}});
    if (has_points && best_param.empty()) {
        // No indices: the columns of sweep.csv are point, the parameters, then the metrics.
        std::ifstream in(dir / "sweep.csv");
        std::string header;
        std::getline(in, header);
        std::vector<std::string> cols;
        for (std::stringstream h(header); std::getline(h, header, ',');) cols.push_back(header);
        if (cols.size() >= 3) {
            best_param = cols[1];
            first_metric = cols.back();
        }
    }
    if (has_points && !best_param.empty()) {
        ordered_json outcome = ordered_json::array();
        for (const Row& r : read_csv(dir / "sweep.csv"))
            outcome.push_back({{"point", cell(r.at("point"))},
                               {"x", cell(r.at(best_param))},
                               {"y", cell(r.at(first_metric))}});
        charts.push_back({"sweep_outcome.vl.json",
                          {{"outcome", outcome}},
                          {"point", "x", "y"},
                          "outcome",
                          [=](ordered_json& spec) {
                              spec["encoding"]["x"]["title"] = best_param;
                              spec["encoding"]["y"]["title"] = first_metric;
                          }});
    }
    return charts;
}
}  // namespace

// The charts of an output folder, by the kind its manifest names; `kind` is its name.
std::vector<Chart> folder_charts(const fs::path& dir, const OutputManifest& m, std::string& kind,
                                 std::vector<std::string>& notes) {
    const auto listed = [&](const char* name) {
        return std::any_of(m.files.begin(), m.files.end(),
                           [&](const ManifestFile& f) { return f.name == name && !f.derived; });
    };
    const auto need = [&](std::initializer_list<const char*> names) {
        for (const char* name : names)
            if (!listed(name))
                throw InputError((dir / manifest_name).string(), 1, 1,
                                 "the " + m.kind + " output set of " + dir.string() +
                                     " does not list " + name + ", which its report needs");
    };
    if (m.kind == "run") {
        kind = "run";
        need({"summary.json", "stages.csv", "timeline.csv"});
        return run_charts(dir);
    }
    if (m.kind == "monte_carlo") {
        kind = "Monte Carlo";
        need({"mc_teams.csv", "mc_summary.json"});
        return mc_charts(dir);
    }
    if (m.kind == "compare") {
        kind = "comparison";
        need({"compare.csv"});
        return compare_charts(dir);
    }
    if (m.kind == "sweep") {
        kind = "sweep";
        if (!listed("sensitivity.csv") && !listed("sweep.csv"))
            throw InputError((dir / manifest_name).string(), 1, 1,
                             "the sweep in " + dir.string() +
                                 " exported neither sweep.csv nor sensitivity.csv (--export "
                                 "none, and a design without indices): nothing to report");
        return sweep_charts(dir, listed("sensitivity.csv"), listed("sweep.csv"), notes);
    }
    if (m.kind == "calibration") {
        kind = "calibration";
        need({"calibration.json"});
        return calibration_charts(dir, notes);
    }
    if (m.kind == "discover") {
        kind = "scenario discovery";
        need({"prim_boxes.csv", "prim_trajectory.csv"});
        return discover_charts(dir, notes);
    }
    if (m.kind == "optimise") {
        kind = "policy search";
        need({"pareto.csv", "convergence.csv", "optimise.json"});
        return optimise_charts(dir, notes);
    }
    throw InputError((dir / manifest_name).string(), 1, 1,
                     "unknown kind of output set '" + m.kind + "' (from a newer kaisim?)");
}
}  // namespace kaisim::io
