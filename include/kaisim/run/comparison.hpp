#pragma once
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "kaisim/core/process_group.hpp"
#include "kaisim/core/statistics.hpp"
#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/run/metrics.hpp"
#include "kaisim/run/replicate.hpp"

namespace kaisim::run {

/// One metric compared between two arms on common random numbers.
struct MetricComparison {
    MetricSpec spec;
    core::RunningStats a, b;  ///< each arm's values
    core::RunningStats diff;  ///< paired differences b - a
    double b_better =
        0;  ///< replicates where b is better (ties count one half; direction none: b > a)

    /// P(b better) over the replicates.
    double p_b_better() const { return diff.n() ? b_better / static_cast<double>(diff.n()) : 0.0; }
    /// 95% interval of the difference of means if the arms had been run unpaired.
    core::Interval unpaired_ci() const;
    /// Var(a) + Var(b) over Var(b - a): how many times fewer replicates pairing needs.
    double variance_ratio() const;
};

struct ComparisonResult {
    std::uint32_t replicates = 0;
    std::vector<MetricComparison> metrics;  ///< the metrics both arms have, in arm A's order
};

/// Runs arms A and B on the same replicate keys (same seed and replicate numbers: the same team
/// draws, item banks, judges, users and interruptions wherever the timelines agree) and compares
/// them replicate by replicate, `batch` replicates in lock-step at a time (0: the backend's
/// batch_replicates(); the result does not depend on it). B's seed must equal A's.
///
/// With `arms_for`, replicate r runs its arms on `arms_for(r)` instead (e.g. A and B with one
/// posterior particle's values, the same particle in both arms); they must describe the same
/// teams and stages as `a` and `b`, whose scenarios name the metrics. With `ranks`, every rank
/// of the group runs the comparison together, each simulating a contiguous share of every batch;
/// rank 0 folds them in replicate order and holds the result (the same for any number of ranks;
/// other ranks get an empty one).
using ArmsFor =
    std::function<std::pair<const programme::PreparedScenario*, const programme::PreparedScenario*>(
        std::uint32_t)>;
ComparisonResult compare_arms(const programme::PreparedScenario& a,
                              const programme::PreparedScenario& b, eval::ScoringBackend& backend,
                              std::uint32_t replicates, int threads, std::uint32_t batch = 0,
                              const std::function<void(std::uint32_t)>& progress = {},
                              const ArmsFor& arms_for = {},
                              const core::ProcessGroup* ranks = nullptr);

}  // namespace kaisim::run
