
#include <stdexcept>
#include <string>
#include <vector>

#include "cpu_simd.hpp"
#include "kaisim/core/error.hpp"
#include "kaisim/core/parallel.hpp"
#include "kaisim/eval/scoring_backend.hpp"

namespace kaisim::eval {

std::string cpu_simd_target() {
    return simd::target_name();
}

std::vector<std::string> cpu_simd_targets() {
    return simd::targets();
}

void use_cpu_simd_target(const std::string& name) {
    if (simd::use_target(name)) return;
    std::string known;
    for (const std::string& t : simd::targets()) known += (known.empty() ? "" : ", ") + t;
    throw std::invalid_argument("no SIMD instruction set '" + name + "' here (there are: " + known +
                                ")");
}

void CpuBackend::score(const ScoringBatch& b, std::span<double> out) {
    KAISIM_ASSERT(out.size() == static_cast<std::size_t>(b.n_pairs) * b.n_components);
    // Each benchmark's items in lane order, once per call; every other component (and every
    // item in a build without Highway) is scored by the scalar code.
    const bool simd = simd_ && simd::available();
    std::vector<simd::LaneOrderedBank> banks;
    if (simd)
        for (std::uint32_t k = 0; k < b.n_benches; ++k)
            banks.push_back(
                simd::lane_order(b.items + b.benches[k].first_item, b.benches[k].items));
    const auto benchmarks = [&](std::uint32_t p, const ComponentPlan& cp) {
        const PairInput pair = b.pairs[p];
        double sum = 0;
        for (std::uint32_t k = cp.first_bench; k < cp.first_bench + cp.n_bench; ++k) {
            const BenchPlan& bp = b.benches[k];
            const float theta = pair_ability(b, p, bp.domain);
            const std::uint32_t n =
                simd::count_correct_blocks(b.seed, pair.replicate, bp.key, pair.team, theta,
                                           banks[k]) +
                count_correct_from(b.seed, pair.replicate, bp.key, pair.team, theta,
                                   b.items + bp.first_item, banks[k].items, bp.items);
            sum += static_cast<double>(n) / bp.items;  // as score_component adds them
        }
        return cp.n_bench ? sum / cp.n_bench : 0.0;
    };
    auto work = [&](std::uint32_t from, std::uint32_t to) {
        for (std::uint32_t p = from; p < to; ++p)
            for (std::uint32_t c = 0; c < b.n_components; ++c) {
                const ComponentPlan& cp = b.components[c];
                out[static_cast<std::size_t>(p) * b.n_components + c] =
                    simd && cp.kind == PlanKind::benchmarks ? benchmarks(p, cp)
                                                            : score_component(b, p, c);
            }
    };
    // Each pair's result is a pure function of its counters: the split cannot change the output.
    core::parallel_for(b.n_pairs, threads_, [&](std::size_t from, std::size_t to) {
        work(static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to));
    });
}

}  // namespace kaisim::eval
