#pragma once
#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace kaisim::core {

/// Calls `fn(begin, end)` on `threads` contiguous chunks of [0, n), in parallel; the caller's
/// thread takes the first chunk. Results must not depend on the split (each index independent).
template <class Fn>
void parallel_for(std::size_t n, int threads, Fn&& fn) {
    const std::size_t t = std::min<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), n);
    if (t <= 1) {
        if (n) fn(std::size_t{0}, n);
        return;
    }
    const std::size_t chunk = (n + t - 1) / t;
    std::vector<std::thread> pool;
    for (std::size_t k = 1; k < t; ++k) {
        const std::size_t b = k * chunk, e = std::min(n, b + chunk);
        if (b < e) pool.emplace_back([&fn, b, e] { fn(b, e); });
    }
    fn(std::size_t{0}, std::min(n, chunk));
    for (auto& th : pool) th.join();
}

}  // namespace kaisim::core
