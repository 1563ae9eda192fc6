#pragma once
// What sweep, calibration and search files share: their parameter list, their overlays, and how
// they read optional keys and name files beside themselves. Private to sim/study_files/.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>
#include <vector>

#include "../scenario/yaml_reader.hpp"
#include "kaisim/study/sweep_design.hpp"

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

/// The `overlays:` list of `map`, if given, each named beside `file`.
inline std::vector<std::string> read_overlays(YamlReader& r, const YAML::Node& map,
                                              const std::string& file) {
    std::vector<std::string> out;
    if (!is_given(map, "overlays")) return out;
    r.expect_seq(map["overlays"], "overlays");
    for (const auto& o : map["overlays"]) out.push_back(beside(file, r.text(o)));
    return out;
}

/// Reads a parameter's distribution (`dist` and its `low`, `high`, `mean`, `sd` or `values`)
/// from the map `p` into `q`.
void read_distribution(YamlReader& r, const YAML::Node& p, study::SweepParameter& q);

/// Reads `parameters:` (a sequence of {name, path, also, dist, ...}); `scenario`: each needs a
/// scenario path (analytic models take none).
std::vector<study::SweepParameter> read_parameters(YamlReader& r, const YAML::Node& ps,
                                                   bool scenario);

}  // namespace kaisim::io
