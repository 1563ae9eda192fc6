#pragma once
// One parity test body for every scoring backend: each backend built runs it against the CPU
// backend and against known answers computed here, independently of the backends.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "kaisim/eval/item_bank.hpp"
#include "kaisim/eval/scoring_backend.hpp"

namespace kaisim::test {

/// A batch with every component kind: two benchmarks, users, a trimmed panel with shared bias.
struct ParityBatch {
    std::vector<eval::ItemParams> items;
    std::vector<eval::BenchPlan> benches;
    std::vector<eval::ComponentPlan> comps;
    std::vector<eval::PairInput> pairs;
    std::vector<float> abilities, proposal, report;
    eval::ScoringBatch batch;

    ParityBatch(const ParityBatch&) = delete;  // `batch` points into this object's lists
    ParityBatch& operator=(const ParityBatch&) = delete;
    ParityBatch(std::uint32_t n_pairs, std::uint32_t n_items) {
        model::Benchmark b;
        b.items = static_cast<int>(n_items);
        b.difficulty_mean = 0.4;
        items = eval::draw_item_bank(b, 0, 77);
        const std::vector<eval::ItemParams> second = eval::draw_item_bank(b, 1, 77);
        items.insert(items.end(), second.begin(), second.end());
        benches = {{0, n_items, -1, 11}, {n_items, n_items, 0, 12}};
        comps.resize(3);
        comps[0] = {};
        comps[0].kind = eval::PlanKind::benchmarks;
        comps[0].first_bench = 0;
        comps[0].n_bench = 2;
        comps[1] = {};
        comps[1].kind = eval::PlanKind::users;
        comps[1].key = 21;
        comps[1].users = 49;
        comps[1].reference_offset = -1.5f;
        comps[1].domain = 0;
        comps[2] = {};
        comps[2].kind = eval::PlanKind::panel;
        comps[2].key = 31;
        comps[2].judges = 10;
        comps[2].noise_sd = 0.5f;
        comps[2].bias_sd = 0.3f;
        comps[2].trimmed = 1;
        comps[2].ability_weight = 1.0f;
        comps[2].report_weight = 0.5f;
        for (std::uint32_t p = 0; p < n_pairs; ++p) {
            pairs.push_back({p / 5, p % 5});
            abilities.push_back(-1.0f + 0.013f * static_cast<float>(p % 211));
            abilities.push_back(0.5f - 0.007f * static_cast<float>(p % 97));
            proposal.push_back(0.1f * static_cast<float>(p % 7) - 0.3f);
            report.push_back(0.2f - 0.05f * static_cast<float>(p % 5));
        }
        batch.seed = 2026;
        batch.components = comps.data();
        batch.n_components = 3;
        batch.benches = benches.data();
        batch.n_benches = 2;
        batch.items = items.data();
        batch.n_items = static_cast<std::uint32_t>(items.size());
        batch.pairs = pairs.data();
        batch.n_pairs = n_pairs;
        batch.abilities = abilities.data();
        batch.ability_stride = 2;
        batch.proposal_logit = proposal.data();
        batch.report_logit = report.data();
        batch.theta_ref = 1.25f;
    }
};

/// Known answer for component 0 of pair p, computed item by item from Philox directly.
inline double known_benchmark_value(const ParityBatch& pb, std::uint32_t p) {
    double sum = 0;
    for (const eval::BenchPlan& bp : pb.benches) {
        const float theta = pb.abilities[p * 2 + (bp.domain < 0 ? 0 : 1 + bp.domain)];
        std::uint32_t correct = 0;
        for (std::uint32_t i = 0; i < bp.items; ++i) {
            const core::Draw4 d =
                core::philox(pb.batch.seed, pb.pairs[p].replicate, core::Stream::responses, bp.key,
                             pb.pairs[p].team, i / 4);
            const eval::ItemParams it = pb.items[bp.first_item + i];
            const float u = static_cast<float>(d.w[i % 4] >> 8) * 0x1.0p-24f;
            const float x = it.a * (theta - it.b);
            correct += (u - it.c) * (1.0f + eval::exp_portable(-x)) < 1.0f - it.c ? 1u : 0u;
        }
        sum += static_cast<double>(correct) / bp.items;
    }
    return sum / 2;
}

/// The parity body: `tested` against `reference` (the CPU backend) and the known answers, on
/// sizes that include one item, one pair and more pairs than one launch of a CUDA backend.
inline void check_backend_parity(eval::ScoringBackend& tested, eval::ScoringBackend& reference,
                                 std::uint32_t large_pairs) {
    struct Size {
        std::uint32_t pairs, items;
    };
    for (const Size s :
         {Size{1, 1}, Size{1, 300}, Size{7, 1}, Size{64, 257}, Size{large_pairs, 40}}) {
        INFO(tested.name() << ": " << s.pairs << " pairs x " << s.items << " items");
        const ParityBatch pb(s.pairs, s.items);
        std::vector<double> got(static_cast<std::size_t>(s.pairs) * 3), want(got.size());
        tested.score(pb.batch, got);
        reference.score(pb.batch, want);
        for (std::uint32_t p = 0; p < s.pairs; ++p) {
            // Counts (benchmarks, users) are identical; panel grades agree within 1e-12 (double
            // exp, log and cos may differ in the last bit between host and device).
            REQUIRE(got[p * 3 + 0] == want[p * 3 + 0]);
            REQUIRE(got[p * 3 + 1] == want[p * 3 + 1]);
            REQUIRE(got[p * 3 + 2] == Approx(want[p * 3 + 2]).epsilon(1e-12));
            if (p < 16) REQUIRE(got[p * 3 + 0] == known_benchmark_value(pb, p));
        }
    }
    // Both slots in flight at once (a backend that overlaps: its own stream and buffers each),
    // with different plans, finished in the other order; then each slot takes the other plan.
    const ParityBatch a(64, 257), b(large_pairs, 40);
    std::vector<double> want_a(64 * 3), want_b(static_cast<std::size_t>(large_pairs) * 3);
    reference.score(a.batch, want_a);
    reference.score(b.batch, want_b);
    for (int round = 0; round < 2; ++round) {
        INFO(tested.name() << ": two slots, round " << round);
        std::vector<double> got_a(want_a.size(), -1), got_b(want_b.size(), -1);
        tested.start(round, a.batch, got_a);
        tested.start(1 - round, b.batch, got_b);
        tested.finish(1 - round);
        tested.finish(round);
        const auto same = [](const std::vector<double>& got, const std::vector<double>& want) {
            for (std::size_t k = 0; k < got.size(); ++k)
                if (k % 3 == 2 ? got[k] != Approx(want[k]).epsilon(1e-12) : got[k] != want[k])
                    return false;
            return true;
        };
        REQUIRE(same(got_a, want_a));
        REQUIRE(same(got_b, want_b));
    }
}

}  // namespace kaisim::test
