#include "kaisim/scenario/scenario_loader.hpp"

#include <yaml-cpp/yaml.h>

#include "kaisim/core/error.hpp"
#include "scenario_reader.hpp"
#include "yaml_edit.hpp"
#include "yaml_reader.hpp"

namespace kaisim::io {

model::Scenario load_scenario(const std::string& path, const LoadOptions& options) {
    YamlReader reader(path);
    YAML::Node root = parse_yaml_file(path);
    if (!root.IsMap() && !root.IsNull())
        reader.fail(root, "the scenario must be a map of sections");
    for (const std::string& overlay : options.overlays) {
        const YAML::Node over = parse_yaml_file(overlay);
        if (!over.IsMap())
            throw InputError(overlay, 1, 1,
                             "an overlay must be a map of scenario sections, got " +
                                 std::string(over.IsNull()       ? "nothing (an empty file?)"
                                             : over.IsSequence() ? "a list"
                                                                 : "a value"));
        reader.attribute(over, overlay);
        merge_overlay(root, over,
                      [&](const YAML::Node& at, const std::string& msg) { reader.fail(at, msg); });
    }
    for (const std::string& assignment : options.sets) {
        const SetResult set = apply_set(root, assignment);
        reader.attribute(set.value, "--set " + assignment);
        for (const YAML::Node& key : set.new_keys) reader.attribute(key, "--set " + assignment);
    }
    model::Scenario sc;
    sc.source = path;
    ScenarioReader(reader, sc).read(root);
    if (options.seed) sc.seed = *options.seed;
    return sc;
}

}  // namespace kaisim::io
