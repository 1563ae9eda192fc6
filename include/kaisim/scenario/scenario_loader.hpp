#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kaisim/model/scenario.hpp"

namespace kaisim::io {

/// Changes applied to a scenario file before it is read.
struct LoadOptions {
    std::vector<std::string> overlays;  ///< files merged over the scenario, in order
    std::vector<std::string> sets;      ///< `PATH=VALUE` assignments, applied after the overlays
    std::optional<std::uint32_t> seed;  ///< overrides programme.seed
};

/// Reads and validates a scenario; bad input throws kaisim::InputError (file:line:col).
model::Scenario load_scenario(const std::string& path, const LoadOptions& options = {});

/// `--set` assignments as an overlay (YAML text): what calibrated.yaml and a search's policy
/// overlays hold. An assignment to a list element by index, which an overlay cannot express,
/// becomes a comment naming the --set.
std::string overlay_yaml(const std::vector<std::string>& sets);

}  // namespace kaisim::io
