#include <catch2/catch.hpp>

#include <vector>

#include "kaisim/model/training.hpp"

using namespace kaisim::model;

namespace {
// Interruptions at fixed exposure gaps (GPU-hours) and lost fractions.
struct ScriptedFailures {
    std::vector<FailureDraw> draws;
    FailureDraw operator()(std::uint32_t k) const {
        return k < draws.size() ? draws[k] : FailureDraw{1e300, 0};
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
