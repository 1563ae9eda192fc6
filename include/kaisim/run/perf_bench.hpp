#pragma once
#include <chrono>
#include <cstdint>
#include <optional>

#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/run/replicate.hpp"

namespace kaisim::run {

/// Wall-clock seconds since `t0` (steady clock): what every benchmark here times with.
double seconds_since(std::chrono::steady_clock::time_point t0);

/// The event engine on a hold model: `processes` processes each rescheduling itself after an
/// exponential delay, `events` events in all. Returns events per second (one thread).
double bench_engine(int processes, std::uint64_t events);

/// Whole replicates of a scenario per second, in lock-step batches on `threads` threads, and how
/// the threads' time (wall time x threads) divides: in the scoring backend's calls (wall time),
/// idle (the process's CPU time falls short of it: a thread with no task, or no core; none for a
/// backend that overlaps), the rest the simulation.
struct ReplicateRate {
    double per_second = 0;
    double scoring_share = 0;
    std::optional<double> idle_share;
};
ReplicateRate bench_replicates(const programme::PreparedScenario& prepared,
                               eval::ScoringBackend& backend, std::uint32_t replicates,
                               int threads);

/// Item responses per second of `backend` on `pairs` (replicate, team) pairs x `items` items.
double bench_scoring(eval::ScoringBackend& backend, std::uint32_t pairs, std::uint32_t items);

}  // namespace kaisim::run
