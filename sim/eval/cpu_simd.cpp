// Highway compiles this file once per instruction set (foreach_target) and dispatches at run
// time; every operation mirrors scoring_math.hpp lane by lane, without contraction
// (-ffp-contract=off), so the counts are bit-identical to the scalar and CUDA backends.
#include "cpu_simd.hpp"

#ifdef KAISIM_HAVE_HWY

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "sim/eval/cpu_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>
#include <hwy/targets.h>

#include "sim/core/philox_lanes.hpp"

HWY_BEFORE_NAMESPACE();
namespace kaisim::eval::simd::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using DF = hn::ScalableTag<float>;
using DU = hn::RebindToUnsigned<DF>;
using DI = hn::RebindToSigned<DF>;
using VU = hn::Vec<DU>;
using VF = hn::Vec<DF>;

// exp_portable of scoring_math.hpp, lane by lane.
HWY_INLINE VF exp_portable(VF x) {
    const DF df;
    const DI di;
    // x < -87 ? -87 : (x > 88 ? 88 : x), as the scalar code writes it (a NaN stays NaN; Min and
    // Max would not keep it).
    x = hn::IfThenElse(hn::Lt(x, hn::Set(df, -87.0f)), hn::Set(df, -87.0f),
                       hn::IfThenElse(hn::Gt(x, hn::Set(df, 88.0f)), hn::Set(df, 88.0f), x));
    const VF t = hn::Add(hn::Mul(x, hn::Set(df, 1.44269504f)), hn::Set(df, 0.5f));
    auto ki = hn::ConvertTo(di, t);  // truncation
    ki = hn::IfThenElse(hn::RebindMask(di, hn::Gt(hn::ConvertTo(df, ki), t)),
                        hn::Sub(ki, hn::Set(di, 1)), ki);
    const VF k = hn::ConvertTo(df, ki);
    const VF r = hn::Sub(hn::Sub(x, hn::Mul(k, hn::Set(df, 0.693145752f))),
                         hn::Mul(k, hn::Set(df, 1.42860677e-06f)));
    const VF r2 = hn::Mul(r, r), r4 = hn::Mul(r2, r2);
    const VF p = hn::Add(
        hn::Add(hn::Add(hn::Set(df, 1.0f), r),
                hn::Mul(r2, hn::Add(hn::Set(df, 0.5f), hn::Mul(r, hn::Set(df, 1.0f / 6.0f))))),
        hn::Mul(r4, hn::Add(hn::Set(df, 1.0f / 24.0f), hn::Mul(r, hn::Set(df, 1.0f / 120.0f)))));
    const VF scale = hn::BitCast(df, hn::ShiftLeft<23>(hn::Add(ki, hn::Set(di, 127))));
    return hn::Mul(p, scale);
}

std::size_t BlockItems() {
    return 4 * hn::Lanes(DF());
}

const char* TargetName() {
    return hwy::TargetName(HWY_TARGET);
}

