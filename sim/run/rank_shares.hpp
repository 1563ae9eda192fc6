#pragma once
// What Monte Carlo runs and paired comparisons share to spread a batch over MPI ranks. Private
// to sim/run.
#include <algorithm>
#include <cstdint>
#include <exception>
#include <numeric>
#include <vector>

#include "kaisim/core/process_group.hpp"
#include "kaisim/eval/scoring_backend.hpp"

namespace kaisim::run {

/// The replicates of one lock-step batch: `asked` when given (> 0), else what `backend`
/// prefers; the same on every rank (rank 0's: ranks may hold different backends, e.g. a device
/// on one node only, and every rank must cut the replicates at the same places).
inline std::uint32_t agreed_batch(const core::ProcessGroup* ranks, std::uint32_t asked,
                                  const eval::ScoringBackend& backend) {
    std::vector<std::uint32_t> batch{
        std::max<std::uint32_t>(1, asked > 0 ? asked : backend.batch_replicates())};
    if (ranks && ranks->size() > 1) ranks->broadcast(batch);
    return batch.front();
}

/// Runs replicates [first, first + len) over `ranks` (none: this process alone): `simulate(ids)`
/// runs this rank's contiguous share and returns its numbers in replicate order. A failure on
/// any rank, or `fold_error` (rank 0's failure folding an earlier batch), throws on every rank.
/// Rank 0 receives every share, concatenated in replicate order; the other ranks get nothing.
template <class Simulate>
std::vector<double> run_shares(const core::ProcessGroup* ranks, std::uint32_t first,
                               std::uint32_t len, std::exception_ptr fold_error,
                               Simulate&& simulate) {
    const int rank = ranks ? ranks->rank() : 0, size = ranks ? ranks->size() : 1;
    const auto from = static_cast<std::uint32_t>(std::uint64_t{len} * rank / size),
               to = static_cast<std::uint32_t>(std::uint64_t{len} * (rank + 1) / size);
    std::vector<std::uint32_t> ids(to - from);
    std::iota(ids.begin(), ids.end(), first + from);
    if (!ranks) return simulate(ids);
    std::vector<double> mine;
    std::exception_ptr error;
    try {
        if (!ids.empty()) mine = simulate(ids);
    } catch (...) {
        error = std::current_exception();
    }
    ranks->agree(error ? error : fold_error);
    return ranks->gather(mine);
}

/// Rank 0's fold of a batch: a failure is rethrown at once in a process alone, and kept in
/// `fold_error` under MPI, to be agreed on every rank at the next run_shares (or at the end).
template <class Fold>
void fold_share(const core::ProcessGroup* ranks, std::exception_ptr& fold_error, Fold&& fold) {
    try {
        fold();
    } catch (...) {
        if (!ranks) throw;
        if (!fold_error) fold_error = std::current_exception();  // the first tells most
    }
}

}  // namespace kaisim::run
