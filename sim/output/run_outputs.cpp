#include "kaisim/output/run_outputs.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "kaisim/output/atomic_output.hpp"

namespace kaisim::io {

namespace {
std::string date_of(const model::Scenario& sc, double t_h) {
    return core::format_date(sc.calendar().date_at(t_h));
}

// Component ids of all stages, in order of first appearance (one stages.csv column each).
std::vector<std::string> component_columns(const model::Scenario& sc) {
    std::vector<std::string> cols;
    for (const auto& st : sc.stages)
        for (const auto& c : st.components)
            if (std::find(cols.begin(), cols.end(), c.id) == cols.end()) cols.push_back(c.id);
    return cols;
}

std::string billions(double krw) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f bn", krw / 1e9);
    return buf;
}

std::string percent(double part, double whole) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", whole > 0 ? 100.0 * part / whole : 0.0);
    return buf;
}
}  // namespace

namespace {
// A plain decimal number: [+-] digits [. digits] [e [+-] digits], at least one digit.
bool plain_decimal(const std::string& s) {
    std::size_t i = s[0] == '+' || s[0] == '-' ? 1 : 0, digits = 0;
    for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) ++digits;
    if (i < s.size() && s[i] == '.')
        for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) ++digits;
    if (digits == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        i += i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-') ? 2 : 1;
        const std::size_t start = i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        if (i == start) return false;
    }
    return i == s.size();
}

// Column names from "a,b,c".
std::vector<std::string> columns(const std::string& names) {
    std::vector<std::string> out;
    std::istringstream in(names);
    for (std::string name; std::getline(in, name, ',');) out.push_back(name);
    return out;
}

std::string quoted(const std::string& s) {
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

[[noreturn]] void not_finite(const std::string& file, const std::string& where, double v) {
    throw std::runtime_error(file + ": " + where + " is not finite (" +
                             (std::isnan(v) ? "nan"
                              : v > 0       ? "inf"
                                            : "-inf") +
                             "): refusing to write it");
}

// Throws for the first non-finite number in `j`; `at` is the key path so far.
void check_finite(const nlohmann::ordered_json& j, const std::string& file, const std::string& at) {
    if (j.is_number_float() && !std::isfinite(j.get<double>()))
        not_finite(file, at.empty() ? "the value" : at, j.get<double>());
    if (j.is_object())
        for (const auto& [k, v] : j.items()) check_finite(v, file, at.empty() ? k : at + "." + k);
    if (j.is_array())
        for (std::size_t i = 0; i < j.size(); ++i)
            check_finite(j[i], file, at + "[" + std::to_string(i) + "]");
}
}  // namespace

std::string csv_field(const std::string& s) {
    if (!s.empty() && std::string_view("=+-@\t\r'").find(s[0]) != std::string_view::npos &&
        !plain_decimal(s))
        return quoted("'" + s);
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    return quoted(s);
}

std::string csv_line(const std::vector<std::string>& fields) {
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) line += ',';
        line += csv_field(fields[i]);
    }
    line += '\n';
    return line;
}

std::string format_number(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

std::string human_value(const std::string& metric, double v) {
    char buf[64];
    const auto ends_with = [&](const char* tail) {
        const std::string t(tail);
        return metric.size() >= t.size() &&
               metric.compare(metric.size() - t.size(), t.size(), t) == 0;
    };
    if (ends_with("_krw")) {
        std::snprintf(buf, sizeof buf, "%.1f bn KRW", v / 1e9);
    } else if (metric.find("gpu_hours") != std::string::npos && metric.rfind("gini_", 0) != 0) {
        const double a = std::fabs(v);
        if (a >= 1e6)
            std::snprintf(buf, sizeof buf, "%.1f M GPU-h", v / 1e6);
        else if (a >= 1e3)
            std::snprintf(buf, sizeof buf, "%.1f k GPU-h", v / 1e3);
        else
            std::snprintf(buf, sizeof buf, "%.0f GPU-h", v);
    } else {
        std::snprintf(buf, sizeof buf, "%.4g", v);
    }
    return buf;
}

std::string csv_row(const std::string& file, const std::vector<std::string>& header,
                    const std::string& row, const std::vector<CsvCell>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const CsvCell& c = cells[i];
        if (i) line += ',';
        if (!c.number) {
            line += csv_field(c.text);
        } else if (c.integral) {
            line += c.text;
        } else {
            if (!std::isfinite(c.value))
                not_finite(file, row + ", column " + (i < header.size() ? header[i] : "?"),
                           c.value);
            line += format_number(c.value);
        }
    }
    line += '\n';
    return line;
}

