#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kaisim/run/sweep_design.hpp"

namespace kaisim::io {

/// Which function a sweep evaluates: a scenario, or a built-in analytic test model.
enum class SweepModel { scenario, ishigami, sobol_g };

/// A sweep file, read.
struct SweepSpec {
    std::string file;  ///< the sweep file
    std::string text;  ///< its content (a resumed sweep must not have changed)
    std::string name;
    SweepModel model = SweepModel::scenario;
    std::string scenario;  ///< path, relative to the working folder
    std::vector<std::string> overlays;
    std::vector<double> g_a;  ///< sobol_g coefficients
    double ishigami_a = 7, ishigami_b = 0.1;
    std::vector<run::SweepParameter> parameters;
    run::DesignSpec design;
    std::uint32_t replicates = 20;               ///< per point (scenario sweeps)
    std::vector<std::string> metrics;            ///< collected and analysed (empty: all)
    std::vector<std::pair<int, int>> metric_at;  ///< line, column of each metric (for errors)
    std::uint32_t bootstrap = 200;               ///< resamples for the Sobol' intervals
    std::uint32_t chunk = 8;                     ///< points per database transaction
};

/// Reads a sweep file; bad input throws InputError (file:line:col). Scenario and overlay paths
/// are taken relative to the sweep file's folder.
SweepSpec load_sweep(const std::string& path);

}  // namespace kaisim::io
