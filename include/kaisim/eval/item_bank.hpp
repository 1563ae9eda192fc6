#pragma once
#include <cstdint>
#include <vector>

#include "kaisim/eval/scoring_math.hpp"
#include "kaisim/model/stage.hpp"

namespace kaisim::eval {

/// Draws the items of benchmark `index` for `seed`: the same for every replicate of the seed.
std::vector<ItemParams> draw_item_bank(const model::Benchmark& bench, std::uint32_t index,
                                       std::uint32_t seed);

/// Draws the banks of all benchmarks of a scenario, in order.
std::vector<std::vector<ItemParams>> draw_item_banks(const std::vector<model::Benchmark>& benches,
                                                     std::uint32_t seed);

/// Expected fraction correct at ability `theta` over a bank (the exact mean of the 3PL model).
double expected_score(const std::vector<ItemParams>& bank, double theta);

}  // namespace kaisim::eval
