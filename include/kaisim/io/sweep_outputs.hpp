#pragma once
#include <string>

#include "kaisim/study/sweep_runner.hpp"

namespace kaisim::io {

/// sensitivity.csv: metric, parameter, method, index, value, lo, hi (lo and hi empty where the
/// method gives no interval).
std::string sensitivity_csv(const study::SweepOutcome& outcome);

/// The sensitivity indices as a table for the terminal, one block per metric.
std::string sensitivity_table(const study::SweepOutcome& outcome);

}  // namespace kaisim::io
