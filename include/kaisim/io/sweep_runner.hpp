#pragma once
#include <cstdint>
#include <functional>
#include <string>

namespace kaisim::io {

/// How to run a sweep.
struct SweepOptions {
    std::string file;
    std::string out_dir = "out/sweep";
    int threads = 1;
    std::string backend = "auto";  ///< scoring backend: auto, cpu or cuda
    bool resume = false;
    bool export_csv = true;
    std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

/// What a sweep produced.
struct SweepSummary {
    std::uint64_t points = 0;     ///< in the design
    std::uint64_t evaluated = 0;  ///< by this run (the rest were stored before)
    std::string table;            ///< the sensitivity table, for printing
};

/// Runs a sweep file: evaluates every point not yet in `out_dir/sweep.db` (each point a Monte
/// Carlo of the scenario with the point's values set, or the analytic model), in chunks of one
/// transaction; under MPI the points of each chunk are split over the ranks and rank 0 writes.
/// Then writes `sweep.csv` and `sensitivity.csv` (Sobol' indices with bootstrap intervals, or
/// Morris effects). Bad input throws InputError; only rank 0 writes files.
SweepSummary run_sweep(const SweepOptions& options);

}  // namespace kaisim::io
