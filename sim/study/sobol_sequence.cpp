#include "kaisim/study/sobol_sequence.hpp"

#include <boost/random/sobol.hpp>

#include "kaisim/core/error.hpp"
#include "kaisim/core/rng.hpp"

namespace kaisim::study {

namespace {
// 32-bit digits: the engine's integers are x * 2^32 for x in [0, 1).
using Engine = boost::random::sobol_engine<std::uint32_t, 32, boost::random::default_sobol_table>;
constexpr int bits = 32;
static_assert(SobolSequence::max_dimensions ==
              static_cast<int>(boost::random::default_sobol_table::max_dimension));
}  // namespace

SobolSequence::SobolSequence(int dimensions, std::uint32_t seed) : dims_(dimensions) {
    KAISIM_ASSERT(dimensions >= 1 && dimensions <= max_dimensions);
    const auto dims = static_cast<std::size_t>(dims_);
    direction_.assign(dims * bits, 0);
    shift_.assign(dims, 0);
    // Direction numbers v_r (one per bit r) from Boost's own sequence: the engine's vector n is
    // the XOR of the v_r over the bits of the Gray code g(n + 1), n + 1 ^ (n + 1) >> 1 (it skips
    // the origin, g(0) = 0). g(2^(r+1) - 1) = 2^r, so vector 2^(r+1) - 2 is v_r alone; seed(n)
    // jumps there in O(dimensions).
    Engine engine(dims);
    for (int r = 0; r < bits; ++r) {
        engine.seed(static_cast<std::uint32_t>((std::uint64_t{2} << r) - 2));
        for (std::size_t d = 0; d < dims; ++d)
            direction_[static_cast<std::size_t>(r) * dims + d] = engine();
    }
    // Linear matrix scramble (Matousek 1998): multiply each dimension's generator matrix by a
    // random lower triangular matrix with unit diagonal; being linear over GF(2), applying it to
    // the direction numbers scrambles every point alike. Then a random digital shift.
    const core::RngStream rng(seed, core::shared_replicate, core::Stream::team_draws);
    for (std::size_t d = 0; d < dims; ++d) {
        std::uint32_t lower[bits];
        for (int r = 0; r < bits; ++r) {
            const auto draw = static_cast<std::uint32_t>(
                rng.uniform(1000u + static_cast<std::uint32_t>(d), static_cast<std::uint32_t>(r)) *
                4294967296.0);
            // Row r: its diagonal bit, and random bits on the more significant digits.
            const std::uint32_t diag = 1u << (bits - 1 - r);
            lower[r] = diag | (draw & ~((diag << 1) - 1));
        }
        for (int b = 0; b < bits; ++b) {
            std::uint32_t& v = direction_[static_cast<std::size_t>(b) * dims + d];
            std::uint32_t scrambled = 0;
            for (int r = 0; r < bits; ++r) {
                // Output digit r (from the top) is the parity of lower[r] & v.
                if (__builtin_parity(lower[r] & v)) scrambled |= 1u << (bits - 1 - r);
            }
            v = scrambled;
        }
        shift_[d] = static_cast<std::uint32_t>(rng.uniform(2000u + static_cast<std::uint32_t>(d)) *
                                               4294967296.0);
    }
}

std::vector<double> SobolSequence::point(std::uint32_t index) const {
    const auto dims = static_cast<std::size_t>(dims_);
    std::vector<std::uint32_t> acc(shift_);
    const std::uint32_t gray = index ^ (index >> 1);
    for (int r = 0; r < bits && (gray >> r); ++r) {
        if (!(gray >> r & 1)) continue;
        const std::uint32_t* v = &direction_[static_cast<std::size_t>(r) * dims];
        for (std::size_t d = 0; d < dims; ++d) acc[d] ^= v[d];
    }
    std::vector<double> x(dims);
    // Midpoint of the 2^-32 cell: in (0, 1), never 0 (a normal quantile stays finite).
    for (std::size_t d = 0; d < dims; ++d) x[d] = (static_cast<double>(acc[d]) + 0.5) * 0x1.0p-32;
    return x;
}

}  // namespace kaisim::study
