#include "kaisim/io/scenario_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <optional>

#include "kaisim/core/error.hpp"
#include "kaisim/io/text_file.hpp"
#include "scenario_reader.hpp"
#include "yaml_edit.hpp"
#include "yaml_reader.hpp"

namespace kaisim::io {

namespace {

YAML::Node parse_file(const std::string& path) {
    const std::optional<std::string> text = read_text_file(path);
    if (!text) throw InputError(path, 1, 1, "cannot open the file");
    try {
        return YAML::Load(*text);
    } catch (const YAML::ParserException& e) {
        throw InputError(path, e.mark.line + 1, e.mark.column + 1, "YAML syntax: " + e.msg);
    }
}

}  // namespace

model::Scenario load_scenario(const std::string& path, const LoadOptions& options) {
    YamlReader reader(path);
    YAML::Node root = parse_file(path);
    for (const std::string& overlay : options.overlays) {
        const YAML::Node over = parse_file(overlay);
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
