
#include "kaisim/core/error.hpp"
#include "kaisim/core/parallel.hpp"
#include "kaisim/eval/scoring_backend.hpp"

namespace kaisim::eval {

void CpuBackend::score(const ScoringBatch& b, std::span<double> out) {
    KAISIM_ASSERT(out.size() == static_cast<std::size_t>(b.n_pairs) * b.n_components);
    auto work = [&](std::uint32_t from, std::uint32_t to) {
        for (std::uint32_t p = from; p < to; ++p)
            for (std::uint32_t c = 0; c < b.n_components; ++c)
                out[static_cast<std::size_t>(p) * b.n_components + c] = score_component(b, p, c);
    };
    // Each pair's result is a pure function of its counters: the split cannot change the output.
    core::parallel_for(b.n_pairs, threads_, [&](std::size_t from, std::size_t to) {
        work(static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to));
    });
}

}  // namespace kaisim::eval
