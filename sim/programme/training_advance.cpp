#include "kaisim/programme/training_advance.hpp"

#include <array>
#include <span>
#include <tuple>

#include "kaisim/core/rng.hpp"
#include "kaisim/programme/team_capability.hpp"

namespace kaisim::programme {

void advance_team(RaceState& st, std::uint32_t i, double t_h) {
    TeamState& s = st.teams[i];
    const double dt = t_h - s.trained_h;
    if (dt <= 0) return;
    const model::Scenario& sc = *st.sc;
    const model::FailureModel& fm = sc.failures;
    const model::Team& t = sc.teams[i];
    double prog = 0, own = 0, rate = 0;
    for (std::size_t k = 0; k < s.gpus.size(); ++k) {
        prog += s.gpus[k];
        rate += s.gpus[k] * sc.gpu_types[k].peak_flops * t.mfu;
    }
    for (const model::GpuCount& g : t.own_gpus) {
        own += g.count;
        rate += g.count * sc.gpu_types[g.type].peak_flops * t.mfu;
    }
    const double productive0 = s.training.productive_gpu_h(), lost0 = s.training.lost_gpu_h();
    if (!(s.efficiency_researchers == s.researchers)) {
        s.efficiency = efficiency(st, i);
        s.efficiency_researchers = s.researchers;
    }
    s.training.advance(dt, prog + own, rate, s.efficiency, fm, [&](std::uint32_t k) {
        // Draws are asked for in order (k = 0, 1, ...): a block of them at a time, the same
        // words as core::philox(seed, replicate, failures, i, k, 0), turned into gaps
        // (exponential, by the portable logarithm, many per instruction) and lost fractions.
        if (k < s.failure_first || k - s.failure_first >= s.failures.size()) {
            s.failure_first = k;
            constexpr std::size_t n = std::tuple_size_v<decltype(s.failures)>;
            std::array<core::Draw4, n> words;
            std::array<double, n> u, gap;
            core::philox_block(sc.seed, st.replicate, core::Stream::failures, i, k, 0, n,
                               words.data());
            for (std::size_t j = 0; j < n; ++j) u[j] = core::u01_open(words[j].w[0], words[j].w[1]);
            core::neg_log_block(u.data(), n, gap.data());
            for (std::size_t j = 0; j < n; ++j)
                s.failures[j] = model::FailureDraw{gap[j] / fm.rate_per_gpu_h,
                                                   core::u01_open(words[j].w[2], words[j].w[3])};
        }
        return std::span<const model::FailureDraw>(s.failures).subspan(k - s.failure_first);
    });
    if (prog + own > 0) {
        const double share = prog / (prog + own);
        s.prog_productive_gpu_h += share * (s.training.productive_gpu_h() - productive0);
        s.prog_lost_gpu_h += share * (s.training.lost_gpu_h() - lost0);
    }
    s.prog_gpu_h += prog * dt;
    s.own_gpu_h += own * dt;
    s.unmet_gpu_h += s.unmet_units / st.quota_units_per_gpu() * dt;
    st.pool.allocated_gpu_h += prog * dt;
    // The programme pays for the leased GPUs it assigns; capacity it leaves unassigned stays
    // with the provider.
    st.ledger.add(model::Category::gpu, static_cast<int>(i), s.trained_h, t_h,
                  s.lease_krw_per_h * dt);
    s.trained_h = t_h;
}

void advance_training(RaceState& st, double t_h) {
    for (std::uint32_t i = 0; i < st.teams.size(); ++i) advance_team(st, i, t_h);
    if (t_h > st.pool_h) {
        st.pool.capacity_gpu_h += st.pool_gpus * (t_h - st.pool_h);
        st.pool_h = t_h;
    }
    if (t_h > st.now_h) st.now_h = t_h;
}

}  // namespace kaisim::programme
