#include <catch2/catch.hpp>

#include <algorithm>
#include <span>
#include <vector>

#include "kaisim/model/training.hpp"

using namespace kaisim::model;

namespace {
// Interruptions at fixed exposure gaps (GPU-hours) and lost fractions, handed out `block` at a
// time (after the script: one far away).
struct ScriptedFailures {
    std::vector<FailureDraw> draws;
    std::size_t block = 1;
    std::span<const FailureDraw> operator()(std::uint32_t k) const {
        static const FailureDraw never{1e300, 0};
        if (k >= draws.size()) return {&never, 1};
        return std::span<const FailureDraw>(draws).subspan(k, std::min(block, draws.size() - k));
    }
};
const FailureModel fm{1e-5, 2.0, 0.5};  // 2 h checkpoints, 0.5 h restart
}  // namespace

TEST_CASE("training: without interruptions FLOP = rate x time, exactly") {
    TrainingState s;
    s.advance(10.0, 100, 5e16, 2.0, fm, ScriptedFailures{});
    s.advance(5.0, 200, 1e17, 1.0, fm, ScriptedFailures{});
    REQUIRE(s.flops() == 5e16 * 3600 * 10 + 1e17 * 3600 * 5);
    REQUIRE(s.effective_flops() == 2 * 5e16 * 3600 * 10 + 1e17 * 3600 * 5);
    REQUIRE(s.gpu_h() == 100 * 10 + 200 * 5);
    REQUIRE(s.lost_gpu_h() == 0);
}

TEST_CASE("training: one interruption loses the work since the checkpoint plus the restart") {
    // 100 GPUs; the interruption comes after 1,000 GPU-hours = 10 h and loses
    // 0.25 x 2 h + 0.5 h = 1 h. Over 20 h: 19 h productive.
    TrainingState s;
    s.advance(20.0, 100, 5e16, 2.0, fm, ScriptedFailures{{{1000, 0.25}}});
    REQUIRE(s.failures() == 1);
    REQUIRE(s.flops() == Approx(5e16 * 3600 * 19).epsilon(1e-12));
    REQUIRE(s.effective_flops() == Approx(2 * 5e16 * 3600 * 19).epsilon(1e-12));
    REQUIRE(s.productive_gpu_h() == Approx(1900).epsilon(1e-12));
    REQUIRE(s.lost_gpu_h() == Approx(100).epsilon(1e-12));
    REQUIRE(s.gpu_h() == Approx(2000).epsilon(1e-12));
}

TEST_CASE("training: a loss near the end of an interval carries into the next") {
    // Interruption at 19.8 h: 0.2 h lost now, the remaining 0.8 h in the next interval.
    TrainingState s;
    const ScriptedFailures f{{{1980, 0.25}}};
    s.advance(20.0, 100, 1e16, 1.0, fm, f);
    REQUIRE(s.pending_loss_h() == Approx(0.8).epsilon(1e-9));
    REQUIRE(s.productive_gpu_h() == Approx(1980).epsilon(1e-12));
    s.advance(10.0, 100, 1e16, 1.0, fm, f);
    REQUIRE(s.pending_loss_h() == 0);
    REQUIRE(s.productive_gpu_h() == Approx(1980 + 920).epsilon(1e-12));
    REQUIRE(s.flops() == Approx(1e16 * 3600 * 29).epsilon(1e-12));
}

TEST_CASE("training: interruptions sit on GPU-hour exposure, so more GPUs bring them sooner") {
    // Exposure 1,500 GPU-h: 10 h at 100 GPUs gives 1,000; at 200 GPUs the rest takes 2.5 h.
    TrainingState s;
    const ScriptedFailures f{{{1500, 0.0}}};
    s.advance(10.0, 100, 1e16, 1.0, fm, f);
    REQUIRE(s.failures() == 0);
    s.advance(2.4, 200, 2e16, 1.0, fm, f);
    REQUIRE(s.failures() == 0);
    s.advance(0.2, 200, 2e16, 1.0, fm, f);
    REQUIRE(s.failures() == 1);
    // Loss 0 x 2 h + 0.5 h restart: 0.1 h of the 0.2 h step after it is lost.
    REQUIRE(s.lost_gpu_h() == Approx(200 * 0.1).epsilon(1e-9));
    REQUIRE(s.pending_loss_h() == Approx(0.4).epsilon(1e-9));
}

TEST_CASE("training: one long interval equals the same interval in pieces, whatever the block") {
    // The programme integrates a team only when its GPUs, rate or efficiency change: that is
    // right only if cutting an interval changes no interruption and no hour.
    ScriptedFailures f;
    for (int k = 0; k < 60; ++k)
        f.draws.push_back({37.0 + 53.0 * ((k * 7) % 11), 0.1 * (k % 10)});  // 37..567 GPU-h
    const auto run = [&](const std::vector<double>& cuts, std::size_t block) {
        ScriptedFailures g = f;
        g.block = block;
        TrainingState s;
        double from = 0;
        for (double to : cuts) {
            s.advance(to - from, 40, 4e16, 1.5, fm, g);
            from = to;
        }
        return s;
    };
    const TrainingState whole = run({300.0}, 1);
    REQUIRE(whole.failures() > 30);  // most of the script falls inside the interval
    for (std::size_t block : {std::size_t{1}, std::size_t{4}, std::size_t{60}}) {
        for (const auto& cuts : {std::vector<double>{300.0},
                                 std::vector<double>{0.5, 17.25, 17.5, 100, 211.125, 299.9, 300}}) {
            const TrainingState s = run(cuts, block);
            REQUIRE(s.failures() == whole.failures());
            REQUIRE(s.flops() == Approx(whole.flops()).epsilon(1e-12));
            REQUIRE(s.effective_flops() == Approx(whole.effective_flops()).epsilon(1e-12));
            REQUIRE(s.productive_gpu_h() == Approx(whole.productive_gpu_h()).epsilon(1e-12));
            REQUIRE(s.lost_gpu_h() == Approx(whole.lost_gpu_h()).epsilon(1e-12));
            REQUIRE(s.gpu_h() == Approx(40 * 300.0).epsilon(1e-12));
            REQUIRE(s.pending_loss_h() == Approx(whole.pending_loss_h()).margin(1e-9));
        }
    }
    // The hours add up: what was lost is the interruptions' losses less what is still pending.
    double losses = 0;
    for (std::uint32_t k = 0; k < whole.failures(); ++k)
        losses += f.draws[k].lost_fraction * fm.checkpoint_h + fm.restart_h;
    REQUIRE(whole.lost_gpu_h() == Approx(40 * (losses - whole.pending_loss_h())).epsilon(1e-12));
}
