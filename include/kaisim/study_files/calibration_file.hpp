#pragma once
#include <string>

#include "kaisim/study/calibration.hpp"

namespace kaisim::io {

/// Reads a calibration file and its observations file; bad input throws InputError at the line
/// of the file that states it. Paths (scenario, overlays, observations) are relative to the
/// calibration file.
study::CalibrationSpec load_calibration(const std::string& path);

/// Reads the statistics of an observations file (`stage`, `source`, `statistics: [...]`).
std::vector<study::Observation> load_observations(const std::string& path);

}  // namespace kaisim::io
