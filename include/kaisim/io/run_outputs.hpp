#pragma once
#include <string>
#include <vector>

#include "kaisim/model/scenario.hpp"
#include "kaisim/policy/consortium_graph.hpp"
#include "kaisim/programme/result.hpp"
#include "kaisim/run/replicate.hpp"

namespace kaisim::io {

/// UTF-8 byte-order mark written at the start of CSV files: spreadsheet programs need it to read
/// Korean names as UTF-8.
inline constexpr const char* utf8_bom = "\xEF\xBB\xBF";
/// Text of a CSV field: quoted when it holds a comma, quote or line break.
std::string csv_field(const std::string& s);
/// One CSV line (fields joined by commas, each quoted as needed, ending in a newline).
std::string csv_line(const std::vector<std::string>& fields);
/// A number as written in CSV and JSON outputs (shortest round-trip precision is not needed:
/// 10 significant digits, so outputs stay stable and readable).
std::string format_number(double v);

/// `stages.csv`: stage, date, team, name, score, rank, outcome, one column per component.
std::string stages_csv(const model::Scenario& sc, const programme::Result& r);
/// `teams.csv`: one line per team with its GPU-hours, compute, model, ability and spend.
std::string teams_csv(const model::Scenario& sc, const programme::Result& r);
/// `timeline.csv`: every team, monthly and at each stage date.
std::string timeline_csv(const model::Scenario& sc, const programme::Result& r);
/// `summary.json`: survivors, finalists, selection accuracy, spend against budgets, GPU use.
std::string summary_json(const model::Scenario& sc, const programme::Result& r,
                         const std::string& version);
/// `consortia.csv`: one line per (partner, member team): the partner's degree, all its teams,
/// and the raw data the consortium split assigned to that team.
std::string consortia_csv(const model::Scenario& sc, const policy::ConsortiumSplit& split);
/// A short human-readable table of the run.
std::string run_table(const model::Scenario& sc, const programme::Result& r);

/// Writes the run outputs (summary.json, teams.csv, stages.csv, timeline.csv, consortia.csv)
/// into `dir` (created if needed), all-or-nothing.
void write_run_outputs(const std::string& dir, const programme::PreparedScenario& prepared,
                       const programme::Result& r, const std::string& version);

}  // namespace kaisim::io
