// Philox4x32-10 many counters at once, for Highway's per-instruction-set compilation: included
// by a file that re-includes itself through hwy/foreach_target.h, once per target (the guard
// toggles with HWY_TARGET_TOGGLE, as Highway's own -inl headers do). Private to sim/.
#if defined(KAISIM_PHILOX_LANES_HPP_) == defined(HWY_TARGET_TOGGLE)
#ifdef KAISIM_PHILOX_LANES_HPP_
#undef KAISIM_PHILOX_LANES_HPP_
#else
#define KAISIM_PHILOX_LANES_HPP_
#endif

#include <hwy/highway.h>

#include <cstdint>

HWY_BEFORE_NAMESPACE();
namespace kaisim::core::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using PhiloxD = hn::ScalableTag<std::uint32_t>;
using PhiloxV = hn::Vec<PhiloxD>;

// The high and low 32 bits of m x v in every lane.
HWY_INLINE void philox_mulhilo(std::uint32_t m, PhiloxV v, PhiloxV& hi, PhiloxV& lo) {
    const PhiloxD du;
    const PhiloxV mv = hn::Set(du, m);
    lo = hn::Mul(mv, v);
#if HWY_TARGET == HWY_SCALAR
    // One lane: no 64-bit view of a 32-bit vector; the product in a scalar.
    hi = hn::Set(du, static_cast<std::uint32_t>((std::uint64_t{m} * hn::GetLane(v)) >> 32));
#else
    const hn::Repartition<std::uint64_t, PhiloxD> d64;
    const auto even = hn::MulEven(mv, v);  // products of the even lanes, 64 bits each
    const auto odd = hn::MulEven(mv, hn::BitCast(du, hn::ShiftRight<32>(hn::BitCast(d64, v))));
    // An even lane's high half lands in that lane after a 32-bit shift; an odd lane's high half
    // already sits in the odd lane of the 64-bit product.
    hi = hn::OddEven(hn::BitCast(du, odd), hn::BitCast(du, hn::ShiftRight<32>(even)));
#endif
}

// Philox4x32-10 (Salmon et al. 2011, as Random123 computes it) of counters (x0, x1, x2, x3),
// lane by lane, under key (k0, k1): the four output words in x0..x3.
HWY_INLINE void philox_lanes(std::uint32_t k0, std::uint32_t k1, PhiloxV& x0, PhiloxV& x1,
                             PhiloxV& x2, PhiloxV& x3) {
    const PhiloxD du;
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            k0 += 0x9E3779B9u;
            k1 += 0xBB67AE85u;
        }
        PhiloxV hi0, lo0, hi1, lo1;
        philox_mulhilo(0xD2511F53u, x0, hi0, lo0);
        philox_mulhilo(0xCD9E8D57u, x2, hi1, lo1);
        x0 = hn::Xor(hn::Xor(hi1, x1), hn::Set(du, k0));
        x1 = lo1;
        x2 = hn::Xor(hn::Xor(hi0, x3), hn::Set(du, k1));
        x3 = lo0;
    }
}

}  // namespace kaisim::core::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // KAISIM_PHILOX_LANES_HPP_
