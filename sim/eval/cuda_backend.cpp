#include <stdexcept>

#include "kaisim/core/error.hpp"
#include "kaisim/eval/scoring_backend.hpp"

#ifdef KAISIM_HAVE_CUDA
#include "cuda/cuda_scoring.hpp"
#endif

namespace kaisim::eval {

#ifdef KAISIM_HAVE_CUDA

namespace {
class CudaBackend final : public ScoringBackend {
  public:
    CudaBackend(int device, std::uint32_t max_pairs)
        : ctx_(cuda::create(device)), max_pairs_(max_pairs) {}
    ~CudaBackend() override { cuda::destroy(ctx_); }
    CudaBackend(const CudaBackend&) = delete;
    CudaBackend& operator=(const CudaBackend&) = delete;
    std::string name() const override { return "cuda"; }
    // A device fills at about 1e5 pairs and more (issue 14's H200 measurement: 1.2e11 item
    // responses/s at 15 k pairs, 6.1e11 at 1.5 M): 4,096 replicates give 20 to 60 k pairs a call
    // at 5 to 15 teams. Assumption: a few hundred MB of races on the host, not measured on a
    // device.
    std::uint32_t batch_replicates() const override { return 4096; }
    void score(const ScoringBatch& batch, std::span<double> out) override {
        KAISIM_ASSERT(out.size() == static_cast<std::size_t>(batch.n_pairs) * batch.n_components);
        if (batch.n_pairs == 0 || batch.n_components == 0) return;
        cuda::score(ctx_, batch, out.data(), max_pairs_);
    }
    // Two slots, each with its own stream: a driver simulates one half of a batch while the
    // device scores the other.
    bool overlaps() const override { return true; }
    void start(int slot, const ScoringBatch& batch, std::span<double> out) override {
        KAISIM_ASSERT(out.size() == static_cast<std::size_t>(batch.n_pairs) * batch.n_components);
        cuda::start(ctx_, slot, batch, out.data(), max_pairs_);
    }
    void finish(int slot) override { cuda::finish(ctx_, slot); }

  private:
    cuda::Context* ctx_;
    std::uint32_t max_pairs_;
};
}  // namespace

bool cuda_backend_built() {
    return true;
}
int cuda_device_count() {
    return cuda::device_count();
}
std::string cuda_device_name(int device) {
    return cuda::device_name(device);
}
std::unique_ptr<ScoringBackend> make_cuda_backend(int device, std::uint32_t max_pairs_per_launch) {
    return std::make_unique<CudaBackend>(device, max_pairs_per_launch);
}

#else

bool cuda_backend_built() {
    return false;
}
int cuda_device_count() {
    return 0;
}
std::string cuda_device_name(int) {
    return "";
}
std::unique_ptr<ScoringBackend> make_cuda_backend(int, std::uint32_t) {
    throw std::runtime_error(
        "this kaisim was built without CUDA (configure with -DKAISIM_CUDA=ON where nvcc is "
        "installed)");
}

#endif

std::unique_ptr<ScoringBackend> make_backend(const std::string& choice, int threads) {
    if (choice == "cuda") {
        if (!cuda_backend_built())
            throw std::invalid_argument(
                "--backend cuda: this kaisim was built without CUDA (configure with "
                "-DKAISIM_CUDA=ON "
                "where nvcc is installed)");
        if (cuda_device_count() == 0)
            throw std::invalid_argument("--backend cuda: no CUDA device is present");
        return make_cuda_backend(0);
    }
    if (choice == "auto" && cuda_device_count() > 0) return make_cuda_backend(0);
    if (choice != "auto" && choice != "cpu")
        throw std::invalid_argument("unknown backend '" + choice + "'");
    return std::make_unique<CpuBackend>(threads);
}

}  // namespace kaisim::eval
