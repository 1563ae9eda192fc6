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
    // floor(t), as the scalar code's truncation and correction give it (|t| < 128: exact).
    const VF k = hn::Floor(t);
    const auto ki = hn::ConvertTo(di, k);
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
                                 const float* c, std::size_t blocks, std::size_t tail) {
    const DF df;
    const DU du;
    const DI di;
    const std::size_t lanes = hn::Lanes(df);
    const VF th = hn::Set(df, theta), one = hn::Set(df, 1.0f);
    const auto group = hn::BitCast(du, hn::Iota(di, 0));
    // Word l of lane j answers item 4 j + l of its block: in the tail, the lanes with
    // 4 j + l < tail count.
    const auto first_item = hn::ShiftLeft<2>(hn::Iota(di, 0));
    std::size_t correct = 0;
    // Block k's Philox counters (responses, key, team, item group); its words in place.
    const auto words = [&](std::size_t k, VU(&w)[4]) {
        w[0] = hn::Set(du, static_cast<std::uint32_t>(core::Stream::responses));
        w[1] = hn::Set(du, key);
        w[2] = hn::Set(du, team);
        w[3] = hn::Add(group, hn::Set(du, static_cast<std::uint32_t>(k * lanes)));
    };
    // Block k's items answered with its words, counted.
    const auto score = [&](std::size_t k, const VU(&w)[4]) {
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
            if (k < blocks) {
                correct += hn::CountTrue(df, yes);
            } else {
                const auto in_bank =
                    hn::Lt(hn::Add(first_item, hn::Set(di, static_cast<std::int32_t>(l))),
                           hn::Set(di, static_cast<std::int32_t>(tail)));
                correct += hn::CountTrue(df, hn::And(yes, hn::RebindMask(df, in_bank)));
            }
        }
    };
    // Two blocks at a time: two independent chains of Philox rounds fill the pipeline (each
    // round waits on the last round's multiplications); 5% more responses/s with AVX-512 here.
    const std::size_t all = blocks + (tail > 0 ? 1 : 0);
    std::size_t k = 0;
    for (; k + 2 <= all; k += 2) {
        VU w[4], v[4];
        words(k, w);
        words(k + 1, v);
        core::HWY_NAMESPACE::philox_lanes(seed, replicate, w[0], w[1], w[2], w[3]);
        core::HWY_NAMESPACE::philox_lanes(seed, replicate, v[0], v[1], v[2], v[3]);
        score(k, w);
        score(k + 1, v);
    }
    for (; k < all; ++k) {
        VU w[4];
        words(k, w);
        core::HWY_NAMESPACE::philox_lanes(seed, replicate, w[0], w[1], w[2], w[3]);
        score(k, w);
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
                                                    bank.blocks, bank.tail);
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
    out.tail = n - out.blocks * block;
    out.items = n;
    // The tail's block is padded with copies of the last item: their lanes are masked, and an
    // infinite ability gives them what it gives a real item (a clamped exponential, no NaN).
    const std::size_t padded = (out.blocks + (out.tail > 0 ? 1 : 0)) * block;
    const ItemParams last = n > 0 ? items[n - 1] : ItemParams{};
    out.a.assign(padded, last.a);
    out.b.assign(padded, last.b);
    out.c.assign(padded, last.c);
    for (std::size_t i = 0; i < n; ++i) {
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
