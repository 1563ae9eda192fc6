#pragma once
// Edits of a YAML tree before it is read: overlays and --set assignments (private to
// sim/scenario/).
#include <yaml-cpp/yaml.h>

#include <functional>
#include <string>
#include <vector>

namespace kaisim::io {

/// Reports an error at a node (throws).
using NodeFailure = std::function<void(const YAML::Node&, const std::string&)>;

/// Merges `over` into `base`: maps key by key, lists of maps with an `id` element by element
/// (new ids appended), anything else replaced.
void merge_overlay(YAML::Node base, const YAML::Node& over, const NodeFailure& fail);

/// What a --set put into the tree: its value and the keys it added (to attribute errors to it).
struct SetResult {
    YAML::Node value;
    std::vector<YAML::Node> new_keys;
};

/// Applies `PATH=VALUE` (e.g. `stages[2].cut.keep=3`, `teams[lg].skill=1.2`). A bad path, or a
/// list element that does not exist (naming the ids that do), throws InputError located in the
/// assignment text.
SetResult apply_set(YAML::Node root, const std::string& assignment);

}  // namespace kaisim::io