std::string json_text(const nlohmann::ordered_json& j, const std::string& file) {
    check_finite(j, file, "");
    return j.dump(2) + "\n";
}

std::string stages_csv(const model::Scenario& sc, const programme::Result& r) {
    const std::vector<std::string> cols = component_columns(sc);
    std::vector<std::string> header{"stage", "date", "team", "name", "score", "rank", "outcome"};
    header.insert(header.end(), cols.begin(), cols.end());
    header.push_back("true_ability");
    std::string out = csv_line(header);
    for (const programme::StageRecord& rec : r.stages) {
        const model::Stage& st = sc.stages[rec.stage];
        for (std::size_t k = 0; k < rec.rows.size(); ++k) {
            const programme::StageTeamRow& row = rec.rows[k];
            const model::Team& team = sc.teams[row.team];
            std::vector<CsvCell> f{st.id,
                                   date_of(sc, st.t_h),
                                   team.id,
                                   team.name,
                                   row.total,
                                   row.rank,
                                   eval::outcome_name(row.outcome)};
            for (const std::string& col : cols) {
                CsvCell cell("");
                for (std::size_t c = 0; c < st.components.size(); ++c)
                    if (st.components[c].id == col) cell = CsvCell(rec.points_of(k)[c]);
                f.push_back(cell);
            }
            f.push_back(row.true_ability);
            out += csv_row("stages.csv", header, "stage " + st.id + ", team " + team.id, f);
        }
    }
    return out;
}

std::string teams_csv(const model::Scenario& sc, const programme::Result& r) {
    const std::vector<std::string> header = columns(
        "team,name,status,last_stage,gpu_hours_allocated,gpu_hours_productive,gpu_hours_lost,"
        "gpu_hours_unmet,own_gpu_hours,own_gpu_hours_lost,flops,effective_flops,params,tokens,"
        "ability,"
        "researchers_hired,failures,krw_gpu,krw_data,krw_talent");
    std::string out = csv_line(header);
    for (std::size_t i = 0; i < r.teams.size(); ++i) {
        const programme::TeamRecord& t = r.teams[i];
        out += csv_row("teams.csv", header, "team " + sc.teams[i].id,
                       {sc.teams[i].id,
                        sc.teams[i].name,
                        programme::status_name(t.status),
                        t.last_stage >= 0 ? sc.stages[t.last_stage].id : "",
                        t.gpu_h_allocated,
                        t.gpu_h_productive,
                        t.gpu_h_lost,
                        t.gpu_h_unmet,
                        t.own_gpu_h,
                        t.own_gpu_h_lost,
                        t.end.flops,
                        t.end.effective_flops,
                        t.end.params,
                        t.end.tokens,
                        t.end.ability,
                        t.end.researchers_hired,
                        t.failures,
                        t.krw[0],
                        t.krw[1],
                        t.krw[2]});
    }
    return out;
}

std::string timeline_csv(const model::Scenario& sc, const programme::Result& r) {
    const std::vector<std::string> header = columns(
        "date,t_h,team,in_race,funded,gpus_programme,gpus_own,gpus_unmet,gpu_hours_unmet,flops,"
        "effective_flops,params,tokens,ability,researchers_hired");
    std::string out = csv_line(header);
    for (const programme::TimelineRow& row : r.timeline) {
        const std::string date = date_of(sc, row.t_h), id = sc.teams[row.team].id;
        out += csv_row(
            "timeline.csv", header, "team " + id + " on " + date,
            {date, row.t_h, id, row.in_race ? 1 : 0, row.funded ? 1 : 0, row.gpus_programme,
             row.gpus_own, row.gpus_unmet, row.gpu_h_unmet, row.now.flops, row.now.effective_flops,
             row.now.params, row.now.tokens, row.now.ability, row.now.researchers_hired});
    }
    return out;
}

