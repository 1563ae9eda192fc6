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
    /// and compute efficiency `efficiency`. `draws(k)` returns the interruptions from the k-th
    /// on, as many as are at hand (at least one): a span of FailureDraw.
    template <class Draws>
    void advance(double dt_h, double gpus, double flops_per_s, double efficiency,
                 const FailureModel& fm, Draws&& draws) {
        if (!(dt_h > 0)) return;
        // GPUs, rate and efficiency are constant over the interval, so only the hours lost need
        // following interruption by interruption; the sums take them once at the end. Within
        // the interval, time t runs from 0 and the job is restarting or redoing lost work until
        // `busy`: an interruption at t_fail moves it to max(busy, t_fail) + its loss (two
        // operations carried from one interruption to the next). The loop over a span of draws
        // makes no call, so its state stays in registers.
        double exposure = sums_.exposure_gpu_h, busy = sums_.pending_loss_h, lost = 0, t = 0;
        double next_at = next_at_gpu_h_, next_lost = next_lost_h_;
        std::uint32_t failures = failures_;
        bool has_next = has_next_;
        // Takes the interruption `to_next` GPU-hours of exposure ahead if it falls within the
        // interval; false if it does not.
        const auto take = [&](double to_next, double loss) {
            const double t_fail = t + to_next / gpus;
            if (t_fail > dt_h) return false;
            lost += std::min(busy, t_fail) - t;  // busy >= t: the hours up to it not trained
            busy = std::max(busy, t_fail) + loss;
            exposure += to_next;
            t = t_fail;
            ++failures;
            return true;
        };
        if (gpus > 0 && fm.rate_per_gpu_h > 0 &&
            (!has_next || take(next_at - exposure, next_lost))) {
            for (bool within = true; within;) {
                for (const FailureDraw& d : draws(failures)) {
                    const double loss = d.lost_fraction * fm.checkpoint_h + fm.restart_h;
                    if (!take(d.gap_gpu_h, loss)) {
                        next_at = exposure + d.gap_gpu_h;
                        next_lost = loss;
                        within = false;
                        break;
                    }
                }
            }
            has_next = true;
        }
        lost += std::min(busy, dt_h) - t;
        const double pending = std::max(busy - dt_h, 0.0);
        exposure += gpus * (dt_h - t);
        const double productive = dt_h - lost;
        const double f = flops_per_s * 3600.0 * productive;
        sums_.flops += f;
        sums_.effective_flops += f * efficiency;
        sums_.gpu_h += gpus * dt_h;
        sums_.productive_gpu_h += gpus * productive;
        sums_.lost_gpu_h += gpus * lost;
        sums_.exposure_gpu_h = exposure;
        sums_.pending_loss_h = pending;
        next_at_gpu_h_ = next_at;
        next_lost_h_ = next_lost;
        failures_ = failures;
        has_next_ = has_next;
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
    };

    Sums sums_;
    double next_at_gpu_h_ = 0, next_lost_h_ = 0;
    std::uint32_t failures_ = 0;
    bool has_next_ = false;
};

}  // namespace kaisim::model
