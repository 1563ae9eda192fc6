#pragma once
#include <cstddef>
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

/// run_batch, handing each result to `take(k, result)` (k: its position in `replicates`) on the
/// thread that simulated it, as soon as its group ends, instead of returning them all: what a
/// result is reduced to is made, and the result freed, in parallel and while it is in the
/// core's cache. `take` runs on several threads at once, each k once. (One lock-step batch, as
/// a device runs: `take` runs after the batch, on `threads` threads.)
///
/// `alongside`, when given, runs once on one of the threads while they simulate: e.g. the serial
/// fold of the previous batch, which would otherwise leave the other threads waiting. An
/// exception that it, `take` or a replicate throws reaches the caller once every task has ended
/// (its own first). With one lock-step batch it runs before the batch, and what it throws ends
/// the call at once.
void run_batch_each(const programme::PreparedScenario& prepared,
                    const std::vector<std::uint32_t>& replicates, eval::ScoringBackend& backend,
                    int threads, bool record_timeline,
                    const std::function<void(std::size_t, programme::Result&&)>& take,
                    const std::function<void()>& alongside = {});

/// Runs `replicates` as run_batch_each does, where replicate r runs on `prepared_for(r)` (e.g.
/// the scenario with one posterior particle's values): the replicates of one scenario run as one
/// batch, and `take` gets each one's position in `replicates`, so nothing depends on how they
/// were grouped. `alongside` runs alongside the replicates of the scenario that has the most.
void run_batch_for_each(
    const std::function<const programme::PreparedScenario*(std::uint32_t)>& prepared_for,
    const std::vector<std::uint32_t>& replicates, eval::ScoringBackend& backend, int threads,
    const std::function<void(std::size_t, programme::Result&&)>& take,
    const std::function<void()>& alongside = {});

}  // namespace kaisim::run
