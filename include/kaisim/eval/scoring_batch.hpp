#pragma once
// A batch of (replicate, team) pairs to score at one stage, as plain arrays that a CUDA kernel
// can read as well as the CPU (no std containers, no virtuals).
#include <cstdint>

#include "kaisim/core/host_device.hpp"
#include "kaisim/eval/scoring_math.hpp"

namespace kaisim::eval {

enum class PlanKind : std::uint32_t { benchmarks = 0, panel = 1, users = 2 };

/// A benchmark of a stage: a slice of the stage's item array.
struct BenchPlan {
    std::uint32_t first_item;
    std::uint32_t items;
    std::int32_t domain;  ///< -1 = general ability
    std::uint32_t key;    ///< counter word identifying (stage, component, benchmark)
};

/// A stage component, flattened.
struct ComponentPlan {
    PlanKind kind;
    std::uint32_t key;          ///< counter word identifying (stage, component)
    std::uint32_t first_bench;  ///< benchmarks: slice of the bench array
    std::uint32_t n_bench;
    std::int32_t domain;  ///< panels, users: -1 = general ability
    std::uint32_t judges;
    float noise_sd, bias_sd;
    std::uint32_t trimmed;
    float ability_weight, proposal_weight, report_weight;
    std::uint32_t users;
    float reference_offset;
};

/// One (replicate, team) to score.
struct PairInput {
    std::uint32_t replicate;
    std::uint32_t team;  ///< team index in the scenario (part of every counter)
};

/// Everything a backend needs; pointers stay owned by the caller.
struct ScoringBatch {
    std::uint32_t seed = 0;
    const ComponentPlan* components = nullptr;
    std::uint32_t n_components = 0;
    const BenchPlan* benches = nullptr;
    std::uint32_t n_benches = 0;
    const ItemParams* items = nullptr;
    std::uint32_t n_items = 0;
    const PairInput* pairs = nullptr;
    std::uint32_t n_pairs = 0;
    const float* abilities = nullptr;  ///< n_pairs x ability_stride: [0] general, [1 + d] domain d
    std::uint32_t ability_stride = 1;
    const float* proposal_logit = nullptr;  ///< per pair
    const float* report_logit = nullptr;    ///< per pair
    float theta_ref = 0;                    ///< frontier ability at the stage date, logits
};

/// Ability of pair `p` in `domain` (-1 = general).
KAISIM_HD inline float pair_ability(const ScoringBatch& b, std::uint32_t p, std::int32_t domain) {
    return b.abilities[p * b.ability_stride + (domain < 0 ? 0 : 1 + domain)];
}

/// Raw value of component `c` for pair `p`: fraction correct, fraction preferring, or grade.
KAISIM_HD inline double score_component(const ScoringBatch& b, std::uint32_t p, std::uint32_t c) {
    const ComponentPlan& cp = b.components[c];
    const PairInput pair = b.pairs[p];
    switch (cp.kind) {
        case PlanKind::benchmarks: {
            double sum = 0;
            for (std::uint32_t k = 0; k < cp.n_bench; ++k) {
                const BenchPlan& bp = b.benches[cp.first_bench + k];
                const std::uint32_t n =
                    count_correct(b.seed, pair.replicate, bp.key, pair.team,
                                  pair_ability(b, p, bp.domain), b.items + bp.first_item, bp.items);
                sum += static_cast<double>(n) / bp.items;
            }
            return cp.n_bench ? sum / cp.n_bench : 0.0;
        }
        case PlanKind::users: {
            const float delta = pair_ability(b, p, cp.domain) - (b.theta_ref + cp.reference_offset);
            const std::uint32_t yes =
                count_preferences(b.seed, pair.replicate, cp.key, pair.team, delta, cp.users);
            return cp.users ? static_cast<double>(yes) / cp.users : 0.0;
        }
        case PlanKind::panel: {
            const double perceived =
                cp.ability_weight *
                    (pair_ability(b, p, cp.domain) - (b.theta_ref + cp.reference_offset)) +
                cp.proposal_weight * b.proposal_logit[p] + cp.report_weight * b.report_logit[p];
            return panel_grade(b.seed, pair.replicate, cp.key, pair.team, perceived, cp.judges,
                               cp.noise_sd, cp.bias_sd, cp.trimmed != 0);
        }
    }
    return 0.0;
}

}  // namespace kaisim::eval
