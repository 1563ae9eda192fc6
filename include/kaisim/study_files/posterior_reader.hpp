#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace kaisim::io {

/// A particle of a posterior.csv: its weight and its --set assignments.
struct PosteriorParticle {
    double weight = 0;
    std::vector<std::string> sets;
    int line = 0;  ///< where its record starts in the file
};

/// Reads a posterior.csv (what output/calibration_outputs.hpp's posterior_csv writes). Only the
/// columns weight and sets are read (each must appear once); the parameter columns are there for
/// people and are not read. The file is read a record at a time, so its size is not limited
/// beyond a record's (max_posterior_record_bytes); a particle costs its weight and its sets. Bad
/// input throws InputError at its line.
std::vector<PosteriorParticle> read_posterior(const std::string& path);

/// The longest record of a posterior.csv kaisim reads: 1 MiB (a particle of 100 parameters
/// writes about 5 kB; assumption: no calibration sets more than a few thousand paths).
inline constexpr std::size_t max_posterior_record_bytes = std::size_t{1} << 20;

}  // namespace kaisim::io
