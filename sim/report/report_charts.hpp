#pragma once
// The charts of a report: which Vega-Lite specs an output folder gets, and their data from the
// folder's CSV and JSON files. report.cpp assembles them into one HTML file.
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kaisim/output/atomic_output.hpp"

namespace kaisim::io {

/// One chart: a spec file of reports/specs/ with its data sets and the table shown beneath.
struct Chart {
    std::string spec_file;
    std::map<std::string, nlohmann::ordered_json> datasets;  ///< name -> rows
    std::vector<std::string> table_columns;                  ///< the numbers shown beneath
    std::string table_dataset;
    std::function<void(nlohmann::ordered_json&)> adjust;  ///< optional change of the spec
};

/// The charts of an output folder, by the kind of set its manifest `m` names (run, Monte
/// Carlo, compare or sweep), from the files it lists only; `kind` is set to the kind's name. A
/// file the kind needs that the manifest does not list throws InputError; a missing column or
/// key, std::out_of_range.
std::vector<Chart> folder_charts(const std::filesystem::path& dir, const OutputManifest& m,
                                 std::string& kind, std::vector<std::string>& notes);

/// The charts of a calibration folder (calibration.json): each parameter's prior and
/// posterior, each statistic's prior- and posterior-predictive range against the published
/// value, the tolerance schedule; a note for each published figure the posterior misses.
std::vector<Chart> calibration_charts(const std::filesystem::path& dir,
                                      std::vector<std::string>& notes);

/// The charts of a scenario discovery (prim_boxes.csv, prim_trajectory.csv): the coverage and
/// density of every peel and paste, and each box's bounds.
std::vector<Chart> discover_charts(const std::filesystem::path& dir,
                                   std::vector<std::string>& notes);

/// The charts of a policy search (pareto.csv, convergence.csv, optimise.json): the front in
/// every pair of objectives and in parallel coordinates beside the plan, and its convergence.
std::vector<Chart> optimise_charts(const std::filesystem::path& dir,
                                   std::vector<std::string>& notes);

/// One CSV line as column -> text.
using CsvRow = std::map<std::string, std::string>;
/// A CSV file as rows (the header names the columns).
std::vector<CsvRow> read_csv(const std::filesystem::path& p);
/// A CSV cell as JSON: a number when the whole text is one, else text (null when empty).
nlohmann::ordered_json cell(const std::string& s);

/// A file's whole text; throws std::runtime_error when it cannot be read.
std::string slurp(const std::filesystem::path& p);

}  // namespace kaisim::io
