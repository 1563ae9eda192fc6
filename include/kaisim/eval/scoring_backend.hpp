#pragma once
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "kaisim/eval/scoring_batch.hpp"

namespace kaisim::eval {

/// Scores a whole batch of (replicate, team) pairs at one stage in one call.
class ScoringBackend {
  public:
    virtual ~ScoringBackend() = default;
    /// "cpu" or "cuda".
    virtual std::string name() const = 0;
    /// Writes raw component values to `out` (n_pairs x n_components, row-major by pair).
    virtual void score(const ScoringBatch& batch, std::span<double> out) = 0;
    /// Replicates a driver advances in lock-step by default, so that one call holds enough
    /// (replicate, team) pairs to keep the backend busy. Results do not depend on it.
    virtual std::uint32_t batch_replicates() const { return 256; }
    /// Whether score() may be called from several threads at once, each with a part of the
    /// batch (a driver then lets each thread score the replicates it advances, with no barrier
    /// between threads at a stage).
    virtual bool scores_concurrently() const { return false; }

    /// Whether the backend scores asynchronously in two slots (a device): a driver then
    /// overlaps its simulation of one half of a batch with the scoring of the other half.
    virtual bool overlaps() const { return false; }
    /// Starts scoring `batch` into `out` in `slot` (0 or 1, not in use) and may return before
    /// `out` is written. The batch's arrays and `out` must stay valid and unchanged until
    /// finish(slot). The default scores here and now.
    virtual void start(int slot, const ScoringBatch& batch, std::span<double> out) {
        (void)slot;
        score(batch, out);
    }
    /// Waits until the scoring started in `slot` has written its `out`.
    virtual void finish(int slot) { (void)slot; }
};

/// Scores on the host with `threads` threads (1 = the calling thread only). With `simd` (and a
/// build with Google Highway), benchmark items are scored many per instruction at the best
/// instruction set the machine has, chosen at run time; the results are bit-identical to the
/// scalar code's.
class CpuBackend final : public ScoringBackend {
  public:
    explicit CpuBackend(int threads = 1, bool simd = true)
        : threads_(threads < 1 ? 1 : threads), simd_(simd) {}
    std::string name() const override { return "cpu"; }
    void score(const ScoringBatch& batch, std::span<double> out) override;
    /// A call from a thread of a parallel region scores on that thread alone.
    bool scores_concurrently() const override { return true; }
    /// Threads run groups of a batch and meet at its end, where they wait for the last group:
    /// the larger the batch, the less they wait (`bench replicates`, 2 threads, here: about 2%
    /// of the threads' time idle at 256, 1% at 1,024). Assumption: 1,024 keeps a Monte Carlo's
    /// two batches of digests a few MB and still folds one while the next is simulated from
    /// 2,048 replicates on.
    std::uint32_t batch_replicates() const override { return 1024; }

  private:
    int threads_;
    bool simd_;
};

/// The instruction set the CPU backend's SIMD scoring runs on here ("AVX3" is AVX-512, "AVX2",
/// "SSE4", ...; "scalar" in a build without Highway).
std::string cpu_simd_target();
/// The instruction sets the CPU backend's SIMD scoring can use here, best first.
std::vector<std::string> cpu_simd_targets();
/// Makes the SIMD scoring (and every other SIMD code of kaisim) use instruction set `name`, one
/// of cpu_simd_targets(), for the rest of the process (benchmarks compare them); else throws
/// std::invalid_argument naming those there are.
void use_cpu_simd_target(const std::string& name);

/// Whether the optional CUDA backend was compiled in.
bool cuda_backend_built();
/// Number of CUDA devices usable now (0 when not built or no device/driver).
int cuda_device_count();
/// Name of CUDA device `device` ("" when there is none).
std::string cuda_device_name(int device = 0);
/// The backend a user asked for: "cpu", "cuda" (std::invalid_argument when CUDA was not built or
/// no device is present, with the reason), or "auto" (CUDA when a device is present, else CPU).
std::unique_ptr<ScoringBackend> make_backend(const std::string& choice, int threads);

/// The CUDA backend on `device`: item banks stay in device memory between calls, a batch is
/// scored in launches of at most `max_pairs_per_launch` pairs, one thread per pair. Throws
/// std::runtime_error when CUDA was not built or no device is usable.
std::unique_ptr<ScoringBackend> make_cuda_backend(int device = 0,
                                                  std::uint32_t max_pairs_per_launch = 1u << 20);

}  // namespace kaisim::eval