std::string consortia_csv(const model::Scenario& sc, const policy::ConsortiumSplit& split) {
    const std::vector<std::string> header =
        columns("partner,partner_name,degree,teams,team,raw_tokens,assigned_tokens");
    std::string out = csv_line(header);
    for (std::size_t p = 0; p < sc.partners.size(); ++p) {
        std::vector<std::size_t> members;
        std::string ids;
        for (std::size_t t = 0; t < sc.teams.size(); ++t)
            if (std::find(sc.teams[t].partners.begin(), sc.teams[t].partners.end(),
                          static_cast<int>(p)) != sc.teams[t].partners.end()) {
                if (!members.empty()) ids += ';';
                ids += sc.teams[t].id;
                members.push_back(t);
            }
        const auto& raw = sc.partners[p].raw_tokens;
        const double raw_total = std::accumulate(raw.begin(), raw.end(), 0.0);
        for (std::size_t t : members) {
            const auto& got = split.tokens[p][t];
            out +=
                csv_row("consortia.csv", header,
                        "partner " + sc.partners[p].id + ", team " + sc.teams[t].id,
                        {sc.partners[p].id, sc.partners[p].name, split.degree[p], ids,
                         sc.teams[t].id, raw_total, std::accumulate(got.begin(), got.end(), 0.0)});
        }
    }
    return out;
}

std::string summary_json(const model::Scenario& sc, const programme::Result& r,
                         const std::string& version) {
    using nlohmann::ordered_json;
    ordered_json j;
    j["scenario"] = sc.name;
    j["file"] = sc.source;
    j["seed"] = r.seed;
    j["replicate"] = r.replicate;
    j["version"] = version;
    j["start"] = core::format_date(sc.start);
    j["end"] = date_of(sc, sc.end_h);
    ordered_json survivors = ordered_json::array(), stages = ordered_json::array();
    ordered_json per_stage = ordered_json::object();
    for (const programme::StageRecord& rec : r.stages) {
        const model::Stage& st = sc.stages[rec.stage];
        ordered_json s;
        s["id"] = st.id;
        s["name"] = st.name;
        s["date"] = date_of(sc, st.t_h);
        s["eligible"] = rec.rows.size();
        ordered_json kept = ordered_json::array(), cut = ordered_json::array(),
                     dq = ordered_json::array();
        for (const auto& row : rec.rows) {
            const std::string& id = sc.teams[row.team].id;
            if (row.outcome == eval::Outcome::advanced || row.outcome == eval::Outcome::admitted)
                kept.push_back(id);
            else if (row.outcome == eval::Outcome::disqualified)
                dq.push_back(id);
            else
                cut.push_back(id);
        }
        survivors.push_back(kept.size());
        s["wildcard"] = st.wildcard;
        s[st.wildcard ? "admitted" : "kept"] = kept;
        s["eliminated"] = cut;
        s["disqualified"] = dq;
        s["selection_correct"] = rec.selection_correct;
        s["frontier_ability"] = rec.theta_frontier;
        stages.push_back(s);
        per_stage[st.id] = rec.selection_correct;
    }
    j["survivors_per_stage"] = survivors;
    j["stages"] = stages;
    ordered_json finalists = ordered_json::array();
    for (int t : r.finalists) finalists.push_back(sc.teams[t].id);
    j["finalists"] = finalists;
    j["selection_accuracy"] = {{"per_stage", per_stage}, {"all_stages", r.all_stages_correct}};
    ordered_json spend;
    double total = 0;
    for (int c = 0; c < model::category_count; ++c) {
        spend[model::category_name(static_cast<model::Category>(c))] = r.spend_krw[c];
        total += r.spend_krw[c];
    }
    spend["total"] = total;
    j["spend_krw"] = spend;
    ordered_json budgets = ordered_json::array();
    bool feasible = true;
    for (std::size_t k = 0; k < r.budgets.size(); ++k) {
        const model::BudgetCheck& b = r.budgets[k];
        budgets.push_back({{"category", model::category_name(b.budget.category)},
                           {"from", date_of(sc, b.budget.from_h)},
                           {"to", date_of(sc, b.budget.last_day_h)},
                           {"budget_krw", b.budget.krw},
                           {"spent_krw", b.spent_krw},
                           {"feasible", b.feasible},
                           {"over_krw", b.over_krw},
                           {"scale_applied", r.budget_scale.at(k)}});
        feasible = feasible && b.feasible;
    }
    j["budget_mode"] = sc.policy.budget_mode == model::BudgetMode::cap ? "cap" : "report";
    j["budgets"] = budgets;
    j["feasible"] = feasible;
    double unmet = 0;
    for (const programme::TeamRecord& t : r.teams) unmet += t.gpu_h_unmet;
    const programme::PoolUsage& p = r.pool;
    j["gpu_utilisation"] = {
        {"pool_gpu_hours", p.capacity_gpu_h},
        {"allocated_gpu_hours", p.allocated_gpu_h},
        {"productive_gpu_hours", p.productive_gpu_h},
        {"lost_gpu_hours", p.lost_gpu_h},
        {"idle_gpu_hours", p.idle_gpu_h},
        {"unmet_quota_gpu_hours", unmet},
        {"allocated_share", p.capacity_gpu_h > 0 ? p.allocated_gpu_h / p.capacity_gpu_h : 0.0},
        {"productive_share_of_allocated",
         p.allocated_gpu_h > 0 ? p.productive_gpu_h / p.allocated_gpu_h : 0.0}};
    return json_text(j, "summary.json");
}

