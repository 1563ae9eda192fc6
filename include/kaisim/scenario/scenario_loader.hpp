#pragma once
#include <cstdint>
#include <memory>
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

/// A scenario file and its overlays, read and merged once, for the many loads of a study that
/// differ only in their `--set`s (a calibration's particles, a sweep's points, a posterior's
/// particles). make(sets) gives exactly what load_scenario(path, {overlays, sets, seed})
/// gives, without reading or parsing the files again; an error it meets is reported by that
/// full load, so it names the file, line and column where the fault lies. The files are read
/// at the first make(), whose errors are load_scenario's. make() may be called from several
/// threads at once.
class ScenarioTemplate {
  public:
    ScenarioTemplate(std::string path, std::vector<std::string> overlays,
                     std::optional<std::uint32_t> seed = {});
    ~ScenarioTemplate();
    ScenarioTemplate(const ScenarioTemplate&) = delete;
    ScenarioTemplate& operator=(const ScenarioTemplate&) = delete;

    model::Scenario make(const std::vector<std::string>& sets) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kaisim::io
