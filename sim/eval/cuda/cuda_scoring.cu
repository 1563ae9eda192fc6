// The CUDA scoring kernel: one thread per (replicate, team) pair, running the same
// score_component() as the CPU backend on the same Philox counters (kaisim/eval/scoring_batch.hpp).
#include <cuda_runtime.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "cuda_scoring.hpp"

#define KAISIM_CUDA_CHECK(call)                                                                   \
    do {                                                                                          \
        const cudaError_t err_ = (call);                                                          \
        if (err_ != cudaSuccess)                                                                  \
            throw std::runtime_error(std::string("CUDA error at ") + __FILE__ + ":" +             \
                                     std::to_string(__LINE__) + ": " + cudaGetErrorString(err_)); \
    } while (0)

namespace kaisim::eval::cuda {

namespace {

__global__ void score_pairs(ScoringBatch b, std::uint32_t first, std::uint32_t count, double* out) {
    const std::uint32_t k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= count) return;
    const std::uint32_t p = first + k;
    for (std::uint32_t c = 0; c < b.n_components; ++c)
        out[static_cast<std::size_t>(k) * b.n_components + c] = score_component(b, p, c);
}

// A device buffer that only grows.
struct Buffer {
    void* ptr = nullptr;
    std::size_t bytes = 0;
    void reserve(std::size_t n) {
        if (n <= bytes) return;
        if (ptr) KAISIM_CUDA_CHECK(cudaFree(ptr));
        ptr = nullptr;
        KAISIM_CUDA_CHECK(cudaMalloc(&ptr, n));
        bytes = n;
    }
    template <class T>
    T* upload(const T* host, std::size_t count) {
        reserve(count * sizeof(T) > 0 ? count * sizeof(T) : 1);
        if (count)
            KAISIM_CUDA_CHECK(cudaMemcpy(ptr, host, count * sizeof(T), cudaMemcpyHostToDevice));
        return static_cast<T*>(ptr);
    }
};

}  // namespace

struct Context {
    int device = 0;
    Buffer components, benches, items, pairs, abilities, proposal, report, out;
    // The stage plan last uploaded: item banks stay on the device while the plan is unchanged.
    std::vector<unsigned char> plan_key;
};

int device_count() {
    int n = 0;
    if (cudaGetDeviceCount(&n) != cudaSuccess) {
        cudaGetLastError();  // no driver or no device: not an error here, the CPU takes over
        return 0;
    }
    return n;
}

std::string device_name(int device) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, device) != cudaSuccess) {
        cudaGetLastError();
        return "";
    }
    return prop.name;
}

Context* create(int device) {
    if (device_count() <= device)
        throw std::runtime_error("no CUDA device " + std::to_string(device));
    KAISIM_CUDA_CHECK(cudaSetDevice(device));
    auto* ctx = new Context;
    ctx->device = device;
    return ctx;
}

void destroy(Context* ctx) noexcept {
    if (!ctx) return;
    for (Buffer* b : {&ctx->components, &ctx->benches, &ctx->items, &ctx->pairs, &ctx->abilities,
                      &ctx->proposal, &ctx->report, &ctx->out})
        if (b->ptr) cudaFree(b->ptr);
    delete ctx;
}

void score(Context* ctx, const ScoringBatch& host, double* out,
           std::uint32_t max_pairs_per_launch) {
    KAISIM_CUDA_CHECK(cudaSetDevice(ctx->device));
    ScoringBatch dev = host;
    // The plan (components, benches, items) is uploaded again only when it changed.
    std::vector<unsigned char> key(sizeof(ComponentPlan) * host.n_components +
                                   sizeof(BenchPlan) * host.n_benches +
                                   sizeof(ItemParams) * host.n_items);
    std::size_t at = 0;
    auto append = [&](const void* p, std::size_t n) {
        if (n) std::memcpy(key.data() + at, p, n);
        at += n;
    };
    append(host.components, sizeof(ComponentPlan) * host.n_components);
    append(host.benches, sizeof(BenchPlan) * host.n_benches);
    append(host.items, sizeof(ItemParams) * host.n_items);
    if (key != ctx->plan_key) {
        ctx->components.upload(host.components, host.n_components);
        ctx->benches.upload(host.benches, host.n_benches);
        ctx->items.upload(host.items, host.n_items);
        ctx->plan_key = std::move(key);
    }
    dev.components = static_cast<const ComponentPlan*>(ctx->components.ptr);
    dev.benches = static_cast<const BenchPlan*>(ctx->benches.ptr);
    dev.items = static_cast<const ItemParams*>(ctx->items.ptr);
    dev.pairs = ctx->pairs.upload(host.pairs, host.n_pairs);
    dev.abilities = ctx->abilities.upload(
        host.abilities, static_cast<std::size_t>(host.n_pairs) * host.ability_stride);
    dev.proposal_logit = ctx->proposal.upload(host.proposal_logit, host.n_pairs);
    dev.report_logit = ctx->report.upload(host.report_logit, host.n_pairs);
    const std::uint32_t launch = max_pairs_per_launch ? max_pairs_per_launch : 1u;
    const std::size_t nc = host.n_components;
    ctx->out.reserve(
        static_cast<std::size_t>(std::min(launch, host.n_pairs)) * nc * sizeof(double) + 1);
    for (std::uint32_t first = 0; first < host.n_pairs; first += launch) {
        const std::uint32_t count = std::min(launch, host.n_pairs - first);
        const unsigned threads = 128;
        score_pairs<<<(count + threads - 1) / threads, threads>>>(
            dev, first, count, static_cast<double*>(ctx->out.ptr));
        KAISIM_CUDA_CHECK(cudaGetLastError());
        // Only the per-pair scores come back.
        KAISIM_CUDA_CHECK(cudaMemcpy(out + static_cast<std::size_t>(first) * nc, ctx->out.ptr,
                                     static_cast<std::size_t>(count) * nc * sizeof(double),
                                     cudaMemcpyDeviceToHost));
    }
}

}  // namespace kaisim::eval::cuda
