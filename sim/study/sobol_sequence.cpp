#include "kaisim/study/sobol_sequence.hpp"

#include "kaisim/core/error.hpp"
#include "kaisim/core/rng.hpp"

namespace kaisim::study {

namespace {
// Whether the degree-s polynomial with coefficient bits `poly` (bit s and bit 0 set) is
// primitive over GF(2): x has multiplicative order 2^s - 1 modulo it.
bool primitive(std::uint32_t poly, int s) {
    const std::uint64_t order = (1ull << s) - 1;
    // Order divides 2^s - 1; primitive iff x^((2^s-1)/q) != 1 for every prime q | 2^s - 1, and
    // x^(2^s-1) == 1.
    auto mulmod = [&](std::uint64_t a, std::uint64_t b) {
        std::uint64_t r = 0;
        for (int i = 0; i < s; ++i) {
            if (b >> i & 1) r ^= a << i;
        }
        for (int i = 2 * s - 2; i >= s; --i)
            if (r >> i & 1) r ^= static_cast<std::uint64_t>(poly) << (i - s);
        return r;
    };
    auto powmod = [&](std::uint64_t e) {
        std::uint64_t result = 1, base = 2 % (1ull << s);  // the polynomial x
        if (s == 1) base = 1;                              // modulo x + 1, x == 1
        while (e) {
            if (e & 1) result = mulmod(result, base);
            base = mulmod(base, base);
            e >>= 1;
        }
        return result;
    };
    if (powmod(order) != 1) return false;
    std::uint64_t n = order;
    for (std::uint64_t q = 2; q * q <= n; ++q) {
        if (n % q) continue;
        if (powmod(order / q) == 1) return false;
        while (n % q == 0) n /= q;
    }
    if (n > 1 && n != order && powmod(order / n) == 1) return false;
    return true;
}
}  // namespace

SobolSequence::SobolSequence(int dimensions, std::uint32_t seed) : dims_(dimensions) {
    KAISIM_ASSERT(dimensions >= 1 && dimensions <= max_dimensions);
    direction_.assign(static_cast<std::size_t>(dims_) * 32, 0);
    shift_.assign(static_cast<std::size_t>(dims_), 0);
    const core::RngStream rng(seed, core::shared_replicate, core::Stream::team_draws);
    // Dimension 0 is the van der Corput sequence; the others take primitive polynomials in order
    // of degree, with initial direction numbers m_i odd and below 2^i drawn at random (any such
    // choice gives a valid Sobol' sequence).
    for (int b = 0; b < 32; ++b) direction_[b] = 1u << (31 - b);
    std::uint32_t poly = 3;  // x + 1
    int degree = 1;
    for (int d = 1; d < dims_; ++d) {
        for (;;) {
            poly += 2;  // odd polynomials only (constant term 1)
            if (poly >> (degree + 1)) {
                ++degree;
                poly = (1u << degree) | 1u;
            }
            if (primitive(poly, degree)) break;
        }
        std::uint32_t* v = &direction_[static_cast<std::size_t>(d) * 32];
        for (int i = 0; i < degree && i < 32; ++i) {
            const std::uint32_t m =
                (static_cast<std::uint32_t>(
                     rng.uniform(static_cast<std::uint32_t>(d), static_cast<std::uint32_t>(i)) *
                     (1u << i))
                 << 1) |
                1u;
            v[i] = (m & ((2u << i) - 1)) << (31 - i);
        }
        for (int i = degree; i < 32; ++i) {
            std::uint32_t x = v[i - degree] ^ (v[i - degree] >> degree);
            for (int k = 1; k < degree; ++k)
                if (poly >> (degree - k) & 1) x ^= v[i - k];
            v[i] = x;
        }
    }
    // Linear matrix scramble: multiply each dimension's generator matrix by a random lower
    // triangular matrix with unit diagonal; then a random digital shift.
    for (int d = 0; d < dims_; ++d) {
        std::uint32_t lower[32];
        for (int r = 0; r < 32; ++r) {
            const std::uint32_t bits = static_cast<std::uint32_t>(
                rng.uniform(1000u + static_cast<std::uint32_t>(d), static_cast<std::uint32_t>(r)) *
                4294967296.0);
            // Row r: its diagonal bit, and random bits on the more significant digits.
            const std::uint32_t diag = 1u << (31 - r);
            lower[r] = diag | (bits & ~((diag << 1) - 1));
        }
        std::uint32_t* v = &direction_[static_cast<std::size_t>(d) * 32];
        for (int b = 0; b < 32; ++b) {
            std::uint32_t scrambled = 0;
            for (int r = 0; r < 32; ++r) {
                // Output bit r (from the top) is the parity of lower[r] & v[b].
                if (__builtin_parity(lower[r] & v[b])) scrambled |= 1u << (31 - r);
            }
            v[b] = scrambled;
        }
        shift_[d] = static_cast<std::uint32_t>(rng.uniform(2000u + static_cast<std::uint32_t>(d)) *
                                               4294967296.0);
    }
}

std::vector<double> SobolSequence::point(std::uint32_t index) const {
    std::vector<double> x(static_cast<std::size_t>(dims_));
    for (int d = 0; d < dims_; ++d) {
        std::uint32_t acc = shift_[d];
        const std::uint32_t* v = &direction_[static_cast<std::size_t>(d) * 32];
        for (int b = 0; b < 32 && (index >> b); ++b)
            if (index >> b & 1) acc ^= v[b];
        x[d] = (static_cast<double>(acc) + 0.5) * 0x1.0p-32;
    }
    return x;
}

}  // namespace kaisim::study
