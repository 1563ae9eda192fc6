#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "kaisim/core/process_group.hpp"
#include "kaisim/core/statistics.hpp"
#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/run/metrics.hpp"
#include "kaisim/run/replicate.hpp"

namespace kaisim::run {

/// How a Monte Carlo run proceeds.
struct McOptions {
    std::uint32_t replicates = 1000;
    int threads = 1;
    /// Replicates advanced in lock-step and scored together; 0: the backend's batch_replicates().
    std::uint32_t batch = 0;
    /// Called from the calling thread (rank 0) with the replicates folded so far: after each
    /// batch, a batch behind the simulation (a batch is folded while the next is simulated).
    std::function<void(std::uint32_t done)> progress;
    /// When set, replicate r runs on `prepared_for(r)` (e.g. the scenario with one posterior
    /// particle's values) instead of the scenario given; it must describe the same teams and
    /// stages. Called from the calling thread; the pointer must outlive the run.
    std::function<const programme::PreparedScenario*(std::uint32_t replicate)> prepared_for;
    /// When set, only the replicates it keeps are counted (a forecast given what has happened,
    /// e.g. the field after a stage); `McResult::simulated` counts them all. Called from the
    /// simulating threads, several at once: it must only read the result.
    std::function<bool(const programme::Result&)> keep;
    /// Called for every replicate, in replicate order, with its metric values: one call at a
    /// time, from whichever thread folds the batch (a pool thread, while the next batch is
    /// simulated). After one throws, no other is made and the run throws that error.
    std::function<void(std::uint32_t replicate, const std::vector<double>& metrics)> per_replicate;
    /// When set, every rank of the group runs this Monte Carlo together: each simulates a
    /// contiguous share of every batch and rank 0 folds them all in replicate order (the result,
    /// `progress` and `per_replicate` are rank 0's; other ranks get an empty result). The same
    /// result for any number of ranks.
    const core::ProcessGroup* ranks = nullptr;
};

/// Per-team results over the replicates.
struct McTeam {
    std::vector<std::uint64_t> reached;  ///< [stage] replicates in which it was evaluated there
    std::vector<std::uint64_t> kept;  ///< [stage] replicates in which it advanced or was admitted
    std::uint64_t finalist = 0;
    core::RunningStats ability, flops, krw;  ///< at the end: logits, FLOP trained, KRW attributed
};

/// How often each field (the set of teams in the race) followed one stage.
struct McFields {
    /// The most distinct fields tallied per stage; replicates whose field is a new one beyond
    /// it are counted in `other` (memory stays bounded however many replicates run).
    static constexpr std::size_t max_distinct = 10000;
    std::map<std::vector<int>, std::uint64_t> count;  ///< sorted team indices -> replicates
    std::vector<std::uint64_t> size;                  ///< [teams in the race] -> replicates
    std::uint64_t other = 0;
};

/// Streamed Monte Carlo statistics: memory does not grow with the number of replicates.
struct McResult {
    std::uint32_t replicates = 0;  ///< counted (kept, when McOptions::keep is set)
    std::uint32_t simulated = 0;   ///< run
    std::vector<MetricSpec> specs;
    std::vector<core::RunningStats> metrics;  ///< per spec
    std::vector<McTeam> teams;
    std::vector<McFields> fields;  ///< [stage] the field right after it
};

/// The teams in the race right after stage `stage` (sorted indices): a regular stage's advanced
/// teams; a wildcard's admitted teams join the field they found. Empty if the replicate did not
/// reach the stage.
std::vector<int> field_after(const model::Scenario& sc, const programme::Result& r, int stage);

/// The particle of a posterior (of `cumulative` weights, increasing) that replicate `replicate`
/// of seed `seed` runs with: drawn by weight from its own Philox counter, so that the same
/// replicate draws the same particle in every arm of a comparison and every candidate of a
/// search.
std::size_t posterior_particle(const std::vector<double>& cumulative, std::uint32_t seed,
                               std::uint32_t replicate);

/// Runs replicates 0..R-1 in lock-step batches and folds each into the statistics in replicate
/// order, so the result does not depend on `threads` or `batch`.
McResult run_monte_carlo(const programme::PreparedScenario& prepared, eval::ScoringBackend& backend,
                         const McOptions& options);

}  // namespace kaisim::run
