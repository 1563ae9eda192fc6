#pragma once
// The SIMD kernel of the CPU backend: benchmark item responses, many items per instruction, at
// the best instruction set this machine has (Google Highway's runtime dispatch: AVX-512, AVX2,
// SSE4, ... down to portable scalar code). Private to sim/eval.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kaisim/eval/scoring_math.hpp"

namespace kaisim::eval::simd {

/// Whether kaisim was built with Highway (else the functions below are not used).
bool available();
/// Name of the instruction set the dispatch chose ("AVX3", "AVX2", ...; "scalar" without
/// Highway).
const char* target_name();
/// The instruction sets this machine can run that kaisim was compiled for, best first.
std::vector<std::string> targets();
/// Makes the dispatch use instruction set `name` (one of targets()); false when it is not.
bool use_target(const std::string& name);
/// Items per block: 4 x the float lanes of the chosen target (each Philox call gives 4 words).
std::size_t block_items();

/// A benchmark's items in lane order, as count_correct_blocks reads them: for block k of
/// block_items() items and lanes L = block_items() / 4, item 4 (k L + j) + l (Philox group
/// k L + j, word l) sits at k block_items() + l L + j, as three arrays (a, b, c). `blocks` whole
/// blocks, then `tail` items (fewer than a block) in one more block, padded with copies of the
/// last item; `items` of the bank in all (0 without Highway: the scalar code scores them).
struct LaneOrderedBank {
    std::vector<float> a, b, c;
    std::size_t blocks = 0, tail = 0;
    std::uint32_t items = 0;
};
LaneOrderedBank lane_order(const ItemParams* items, std::uint32_t n);

/// Correct answers of one (replicate, team) on the bank.items items of `bank` (its whole blocks,
/// then its tail with the lanes past the last item masked off): the same count, item for item,
/// as count_correct on those items (the same Philox counters, the same float operations lane by
/// lane).
std::uint32_t count_correct_blocks(std::uint32_t seed, std::uint32_t replicate, std::uint32_t key,
                                   std::uint32_t team, float theta, const LaneOrderedBank& bank);

}  // namespace kaisim::eval::simd
