#pragma once
#include <string>
#include <vector>

#include "kaisim/model/scenario.hpp"
#include "kaisim/programme/result.hpp"

namespace kaisim::run {

/// Which way a metric improves.
enum class Direction { higher, lower, none };

/// A scalar outcome of one replicate.
struct MetricSpec {
    std::string name;
    Direction direction = Direction::none;
    std::string meaning;       ///< one line for the outputs' readers
    bool probability = false;  ///< a 0/1 outcome: its mean is a probability
};

/// The metrics of a scenario, in a fixed order: programme-wide ones, then one selection metric
/// per stage (`selection_correct_<stage id>`).
std::vector<MetricSpec> metric_specs(const model::Scenario& sc);

/// The values of metric_specs(sc) for one replicate, in the same order.
std::vector<double> replicate_metrics(const model::Scenario& sc, const programme::Result& r);

/// Gini coefficient of non-negative values (0 = all equal; 0 for an empty or all-zero list).
double gini(std::vector<double> values);

}  // namespace kaisim::run
