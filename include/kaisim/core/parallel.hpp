#pragma once
#include <algorithm>
#include <cstddef>
#include <exception>
#include <functional>
#include <vector>

namespace kaisim::core {

/// Runs `task(k)` for every k in [0, tasks) and returns when all have ended: the calling thread
/// and the workers of one process-wide pool (started on first need, kept for the next call)
/// take the tasks in turn. An exception a task throws reaches the caller once every task has
/// ended (the first one thrown, when several are). A call made from inside a task, or while the
/// pool's threads cannot be started (e.g. under a memory limit), runs its tasks on the calling
/// thread, in order. Calls from different threads take turns.
void run_tasks(std::size_t tasks, const std::function<void(std::size_t)>& task);

/// Calls `fn(begin, end)` on `threads` contiguous chunks of [0, n), in parallel on the persistent
/// pool; the caller's thread works too. Results must not depend on the split (each index
/// independent); which thread runs a chunk never matters. An exception thrown in any chunk
/// reaches the caller once every chunk has ended (the one of the lowest chunk when several
/// throw).
template <class Fn>
void parallel_for(std::size_t n, int threads, Fn&& fn) {
    const std::size_t t = std::min<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), n);
    if (t <= 1) {
        if (n) fn(std::size_t{0}, n);
        return;
    }
    const std::size_t chunk = (n + t - 1) / t;
    std::vector<std::exception_ptr> errors(t);
    run_tasks(t, [&](std::size_t k) {
        const std::size_t b = k * chunk, e = std::min(n, b + chunk);
        if (b >= e) return;
        try {
            fn(b, e);
        } catch (...) {
            errors[k] = std::current_exception();
        }
    });
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace kaisim::core
