#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kaisim/study/sweep_design.hpp"

namespace kaisim::study {

/// Which function a sweep evaluates: a scenario, or a built-in analytic test model.
enum class SweepModel { scenario, ishigami, sobol_g };

/// A sweep: the function evaluated, its parameters, the design and what is collected. Read
/// from a file by io::load_sweep, or built in memory by a program that embeds kaisim.
struct SweepSpec {
    std::string file;  ///< the sweep file (empty for a spec built in memory)
    std::string text;  ///< its content (a resumed sweep must not have changed)
    std::string name;
    SweepModel model = SweepModel::scenario;
    std::string scenario;  ///< path, relative to the working folder
    std::vector<std::string> overlays;
    std::vector<double> g_a;  ///< sobol_g coefficients
    double ishigami_a = 7, ishigami_b = 0.1;
    std::vector<SweepParameter> parameters;
    DesignSpec design;
    std::uint32_t replicates = 20;               ///< per point (scenario sweeps)
    std::vector<std::string> metrics;            ///< collected and analysed (empty: all)
    std::vector<std::pair<int, int>> metric_at;  ///< line, column of each metric (for errors)
    std::uint32_t bootstrap = 200;               ///< resamples for the Sobol' intervals
    std::uint32_t chunk = 8;                     ///< points per database transaction
};

}  // namespace kaisim::study
