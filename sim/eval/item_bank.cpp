#include "kaisim/eval/item_bank.hpp"

#include <cmath>

#include "kaisim/core/rng.hpp"

namespace kaisim::eval {

std::vector<ItemParams> draw_item_bank(const model::Benchmark& bench, std::uint32_t index,
                                       std::uint32_t seed) {
    std::vector<ItemParams> bank(static_cast<std::size_t>(bench.items));
    const core::RngStream rng(seed, core::shared_replicate, core::Stream::items);
    for (std::uint32_t i = 0; i < bank.size(); ++i) {
        const double za = rng.normal(index, i, 0), zb = rng.normal(index, i, 1);
        bank[i].a = static_cast<float>(
            std::exp(bench.discrimination_log_mean + bench.discrimination_log_sd * za));
        bank[i].b = static_cast<float>(bench.difficulty_mean + bench.difficulty_sd * zb);
        bank[i].c = static_cast<float>(bench.guessing);
    }
    return bank;
}

std::vector<std::vector<ItemParams>> draw_item_banks(const std::vector<model::Benchmark>& benches,
                                                     std::uint32_t seed) {
    std::vector<std::vector<ItemParams>> banks;
    for (std::uint32_t b = 0; b < benches.size(); ++b)
        banks.push_back(draw_item_bank(benches[b], b, seed));
    return banks;
}

double expected_score(const std::vector<ItemParams>& bank, double theta) {
    if (bank.empty()) return 0;
    double sum = 0;
    for (const ItemParams& it : bank) sum += p_correct(static_cast<float>(theta), it);
    return sum / static_cast<double>(bank.size());
}

}  // namespace kaisim::eval