std::string run_table(const model::Scenario& sc, const programme::Result& r) {
    std::ostringstream o;
    char buf[512];
    o << sc.name << " (seed " << r.seed << ")\n\n";
    std::snprintf(buf, sizeof buf, "%-22s %-10s %8s %5s  %s\n", "stage", "date", "eligible", "kept",
                  "kept teams");
    o << buf;
    for (const programme::StageRecord& rec : r.stages) {
        const model::Stage& st = sc.stages[rec.stage];
        std::string names, dq;
        int kept = 0;
        for (const auto& row : rec.rows)
            if (row.outcome == eval::Outcome::advanced || row.outcome == eval::Outcome::admitted) {
                if (kept++) names += ", ";
                names += sc.teams[row.team].id;
            } else if (row.outcome == eval::Outcome::disqualified) {
                dq += " " + sc.teams[row.team].id;
            }
        if (st.wildcard && kept == 0)
            names = rec.places == 0 ? "admitted: none (the field was full)"
                                    : "admitted: none (no applicant qualified)";
        else if (st.wildcard)
            names = "admitted: " + names;
        if (!dq.empty()) names += "  (disqualified:" + dq + ")";
        std::snprintf(buf, sizeof buf, "%-22s %-10s %8zu %5d  %s%s\n", st.id.c_str(),
                      date_of(sc, st.t_h).c_str(), rec.rows.size(), kept, names.c_str(),
                      rec.selection_correct ? "" : "  (not the truly strongest)");
        o << buf;
    }
    o << "\nfinalists:";
    for (int t : r.finalists) o << " " << sc.teams[t].name << " (" << sc.teams[t].id << ")";
    o << "\n\nspend: GPU " << billions(r.spend_krw[0]) << ", data " << billions(r.spend_krw[1])
      << ", talent " << billions(r.spend_krw[2]) << " KRW\n";
    for (const model::BudgetCheck& b : r.budgets)
        o << "budget " << model::category_name(b.budget.category) << " "
          << date_of(sc, b.budget.from_h) << " to "
          << date_of(sc, b.budget.to_h - core::hours_per_day) << ": spent " << billions(b.spent_krw)
          << " of " << billions(b.budget.krw) << " KRW, "
          << (b.feasible ? "fits" : "OVER by " + billions(b.over_krw) + " KRW")
          << (r.budget_scale.at(&b - r.budgets.data()) < 1 ? " (quotas and money capped)" : "")
          << "\n";
    const programme::PoolUsage& p = r.pool;
    o << "GPU pool: " << human_value("gpu_hours", p.capacity_gpu_h) << ", "
      << percent(p.allocated_gpu_h, p.capacity_gpu_h) << " allocated; of that "
      << percent(p.productive_gpu_h, p.allocated_gpu_h) << " productive, "
      << percent(p.lost_gpu_h, p.allocated_gpu_h) << " lost to failures\n";
    return o.str();
}

void write_run_outputs(const std::string& dir, const programme::PreparedScenario& prepared,
                       const programme::Result& r, const std::string& version) {
    const model::Scenario& sc = *prepared.scenario;
    AtomicOutputs out(dir, "run");
    const std::filesystem::path d(dir);
    out.add((d / "summary.json").string(), summary_json(sc, r, version));
    out.add((d / "teams.csv").string(), teams_csv(sc, r));
    out.add((d / "stages.csv").string(), stages_csv(sc, r));
    out.add((d / "timeline.csv").string(), timeline_csv(sc, r));
    out.add((d / "consortia.csv").string(), consortia_csv(sc, prepared.consortia));
    out.commit();
}

}  // namespace kaisim::io
