#pragma once
// Counter-based random numbers: a draw is a pure function of (seed, replicate, stream, counter)
// (Random123's Philox4x32-10). Usable on host and CUDA device; no state, no global RNG.
#include <Random123/philox.h>

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "kaisim/core/host_device.hpp"

namespace kaisim::core {

/// Streams named by purpose; a stream number is part of every counter.
enum class Stream : std::uint32_t {
    items = 1,      ///< item-bank parameters (once per scenario seed)
    responses = 2,  ///< benchmark item responses
    judges = 3,     ///< expert and review panel noise
    users = 4,      ///< user-evaluation preferences
    failures = 5,   ///< GPU interruptions
    hires = 6,      ///< talent hire arrivals
    disqualification = 7,
    team_draws = 8,  ///< per-replicate team attributes
    tie_break = 9,
    calibration = 10,  ///< ABC-SMC proposals and analytic calibration models
};

/// Replicate number reserved for draws shared by all replicates of a seed (the item banks).
inline constexpr std::uint32_t shared_replicate = 0xFFFFFFFFu;

/// Four 32-bit random words for (seed, replicate, stream, c0, c1, c2).
struct Draw4 {
    std::uint32_t w[4];
};

KAISIM_HD inline Draw4 philox(std::uint32_t seed, std::uint32_t replicate, Stream stream,
                              std::uint32_t c0, std::uint32_t c1, std::uint32_t c2) {
    r123::Philox4x32 gen;
    r123::Philox4x32::key_type key = {{seed, replicate}};
    r123::Philox4x32::ctr_type ctr = {{static_cast<std::uint32_t>(stream), c0, c1, c2}};
    const r123::Philox4x32::ctr_type r = gen(ctr, key);
    return Draw4{{r.v[0], r.v[1], r.v[2], r.v[3]}};
}

#ifndef __CUDACC__
/// philox(seed, replicate, stream, c0, c1 + j, c2) into out[j] for j = 0 .. n - 1 (c1 + j wraps
/// modulo 2^32), many counters per instruction where kaisim was built with Google Highway: the
/// same words as philox, whatever the instruction set.
void philox_block(std::uint32_t seed, std::uint32_t replicate, Stream stream, std::uint32_t c0,
                  std::uint32_t c1, std::uint32_t c2, std::size_t n, Draw4* out);

/// -log(u) for u in (0, 1), relative error at most 2^-51 (tested), with the same bits on every
/// instruction set (IEEE +, -, x, / and bit operations only, unlike libm's log, whose last bit
/// may follow the instruction set).
double neg_log_portable(double u);

/// out[j] = neg_log_portable(u[j]) for j = 0 .. n - 1, many per instruction where kaisim was
/// built with Google Highway: the same bits whatever the instruction set.
void neg_log_block(const double* u, std::size_t n, double* out);
#endif

/// Uniform float in [0, 1) from a 32-bit word (24 significant bits).
KAISIM_HD inline float u01f(std::uint32_t w) {
    return static_cast<float>(w >> 8) * 0x1.0p-24f;
}

/// Uniform double in (0, 1) from two 32-bit words: 52 random bits plus a half-step offset, so the
/// result is exact and never 0 or 1 (with 53 bits the top value would round up to 1).
KAISIM_HD inline double u01_open(std::uint32_t hi, std::uint32_t lo) {
    const std::uint64_t bits = (static_cast<std::uint64_t>(hi) << 20) | (lo >> 12);
    return (static_cast<double>(bits) + 0.5) * 0x1.0p-52;
}

/// Standard normal from two open uniforms (Box-Muller, cosine branch).
KAISIM_HD inline double std_normal(double u1, double u2) {
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);  // C names: also on the device
}

/// Exponential with mean 1 from an open uniform.
KAISIM_HD inline double std_exponential(double u) {
    return -log(u);
}

/// Convenience: a stream bound to (seed, replicate) that hands out doubles by counter.
class RngStream {
  public:
    RngStream(std::uint32_t seed, std::uint32_t replicate, Stream stream)
        : seed_(seed), replicate_(replicate), stream_(stream) {}
    /// Uniform in (0, 1) at counter (c0, c1, c2); `lane` 0 or 1 picks one of two independent draws.
    double uniform(std::uint32_t c0, std::uint32_t c1 = 0, std::uint32_t c2 = 0,
                   int lane = 0) const {
        const Draw4 d = philox(seed_, replicate_, stream_, c0, c1, c2);
        return lane == 0 ? u01_open(d.w[0], d.w[1]) : u01_open(d.w[2], d.w[3]);
    }
    /// Standard normal at counter (c0, c1, c2).
    double normal(std::uint32_t c0, std::uint32_t c1 = 0, std::uint32_t c2 = 0) const {
        const Draw4 d = philox(seed_, replicate_, stream_, c0, c1, c2);
        return std_normal(u01_open(d.w[0], d.w[1]), u01_open(d.w[2], d.w[3]));
    }

  private:
    std::uint32_t seed_, replicate_;
    Stream stream_;
};

}  // namespace kaisim::core
