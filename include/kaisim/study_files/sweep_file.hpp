#pragma once
#include <string>

#include "kaisim/study/sweep_runner.hpp"
#include "kaisim/study/sweep_spec.hpp"

namespace kaisim::io {

/// Reads a sweep file; bad input throws InputError (file:line:col). Scenario and overlay paths
/// are taken relative to the sweep file's folder.
study::SweepSpec load_sweep(const std::string& path);

/// The scenario source of a sweep: its scenario file with its overlays, then the point's sets.
/// The spec must outlive the source.
study::ScenarioSource sweep_scenario_source(const study::SweepSpec& spec);

/// The scenario file with its overlays, then the given `--set` assignments (what sweeps and
/// calibrations evaluate).
study::ScenarioSource scenario_source(std::string scenario, std::vector<std::string> overlays);

/// A short fingerprint of what a sweep computes: the sweep file, its scenario and overlays,
/// `version` and the running executable (executable_fingerprint). A resumed sweep must have the
/// same.
std::string sweep_fingerprint(const study::SweepSpec& spec, const std::string& version);

}  // namespace kaisim::io
