#include "kaisim/scenario/scenario_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <map>
#include <mutex>
#include <thread>

#include "kaisim/core/error.hpp"
#include "scenario_reader.hpp"
#include "yaml_edit.hpp"
#include "yaml_reader.hpp"

namespace kaisim::io {
namespace {

// The scenario file with its overlays merged in, the nodes of each overlay attributed to it.
YAML::Node merged_root(const std::string& path, const std::vector<std::string>& overlays,
                       YamlReader& reader) {
    YAML::Node root = parse_yaml_file(path);
    if (!root.IsMap() && !root.IsNull())
        reader.fail(root, "the scenario must be a map of sections");
    for (const std::string& overlay : overlays) {
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
    return root;
}

model::Scenario read_with_sets(const std::string& path, YAML::Node root, YamlReader& reader,
                               const std::vector<std::string>& sets,
                               const std::optional<std::uint32_t>& seed) {
    for (const std::string& assignment : sets) {
        const SetResult set = apply_set(root, assignment);
        reader.attribute(set.value, "--set " + assignment);
        for (const YAML::Node& key : set.new_keys) reader.attribute(key, "--set " + assignment);
    }
    model::Scenario sc;
    sc.source = path;
    ScenarioReader(reader, sc).read(root);
    if (seed) sc.seed = *seed;
    return sc;
}

}  // namespace

model::Scenario load_scenario(const std::string& path, const LoadOptions& options) {
    YamlReader reader(path);
    YAML::Node root = merged_root(path, options.overlays, reader);
    return read_with_sets(path, std::move(root), reader, options.sets, options.seed);
}

struct ScenarioTemplate::Impl {
    std::string path;
    std::vector<std::string> overlays;
    std::optional<std::uint32_t> seed;
    mutable std::mutex mutex;
    mutable std::optional<YAML::Node> merged;  // read at the first make()
    // Each thread clones its own copy: yaml-cpp promises nothing about threads sharing a tree.
    mutable std::map<std::thread::id, YAML::Node> copies;

    YAML::Node copy_for_this_thread() const {
        const std::lock_guard lock(mutex);
        if (!merged) {
            YamlReader reader(path);
            merged = merged_root(path, overlays, reader);
        }
        // kaisim's threads are a pool's, so few ids come; threads of a caller's own that come
        // and go must not grow this without end.
        if (copies.size() >= 256) copies.clear();
        auto [at, added] = copies.try_emplace(std::this_thread::get_id());
        if (added) at->second = YAML::Clone(*merged);
        return at->second;
    }
};

ScenarioTemplate::ScenarioTemplate(std::string path, std::vector<std::string> overlays,
                                   std::optional<std::uint32_t> seed)
    : impl_(std::make_unique<Impl>()) {
    impl_->path = std::move(path);
    impl_->overlays = std::move(overlays);
    impl_->seed = seed;
}

ScenarioTemplate::~ScenarioTemplate() = default;

model::Scenario ScenarioTemplate::make(const std::vector<std::string>& sets) const {
    const YAML::Node base = impl_->copy_for_this_thread();
    try {
        // A clone keeps no positions and no overlay's name: an error is found again below.
        YamlReader reader(impl_->path);
        return read_with_sets(impl_->path, YAML::Clone(base), reader, sets, impl_->seed);
    } catch (const InputError&) {
        return load_scenario(impl_->path, LoadOptions{impl_->overlays, sets, impl_->seed});
    }
}

}  // namespace kaisim::io
