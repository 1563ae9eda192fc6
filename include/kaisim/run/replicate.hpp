#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/programme/result.hpp"

namespace kaisim::run {

/// Runs replicate `replicate` of the programme from start to end, scoring each stage through
/// `backend`. A pure function of (scenario, seed, replicate). Under `budget_mode: cap` the
/// programme is rerun with quotas and money scaled down until every budget fits (or 6 passes).
programme::Result run_replicate(const programme::PreparedScenario& prepared,
                                std::uint32_t replicate, eval::ScoringBackend& backend,
                                bool record_timeline = true);

/// Runs several replicates in lock-step: all advance to each stage date, the whole batch is
/// scored in one backend call per stage, then each applies its cuts and goes on. `threads`
/// advance the replicates between stages. With a backend that scores concurrently (the CPU),
/// each thread instead runs groups of replicates in lock-step from start to end and scores them
/// itself: no barrier between threads at a stage, and a group's races stay in the core's cache.
/// Results are in the order of `replicates` and do not depend on `threads`, on the grouping or
/// on the batch's composition.
std::vector<programme::Result> run_batch(const programme::PreparedScenario& prepared,
                                         const std::vector<std::uint32_t>& replicates,
                                         eval::ScoringBackend& backend, int threads,
                                         bool record_timeline);

/// Runs `replicates` where replicate r runs on `prepared_for(r)` (e.g. the scenario with one
/// posterior particle's values): the replicates of one scenario run as one batch, and results
/// return in the order of `replicates`, so nothing depends on how they were grouped.
std::vector<programme::Result> run_batch_for(
    const std::function<const programme::PreparedScenario*(std::uint32_t)>& prepared_for,
    const std::vector<std::uint32_t>& replicates, eval::ScoringBackend& backend, int threads);

}  // namespace kaisim::run
