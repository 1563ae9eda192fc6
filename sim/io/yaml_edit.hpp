#pragma once
// Edits of a YAML tree before it is read: overlays and --set assignments (private to io/).
#include <yaml-cpp/yaml.h>

#include <functional>
#include <string>

namespace kaisim::io {

/// Reports an error at a node (throws).
using NodeFailure = std::function<void(const YAML::Node&, const std::string&)>;

/// Merges `over` into `base`: maps key by key, lists of maps with an `id` element by element
/// (new ids appended), anything else replaced.
void merge_overlay(YAML::Node base, const YAML::Node& over, const NodeFailure& fail);

/// Applies `PATH=VALUE` (e.g. `stages[2].cut.keep=3`, `teams[lg].skill=1.2`) and returns the new
/// value node. A bad path throws InputError located in the assignment text.
YAML::Node apply_set(YAML::Node root, const std::string& assignment);

}  // namespace kaisim::io
