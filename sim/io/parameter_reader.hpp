#pragma once
// What sweep and calibration files share: their parameter list, and how they read optional keys
// and name files beside themselves. Private to io/.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>
#include <vector>

#include "kaisim/study/sweep_design.hpp"
#include "yaml_reader.hpp"

namespace kaisim::io {

/// Whether `key` is given a value (not absent, not null).
inline bool is_given(const YAML::Node& map, const char* key) {
    const YAML::Node v = map[key];
    return v.IsDefined() && !v.IsNull();
}

/// A path named in `file`: relative to the file's folder unless absolute.
inline std::string beside(const std::string& file, const std::string& path) {
    const std::filesystem::path p(path);
    if (p.is_absolute()) return path;
    return (std::filesystem::path(file).parent_path() / p).lexically_normal().string();
}

/// Reads `parameters:` (a sequence of {name, path, also, dist, ...}); `scenario`: each needs a
/// scenario path (analytic models take none).
std::vector<study::SweepParameter> read_parameters(YamlReader& r, const YAML::Node& ps,
                                                   bool scenario);

}  // namespace kaisim::io
