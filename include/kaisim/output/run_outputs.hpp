#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "kaisim/model/scenario.hpp"
#include "kaisim/policy/consortium_graph.hpp"
#include "kaisim/programme/result.hpp"
#include "kaisim/run/replicate.hpp"

namespace kaisim::io {

/// Text of a CSV text cell, neutralised against formula injection (OWASP "CSV Injection"): a
/// cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return (or with `'`, so that
/// the rule can be undone) gets a single quote `'` in front and is quoted; a cell that is a
/// plain decimal number (e.g. `-0.5`, `+3`, `1e-9`: sign, digits, one point, exponent) is a
/// number, not a formula, and stays as it is. Other cells are quoted when they hold a comma,
/// quote or line break. Readers undo the rule by dropping the `'` that starts a quoted cell.
std::string csv_field(const std::string& s);
/// One CSV line of text cells (each as csv_field writes it), ending in a newline.
std::string csv_line(const std::vector<std::string>& fields);
/// A number as written in CSV and JSON outputs (shortest round-trip precision is not needed:
/// 10 significant digits, so outputs stay stable and readable). Unchecked: for tables only.
std::string format_number(double v);

/// A metric's value as a person reads it in the terminal: money (a name ending in `_krw`) as
/// "285.1 bn KRW", GPU-hours (a name with `gpu_hours`, not a `gini_` coefficient) as
/// "11.2 M GPU-h", other values to four
/// significant digits. Files keep full precision (format_number).
std::string human_value(const std::string& metric, double v);

/// One cell of a CSV row: text (csv_field), or a number, written as format_number does and
/// never neutralised, which csv_row refuses when it is not finite.
struct CsvCell {
    /// A text cell.
    CsvCell(std::string text) : text(std::move(text)) {}
    /// A text cell.
    CsvCell(const char* text) : text(text) {}
    /// A number cell (an integer is written exactly).
    template <class T>
    requires std::is_arithmetic_v<T> &&(!std::is_same_v<T, bool>)CsvCell(T v) : number(true) {
        if constexpr (std::is_integral_v<T>)
            text = std::to_string(v);
        else
            value = static_cast<double>(v);
        integral = std::is_integral_v<T>;
    }
    std::string text;       ///< the text, or an integer's digits
    double value = 0;       ///< a floating-point number
    bool number = false;    ///< a number (not neutralised)
    bool integral = false;  ///< an integer, already in `text`
};

/// One CSV line of `file`: text cells neutralised and quoted as csv_field does, numbers as
/// format_number writes them. A number that is NaN or infinite throws std::runtime_error
/// naming the file, the row (`row`, e.g. "team kt") and the column (from `header`): "teams.csv:
/// team kt, column flops is not finite (nan): refusing to write it".
std::string csv_row(const std::string& file, const std::vector<std::string>& header,
                    const std::string& row, const std::vector<CsvCell>& cells);

/// `j` as the text of output file `file` (2-space indents, a final newline); throws
/// std::runtime_error naming the file and the key when a number is NaN or infinite:
/// "summary.json: spend_krw.total is not finite (inf): refusing to write it".
std::string json_text(const nlohmann::ordered_json& j, const std::string& file);

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
