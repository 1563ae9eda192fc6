#pragma once
#include <string>

#include "kaisim/study/sweep_runner.hpp"

namespace kaisim::io {

/// sensitivity.csv: metric, parameter, method, index, value, lo, hi (lo and hi empty where the
/// method gives no interval). After the indices: one `variance` row per metric (Sobol': the
/// total variance the indices divide, parameter empty) and one `inert` row per parameter whose
/// whole range moved no metric (metric empty, value 1).
std::string sensitivity_csv(const study::SweepOutcome& outcome);

/// The sensitivity indices as a table for the terminal, one block per metric.
std::string sensitivity_table(const study::SweepOutcome& outcome);

}  // namespace kaisim::io
