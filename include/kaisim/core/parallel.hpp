#pragma once
#include <algorithm>
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace kaisim::core {

/// Calls `fn(begin, end)` on `threads` contiguous chunks of [0, n), in parallel; the caller's
/// thread takes the first chunk. Results must not depend on the split (each index independent).
/// An exception thrown in any chunk reaches the caller once every chunk has ended (the one of
/// the lowest chunk when several throw); a thread that cannot be started (std::system_error,
/// e.g. under a memory limit) leaves its chunk to the caller's thread.
template <class Fn>
void parallel_for(std::size_t n, int threads, Fn&& fn) {
    const std::size_t t = std::min<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), n);
    if (t <= 1) {
        if (n) fn(std::size_t{0}, n);
        return;
    }
    const std::size_t chunk = (n + t - 1) / t;
    std::vector<std::exception_ptr> errors(t);
    const auto guarded = [&fn, &errors](std::size_t k, std::size_t b, std::size_t e) {
        try {
            fn(b, e);
        } catch (...) {
            errors[k] = std::current_exception();
        }
    };
    std::vector<std::thread> pool;
    std::vector<std::size_t> inline_chunks;  // chunks no thread could be started for
    pool.reserve(t - 1);
    for (std::size_t k = 1; k < t; ++k) {
        const std::size_t b = k * chunk, e = std::min(n, b + chunk);
        if (b >= e) continue;
        try {
            pool.emplace_back(guarded, k, b, e);
        } catch (const std::system_error&) {
            inline_chunks.push_back(k);
        }
    }
    guarded(0, 0, std::min(n, chunk));
    for (std::size_t k : inline_chunks) guarded(k, k * chunk, std::min(n, k * chunk + chunk));
    for (auto& th : pool) th.join();
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace kaisim::core
