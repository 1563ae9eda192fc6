#pragma once
#include <map>
#include <string>
#include <vector>

namespace kaisim::io {

/// The JSON Schemas (draft 2020-12) of kaisim's input files, built by loading `files` (scenario,
/// sweep, calibration and search files, told apart by their first key) with the loader's checks and
/// reads recorded: keys, required keys, types, bounds, choices and defaults are the loader's
/// own. Returns schema file name -> JSON text: scenario.schema.json, overlay.schema.json (the
/// scenario's, with no key required, as overlays give only what they change),
/// sweep.schema.json, calibration.schema.json, observations.schema.json and search.schema.json. A
/// file that fails to load throws its InputError.
std::map<std::string, std::string> generate_schemas(const std::vector<std::string>& files);

}  // namespace kaisim::io
