#include <thread>
#include <vector>

#include "kaisim/core/error.hpp"
#include "kaisim/eval/scoring_backend.hpp"

namespace kaisim::eval {

void CpuBackend::score(const ScoringBatch& b, std::span<double> out) {
    KAISIM_ASSERT(out.size() == static_cast<std::size_t>(b.n_pairs) * b.n_components);
    auto work = [&](std::uint32_t from, std::uint32_t to) {
        for (std::uint32_t p = from; p < to; ++p)
            for (std::uint32_t c = 0; c < b.n_components; ++c)
                out[static_cast<std::size_t>(p) * b.n_components + c] = score_component(b, p, c);
    };
    const std::uint32_t n_threads =
        std::min<std::uint32_t>(static_cast<std::uint32_t>(threads_), b.n_pairs);
    if (n_threads <= 1) {
        work(0, b.n_pairs);
        return;
    }
    // Each pair's result is a pure function of its counters: the split cannot change the output.
    std::vector<std::thread> pool;
    const std::uint32_t chunk = (b.n_pairs + n_threads - 1) / n_threads;
    for (std::uint32_t t = 0; t < n_threads; ++t) {
        const std::uint32_t from = t * chunk, to = std::min(b.n_pairs, from + chunk);
        if (from < to) pool.emplace_back(work, from, to);
    }
    for (auto& th : pool) th.join();
}

}  // namespace kaisim::eval
