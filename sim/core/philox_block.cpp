// philox_block: Philox draws for consecutive counters, many per instruction where kaisim was
// built with Google Highway (dispatched at run time like the CPU scoring), else one by one.
#include "kaisim/core/rng.hpp"

#ifdef KAISIM_HAVE_HWY

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "sim/core/philox_block.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "sim/core/philox_lanes.hpp"

HWY_BEFORE_NAMESPACE();
namespace kaisim::core::HWY_NAMESPACE {

void PhiloxBlock(std::uint32_t seed, std::uint32_t replicate, std::uint32_t stream,
                 std::uint32_t c0, std::uint32_t c1, std::uint32_t c2, std::size_t n, Draw4* out) {
    const PhiloxD du;
    const std::size_t lanes = hn::Lanes(du);
    HWY_ALIGN std::uint32_t w[4][hn::MaxLanes(du)];
    for (std::size_t j = 0; j < n; j += lanes) {
        PhiloxV x0 = hn::Set(du, stream), x1 = hn::Set(du, c0),
                x2 = hn::Add(hn::Iota(du, 0), hn::Set(du, static_cast<std::uint32_t>(c1 + j))),
                x3 = hn::Set(du, c2);
        philox_lanes(seed, replicate, x0, x1, x2, x3);
        hn::Store(x0, du, w[0]);
        hn::Store(x1, du, w[1]);
        hn::Store(x2, du, w[2]);
        hn::Store(x3, du, w[3]);
        for (std::size_t l = 0; l < lanes && j + l < n; ++l)
            out[j + l] = Draw4{{w[0][l], w[1][l], w[2][l], w[3][l]}};
    }
}

}  // namespace kaisim::core::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace kaisim::core {
HWY_EXPORT(PhiloxBlock);

void philox_block(std::uint32_t seed, std::uint32_t replicate, Stream stream, std::uint32_t c0,
                  std::uint32_t c1, std::uint32_t c2, std::size_t n, Draw4* out) {
    HWY_DYNAMIC_DISPATCH(PhiloxBlock)
    (seed, replicate, static_cast<std::uint32_t>(stream), c0, c1, c2, n, out);
}
}  // namespace kaisim::core
#endif  // HWY_ONCE

#else  // no Highway

namespace kaisim::core {
void philox_block(std::uint32_t seed, std::uint32_t replicate, Stream stream, std::uint32_t c0,
                  std::uint32_t c1, std::uint32_t c2, std::size_t n, Draw4* out) {
    for (std::size_t j = 0; j < n; ++j)
        out[j] = philox(seed, replicate, stream, c0, c1 + static_cast<std::uint32_t>(j), c2);
}
}  // namespace kaisim::core

#endif  // KAISIM_HAVE_HWY
