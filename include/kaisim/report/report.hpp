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

/// The folder holding specs/ and node_modules/: the KAISIM_REPORT_DIR environment variable,
/// else the folder set by set_report_assets_dir, else share/kaisim/reports found from the
/// executable (PREFIX/bin/../share/kaisim/reports when installed, BUILD/share/kaisim/reports in
/// a build folder). No source path is compiled in: an installed tree can be moved.
std::string report_assets_dir();
/// Where report assets are for this process when KAISIM_REPORT_DIR is not set (the Python
/// module sets its installed share folder: its executable is the Python interpreter).
void set_report_assets_dir(const std::string& dir);

}  // namespace kaisim::io
