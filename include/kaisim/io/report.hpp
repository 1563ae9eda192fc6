#pragma once
#include <string>

namespace kaisim::io {

/// Builds one self-contained HTML report of an output folder written by `kaisim run` (a single
/// run or a Monte Carlo), `kaisim compare` or `kaisim sweep`: Vega-Lite charts (specifications
/// from reports/specs/, data from the folder's files) rendered by vega, vega-lite and vega-embed,
/// all inlined, so the file opens offline. The folder must hold one complete output set: its
/// manifest (kaisim-outputs.json) says which kind it is, and every file the manifest lists must
/// be there as written; otherwise throws kaisim::InputError (located at the manifest). Throws
/// std::runtime_error when the chart libraries are not installed (scripts/setup.sh installs
/// them).
std::string build_report(const std::string& dir);

/// Writes build_report(dir) to `path` atomically. A report written into `dir` joins its output
/// set (listed in the manifest as derived), so the folder's next set removes it.
void write_report(const std::string& dir, const std::string& path);

/// The folder holding specs/ and node_modules/ (the KAISIM_REPORT_DIR environment variable, else
/// the source tree's reports/).
std::string report_assets_dir();

}  // namespace kaisim::io
