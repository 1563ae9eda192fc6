// -log(u) for u in (0, 1) with the same bits on every instruction set: IEEE additions,
// multiplications, one division and bit operations only, no fused multiply-add (kaisim_core is
// built with -ffp-contract=off), many values per instruction where kaisim was built with Google
// Highway. The GPU interruptions' exponential gaps take it a block at a time.
//
// log u = e ln 2 + log m with u = m 2^e, m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(s) with
// s = (m - 1) / (m + 1), |s| < 0.1716, summed as 2s (1 + s^2/3 + s^4/5 + ... + s^20/21): the
// next term is below 1e-18 of the sum. ln 2 is split in a part with 21 trailing zero bits (e ln 2
// exact for any exponent) and the rest.
#include <cstring>

#include "kaisim/core/rng.hpp"

#ifndef KAISIM_NEG_LOG_CONSTANTS  // this file is compiled once per instruction set
#define KAISIM_NEG_LOG_CONSTANTS
namespace kaisim::core::neg_log_constants {
constexpr double ln2_hi = 0x1.62e42fee00000p-1;
constexpr double ln2_lo = 0x1.a39ef35793c76p-33;
constexpr std::int64_t mantissa_mask = 0x000FFFFFFFFFFFFF;
constexpr std::int64_t sqrt2_mantissa = 0x6A09E667F3BCD;  ///< sqrt(2)'s 52 mantissa bits
}  // namespace kaisim::core::neg_log_constants
#endif

#ifdef KAISIM_HAVE_HWY

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "sim/core/neg_log.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace kaisim::core::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

void NegLogBlock(const double* u, std::size_t n, double* out) {
    using namespace neg_log_constants;
    const hn::ScalableTag<double> d;
    const hn::RebindToSigned<decltype(d)> di;
    const std::size_t lanes = hn::Lanes(d);
    HWY_ALIGN double tail_in[hn::MaxLanes(d)] = {}, tail_out[hn::MaxLanes(d)];
    for (std::size_t j = 0; j < n; j += lanes) {
        const bool whole = j + lanes <= n;
        if (!whole) {
            for (std::size_t l = 0; l < lanes; ++l) tail_in[l] = j + l < n ? u[j + l] : 0.5;
        }
        const auto bits = hn::BitCast(di, hn::LoadU(d, whole ? u + j : tail_in));
        const auto mant = hn::And(bits, hn::Set(di, mantissa_mask));
        const auto k = hn::IfThenElseZero(hn::Gt(mant, hn::Set(di, sqrt2_mantissa - 1)),
                                          hn::Set(di, std::int64_t{1}));
        const auto e =
            hn::ConvertTo(d, hn::Add(hn::Sub(hn::ShiftRight<52>(bits), hn::Set(di, 1023)), k));
        const auto m =
            hn::BitCast(d, hn::Or(mant, hn::ShiftLeft<52>(hn::Sub(hn::Set(di, 1023), k))));
        const auto f = hn::Sub(m, hn::Set(d, 1.0));
        const auto s = hn::Div(f, hn::Add(hn::Set(d, 2.0), f));
        const auto z = hn::Mul(s, s);
        auto p = hn::Set(d, 1.0 / 21);
        for (int c = 19; c >= 3; c -= 2) p = hn::Add(hn::Mul(p, z), hn::Set(d, 1.0 / c));
        const auto two_s = hn::Add(s, s);
        const auto log_m = hn::Add(two_s, hn::Mul(two_s, hn::Mul(z, p)));
        const auto r = hn::Neg(hn::Add(hn::Mul(e, hn::Set(d, ln2_hi)),
                                       hn::Add(hn::Mul(e, hn::Set(d, ln2_lo)), log_m)));
        if (whole) {
            hn::StoreU(r, d, out + j);
        } else {
            hn::Store(r, d, tail_out);
            for (std::size_t l = 0; j + l < n; ++l) out[j + l] = tail_out[l];
        }
    }
}

}  // namespace kaisim::core::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // KAISIM_HAVE_HWY

#if !defined(KAISIM_HAVE_HWY) || HWY_ONCE
namespace kaisim::core {

double neg_log_portable(double u) {
    using namespace neg_log_constants;
    std::int64_t bits;
    std::memcpy(&bits, &u, sizeof bits);
    const std::int64_t mant = bits & mantissa_mask;
    const std::int64_t k = mant >= sqrt2_mantissa ? 1 : 0;
    const double e = static_cast<double>((bits >> 52) - 1023 + k);
    const std::int64_t m_bits = mant | ((1023 - k) << 52);
    double m;
    std::memcpy(&m, &m_bits, sizeof m);
    const double f = m - 1.0;
    const double s = f / (2.0 + f);
    const double z = s * s;
    double p = 1.0 / 21;
    for (int c = 19; c >= 3; c -= 2) p = p * z + 1.0 / c;
    const double two_s = s + s;
    const double log_m = two_s + two_s * (z * p);
    return -(e * ln2_hi + (e * ln2_lo + log_m));
}

#ifdef KAISIM_HAVE_HWY
HWY_EXPORT(NegLogBlock);

void neg_log_block(const double* u, std::size_t n, double* out) {
    HWY_DYNAMIC_DISPATCH(NegLogBlock)(u, n, out);
}
#else
void neg_log_block(const double* u, std::size_t n, double* out) {
    for (std::size_t j = 0; j < n; ++j) out[j] = neg_log_portable(u[j]);
}
#endif

}  // namespace kaisim::core
#endif
