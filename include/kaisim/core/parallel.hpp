#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <vector>

namespace kaisim::core {

/// Runs `task(k)` for every k in [0, tasks) and returns when all have ended: the calling thread
/// (thread 0) and workers 1 .. threads - 1 of one process-wide pool (started on first need,
/// min(tasks, threads) - 1 of them at least, kept for the next call; `threads` 0: one per task)
/// run them, each taking the next task in index order when it comes free (the caller has task 0
/// unless a worker is quicker). An exception a task throws reaches the caller once every task
/// has ended (the first one thrown, when several are). A call made from inside a task, or while the
/// pool's threads cannot be started (e.g. under a memory limit), runs its tasks on the calling
/// thread, in order. Calls from different threads take turns.
void run_tasks(std::size_t tasks, const std::function<void(std::size_t)>& task,
               std::size_t threads = 0);

/// Whether the calling thread is running a task of run_tasks (or parallel_for) now: a parallel
/// call it makes runs on it alone.
bool in_parallel_task();

/// Calls `fn(begin, end)` on contiguous chunks of [0, n), in parallel on `threads` threads of the
/// persistent pool; the caller's thread works too. There are several chunks per thread, taken
/// as threads come free, so an uneven chunk does not leave the other threads waiting. Results
/// must not depend on the split (each index independent); which thread runs a chunk never
/// matters. An exception thrown in any chunk reaches the caller once every chunk has ended (the
/// one of the lowest chunk when several throw).
template <class Fn>
void parallel_for(std::size_t n, int threads, Fn&& fn) {
    const std::size_t t = std::min<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), n);
    if (t <= 1) {
        if (n) fn(std::size_t{0}, n);
        return;
    }
    // Assumption: eight chunks per thread balance uneven replicates at a negligible cost (one
    // lock per chunk).
    const std::size_t chunks = std::min(n, t * 8), chunk = (n + chunks - 1) / chunks;
    std::vector<std::exception_ptr> errors(chunks);
    run_tasks(
        chunks,
        [&](std::size_t k) {
            const std::size_t b = k * chunk, e = std::min(n, b + chunk);
            if (b >= e) return;
            try {
                fn(b, e);
            } catch (...) {
                errors[k] = std::current_exception();
            }
        },
        t);
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
}

/// Calls `fn(first, count)` for the consecutive pieces [first, first + count) of [0, n), each
/// `size` long but the last (size 0 counts as 1). It counts in 64 bits: a loop `first += size`
/// on 32-bit indices wraps to 0 and never ends when n is within `size` of 2^32.
template <class Fn>
void for_each_piece(std::uint32_t n, std::uint32_t size, Fn&& fn) {
    const std::uint64_t step = std::max<std::uint32_t>(size, 1);
    for (std::uint64_t first = 0; first < n; first += step)
        fn(static_cast<std::uint32_t>(first),
           static_cast<std::uint32_t>(std::min<std::uint64_t>(step, n - first)));
}

}  // namespace kaisim::core
