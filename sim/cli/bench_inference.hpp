#pragma once
#include <cstdint>
#include <string>

#include "command.hpp"

namespace kaisim::cli {

/// `kaisim bench inference`: a plain Monte Carlo of a calibration's scenario, a short
/// calibration (300 particles, 2 generations: replicates simulated per second), and posterior
/// Monte Carlo runs with one particle and with the calibration's 300, side by side; prints
/// the rates and their ratios.
int bench_inference(const std::string& calibration, std::uint32_t replicates, const Common& c);

}  // namespace kaisim::cli