std::uint32_t CountCorrectBlocks(std::uint32_t seed, std::uint32_t replicate, std::uint32_t key,
                                 std::uint32_t team, float theta, const float* a, const float* b,
                                 const float* c, std::size_t blocks) {
    const DF df;
    const DU du;
    const DI di;
    const std::size_t lanes = hn::Lanes(df);
    const VF th = hn::Set(df, theta), one = hn::Set(df, 1.0f);
    const auto group = hn::BitCast(du, hn::Iota(di, 0));
    std::size_t correct = 0;
    for (std::size_t k = 0; k < blocks; ++k) {
        VU w[4] = {hn::Set(du, static_cast<std::uint32_t>(core::Stream::responses)),
                   hn::Set(du, key), hn::Set(du, team),
                   hn::Add(group, hn::Set(du, static_cast<std::uint32_t>(k * lanes)))};
        core::HWY_NAMESPACE::philox_lanes(seed, replicate, w[0], w[1], w[2], w[3]);
        for (std::size_t l = 0; l < 4; ++l) {
            const std::size_t at = (4 * k + l) * lanes;
            const VF va = hn::LoadU(df, a + at), vb = hn::LoadU(df, b + at),
                     vc = hn::LoadU(df, c + at);
            // u01f: the top 24 bits of the word, times 2^-24.
            const VF u = hn::Mul(hn::ConvertTo(df, hn::BitCast(di, hn::ShiftRight<8>(w[l]))),
                                 hn::Set(df, 0x1.0p-24f));
            // responds_correctly: (u - c)(1 + e^-(a (theta - b))) < 1 - c.
            const VF e = exp_portable(hn::Neg(hn::Mul(va, hn::Sub(th, vb))));
            const auto yes = hn::Lt(hn::Mul(hn::Sub(u, vc), hn::Add(one, e)), hn::Sub(one, vc));
            correct += hn::CountTrue(df, yes);
        }
    }
    return static_cast<std::uint32_t>(correct);
}

}  // namespace kaisim::eval::simd::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace kaisim::eval::simd {

HWY_EXPORT(BlockItems);
HWY_EXPORT(TargetName);
HWY_EXPORT(CountCorrectBlocks);

bool available() {
    return true;
}

const char* target_name() {
    return HWY_DYNAMIC_DISPATCH(TargetName)();
}

std::vector<std::string> targets() {
    std::vector<std::string> out;
    for (const std::int64_t t : hwy::SupportedAndGeneratedTargets())
        out.push_back(hwy::TargetName(t));
    return out;
}

bool use_target(const std::string& name) {
    for (const std::int64_t t : hwy::SupportedAndGeneratedTargets())
        if (name == hwy::TargetName(t)) {
            hwy::SetSupportedTargetsForTest(t);
            return true;
        }
    return false;
}

std::size_t block_items() {
    return HWY_DYNAMIC_DISPATCH(BlockItems)();
}

std::uint32_t count_correct_blocks(std::uint32_t seed, std::uint32_t replicate, std::uint32_t key,
                                   std::uint32_t team, float theta, const LaneOrderedBank& bank) {
    return HWY_DYNAMIC_DISPATCH(CountCorrectBlocks)(seed, replicate, key, team, theta,
                                                    bank.a.data(), bank.b.data(), bank.c.data(),
                                                    bank.blocks);
}

}  // namespace kaisim::eval::simd
#endif  // HWY_ONCE

#else  // no Highway: the scalar code scores everything

namespace kaisim::eval::simd {
bool available() {
    return false;
}
const char* target_name() {
    return "scalar";
}
std::vector<std::string> targets() {
    return {"scalar"};
}
bool use_target(const std::string& name) {
    return name == "scalar";
}
std::size_t block_items() {
    return 4;
}
std::uint32_t count_correct_blocks(std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t,
                                   float, const LaneOrderedBank&) {
    return 0;
}
}  // namespace kaisim::eval::simd

#endif  // KAISIM_HAVE_HWY

#if !defined(KAISIM_HAVE_HWY) || HWY_ONCE
namespace kaisim::eval::simd {

LaneOrderedBank lane_order(const ItemParams* items, std::uint32_t n) {
    LaneOrderedBank out;
    if (!available()) return out;
    const std::size_t block = block_items(), lanes = block / 4;
    out.blocks = n / block;
    const std::size_t whole = out.blocks * block;
    out.a.resize(whole);
    out.b.resize(whole);
    out.c.resize(whole);
    for (std::size_t i = 0; i < whole; ++i) {
        const std::size_t k = i / block, g = i / 4 - k * lanes, l = i % 4;
        const std::size_t at = k * block + l * lanes + g;
        out.a[at] = items[i].a;
        out.b[at] = items[i].b;
        out.c[at] = items[i].c;
    }
    return out;
}

}  // namespace kaisim::eval::simd
#endif
