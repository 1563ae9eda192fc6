#include "kaisim/programme/training_advance.hpp"

#include <array>
#include <tuple>

#include "kaisim/core/rng.hpp"
#include "kaisim/programme/team_capability.hpp"

namespace kaisim::programme {

void advance_training(RaceState& st, double t_h) {
    const double dt = t_h - st.now_h;
    if (dt <= 0) return;
    const model::Scenario& sc = *st.sc;
    const model::FailureModel& fm = sc.failures;
    const double units_per_gpu = st.quota_units_per_gpu();
    double allocated = 0;
    for (std::uint32_t i = 0; i < st.teams.size(); ++i) {
        TeamState& s = st.teams[i];
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
        allocated += prog;
        const double productive0 = s.training.productive_gpu_h(), lost0 = s.training.lost_gpu_h();
        if (!(s.efficiency_researchers == s.researchers)) {
            s.efficiency = efficiency(st, i);
            s.efficiency_researchers = s.researchers;
        }
        s.training.advance(dt, prog + own, rate, s.efficiency, fm, [&](std::uint32_t k) {
            // Draws are asked for in order (k = 0, 1, ...): a block of them at a time, the same
            // words as core::philox(seed, replicate, failures, i, k, 0), turned into gaps and
            // lost fractions together (independent logarithms overlap in the pipeline).
            if (k < s.failure_first || k - s.failure_first >= s.failures.size()) {
                s.failure_first = k;
                std::array<core::Draw4, std::tuple_size_v<decltype(s.failures)>> words;
                core::philox_block(sc.seed, st.replicate, core::Stream::failures, i, k, 0,
                                   words.size(), words.data());
                for (std::size_t j = 0; j < words.size(); ++j) {
                    const core::Draw4& d = words[j];
                    s.failures[j] = model::FailureDraw{
                        core::std_exponential(core::u01_open(d.w[0], d.w[1])) / fm.rate_per_gpu_h,
                        core::u01_open(d.w[2], d.w[3])};
                }
            }
            return s.failures[k - s.failure_first];
        });
        if (prog + own > 0) {
            const double share = prog / (prog + own);
            s.prog_productive_gpu_h += share * (s.training.productive_gpu_h() - productive0);
            s.prog_lost_gpu_h += share * (s.training.lost_gpu_h() - lost0);
        }
        s.prog_gpu_h += prog * dt;
        s.own_gpu_h += own * dt;
        s.unmet_gpu_h += s.unmet_units / units_per_gpu * dt;
        // The programme pays for the leased GPUs it assigns; capacity it leaves unassigned
        // stays with the provider.
        st.ledger.add(model::Category::gpu, static_cast<int>(i), st.now_h, t_h,
                      s.lease_krw_per_h * dt);
    }
    st.pool.capacity_gpu_h += st.pool_gpus * dt;
    st.pool.allocated_gpu_h += allocated * dt;
    st.now_h = t_h;
}

}  // namespace kaisim::programme
