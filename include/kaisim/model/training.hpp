#pragma once
#include <algorithm>
#include <cstdint>

namespace kaisim::model {

/// GPU interruptions: a Poisson process with rate `rate_per_gpu_h` x GPUs; each loses the work
/// since the last checkpoint (uniform on [0, checkpoint_h]) plus `restart_h` without progress.
struct FailureModel {
    double rate_per_gpu_h =
        1.97e-5;  ///< Llama 3 paper (arXiv 2407.21783): 419 unexpected / (54 d x 16,384 GPUs)
    // Assumption, calibrated: with these, the Llama 3 snapshot (16,384 GPUs, 54 days; FACTS §4)
    // loses 0.3228/h x (0.1 + 0.1) h = 6.5% of its time, inside the ">90% effective training
    // time" the paper reports (tests/inputs/llama3-snapshot.yaml).
    double checkpoint_h = 0.2;  ///< checkpoint interval, hours (assumption, calibrated)
    double restart_h = 0.1;     ///< time to restart after an interruption, hours (assumption)
};

/// One interruption as drawn: the exposure gap since the previous one and the lost fraction.
struct FailureDraw {
    double gap_gpu_h = 0;      ///< GPU-hours of exposure from the previous interruption
    double lost_fraction = 0;  ///< fraction of a checkpoint interval lost, 0..1
};

/// A team's training progress, integrated exactly over intervals of constant GPUs and rate.
///
/// Interruptions are placed on the team's cumulative GPU-hour exposure, so the k-th one is the
/// same draw whatever the allocation (common random numbers across policies). Hours lost to an
/// interruption are consumed from the time after it, carried across intervals when needed.
class TrainingState {
  public:
    /// Advances by `dt_h` hours with `gpus` GPUs training at `flops_per_s` (all GPUs together)
    /// and compute efficiency `efficiency`; `draw(k)` returns the k-th interruption.
    template <class DrawFailure>
    void advance(double dt_h, double gpus, double flops_per_s, double efficiency,
                 const FailureModel& fm, DrawFailure&& draw) {
        if (!(dt_h > 0)) return;
        // The loop runs on a copy of the state (registers: `draw` might otherwise be assumed to
        // change it) and stores it back once; the arithmetic is the same step by step.
        Sums s = sums_;
        double next_at = next_at_gpu_h_, next_lost = next_lost_h_;
        std::uint32_t failures = failures_;
        bool has_next = has_next_;
        double t = 0;
        if (gpus > 0 && fm.rate_per_gpu_h > 0) {
            for (;;) {
                if (!has_next) {
                    const FailureDraw d = draw(failures);
                    next_at = s.exposure_gpu_h + d.gap_gpu_h;
                    next_lost = d.lost_fraction * fm.checkpoint_h + fm.restart_h;
                    has_next = true;
                }
                const double t_fail = t + (next_at - s.exposure_gpu_h) / gpus;
                if (t_fail > dt_h) break;
                s.run_segment(t_fail - t, gpus, flops_per_s, efficiency);
                s.exposure_gpu_h = next_at;
                t = t_fail;
                s.pending_loss_h += next_lost;
                ++failures;
                has_next = false;
            }
        }
        s.run_segment(dt_h - t, gpus, flops_per_s, efficiency);
        next_at_gpu_h_ = next_at;
        next_lost_h_ = next_lost;
        failures_ = failures;
        has_next_ = has_next;
        sums_ = s;
    }

    double flops() const { return sums_.flops; }  ///< FLOP trained, productive only
    double effective_flops() const { return sums_.effective_flops; }  ///< FLOP x efficiency
    double gpu_h() const { return sums_.gpu_h; }                      ///< GPU-hours held
    double productive_gpu_h() const { return sums_.productive_gpu_h; }
    double lost_gpu_h() const { return sums_.lost_gpu_h; }  ///< GPU-hours lost to interruptions
    std::uint32_t failures() const { return failures_; }
    double pending_loss_h() const { return sums_.pending_loss_h; }  ///< lost hours not yet consumed

  private:
    struct Sums {
        double flops = 0, effective_flops = 0;
        double gpu_h = 0, productive_gpu_h = 0, lost_gpu_h = 0;
        double exposure_gpu_h = 0, pending_loss_h = 0;

        void run_segment(double h, double gpus, double flops_per_s, double efficiency) {
            if (!(h > 0)) return;
            const double lost = std::min(h, pending_loss_h);
            pending_loss_h -= lost;
            const double productive = h - lost;
            exposure_gpu_h += gpus * h;
            gpu_h += gpus * h;
            productive_gpu_h += gpus * productive;
            lost_gpu_h += gpus * lost;
            const double f = flops_per_s * 3600.0 * productive;
            flops += f;
            effective_flops += f * efficiency;
        }
    };

    Sums sums_;
    double next_at_gpu_h_ = 0, next_lost_h_ = 0;
    std::uint32_t failures_ = 0;
    bool has_next_ = false;
};

}  // namespace kaisim::model
