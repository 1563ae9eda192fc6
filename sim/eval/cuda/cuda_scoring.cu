// The CUDA scoring kernel: one thread per (replicate, team) pair, running the same
// score_component() as the CPU backend on the same Philox counters (kaisim/eval/scoring_batch.hpp).
#include <cuda_runtime.h>

#include <algorithm>
#include <array>
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
    void release() noexcept {
        if (ptr) cudaFree(ptr);
        ptr = nullptr;
    }
};

// Page-locked host memory that only grows: copies from and to it run asynchronously.
struct Pinned {
    unsigned char* ptr = nullptr;
    std::size_t bytes = 0;
    void reserve(std::size_t n) {
        if (n <= bytes) return;
        if (ptr) KAISIM_CUDA_CHECK(cudaFreeHost(ptr));
        ptr = nullptr;
        KAISIM_CUDA_CHECK(cudaHostAlloc(reinterpret_cast<void**>(&ptr), n, cudaHostAllocDefault));
        bytes = n;
    }
    void release() noexcept {
        if (ptr) cudaFreeHost(ptr);
        ptr = nullptr;
    }
};

// Where each per-pair input array lies in one staging area (offsets aligned to 16 bytes).
struct Layout {
    std::size_t pairs = 0, abilities = 0, proposal = 0, report = 0, total = 0;
    explicit Layout(const ScoringBatch& b) {
        const auto place = [this](std::size_t bytes) {
            const std::size_t at = total;
            total += (bytes + 15) / 16 * 16;
            return at;
        };
        pairs = place(sizeof(PairInput) * b.n_pairs);
        abilities = place(sizeof(float) * static_cast<std::size_t>(b.n_pairs) * b.ability_stride);
        proposal = place(sizeof(float) * b.n_pairs);
        report = place(sizeof(float) * b.n_pairs);
    }
};

// One of the two scorings that may be in flight: its own stream, device buffers and pinned
// host buffers, so that one slot's copies and kernels never wait on the other's.
struct Slot {
    cudaStream_t stream = nullptr;
    Buffer components, benches, items, inputs, out;
    Pinned staged, results;
    // The stage plan last uploaded: item banks stay on the device while the plan is unchanged.
    std::vector<unsigned char> plan_key;
    double* out_host = nullptr;  // where finish() puts the results
    std::size_t out_count = 0;
    bool busy = false;
};

}  // namespace

struct Context {
    int device = 0;
    std::array<Slot, 2> slots;
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
    for (Slot& slot : ctx->slots) {
        const cudaError_t err = cudaStreamCreateWithFlags(&slot.stream, cudaStreamNonBlocking);
        if (err != cudaSuccess) {
            destroy(ctx);
            KAISIM_CUDA_CHECK(err);
        }
    }
    return ctx;
}

void destroy(Context* ctx) noexcept {
    if (!ctx) return;
    cudaSetDevice(ctx->device);
    for (Slot& slot : ctx->slots) {
        if (slot.stream) {
            cudaStreamSynchronize(slot.stream);
            cudaStreamDestroy(slot.stream);
        }
        for (Buffer* b : {&slot.components, &slot.benches, &slot.items, &slot.inputs, &slot.out})
            b->release();
        slot.staged.release();
        slot.results.release();
    }
    delete ctx;
}

void start(Context* ctx, int which, const ScoringBatch& host, double* out,
           std::uint32_t max_pairs_per_launch) {
    KAISIM_CUDA_CHECK(cudaSetDevice(ctx->device));
    Slot& slot = ctx->slots.at(static_cast<std::size_t>(which));
    if (slot.busy) {  // started and never finished (an exception in between): drop it
        slot.busy = false;
        KAISIM_CUDA_CHECK(cudaStreamSynchronize(slot.stream));
    }
    ScoringBatch dev = host;
    // The plan (components, benches, items) is uploaded again only when it changed. Its source,
    // the stage plan, outlives the run, so a copy from pageable memory may complete later. Each
    // slot keeps its own plan: the two halves of a batch stand at different stages in turn.
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
    if (key != slot.plan_key) {
        const auto upload = [&](Buffer& to, const void* from, std::size_t bytes) {
            to.reserve(bytes > 0 ? bytes : 1);
            if (bytes)
                KAISIM_CUDA_CHECK(
                    cudaMemcpyAsync(to.ptr, from, bytes, cudaMemcpyHostToDevice, slot.stream));
        };
        slot.plan_key.clear();  // a failure below leaves no key that matches
        upload(slot.components, host.components, sizeof(ComponentPlan) * host.n_components);
        upload(slot.benches, host.benches, sizeof(BenchPlan) * host.n_benches);
        upload(slot.items, host.items, sizeof(ItemParams) * host.n_items);
        slot.plan_key = std::move(key);
    }
    dev.components = static_cast<const ComponentPlan*>(slot.components.ptr);
    dev.benches = static_cast<const BenchPlan*>(slot.benches.ptr);
    dev.items = static_cast<const ItemParams*>(slot.items.ptr);
    // The per-pair inputs: into pinned memory here, then one asynchronous copy.
    const Layout lay(host);
    slot.staged.reserve(lay.total + 1);
    slot.inputs.reserve(lay.total + 1);
    const auto stage = [&](std::size_t offset, const void* from, std::size_t bytes) {
        if (bytes) std::memcpy(slot.staged.ptr + offset, from, bytes);
        return static_cast<unsigned char*>(slot.inputs.ptr) + offset;
    };
    const std::size_t np = host.n_pairs;
    dev.pairs =
        reinterpret_cast<const PairInput*>(stage(lay.pairs, host.pairs, sizeof(PairInput) * np));
    dev.abilities = reinterpret_cast<const float*>(
        stage(lay.abilities, host.abilities, sizeof(float) * np * host.ability_stride));
    dev.proposal_logit = reinterpret_cast<const float*>(
        stage(lay.proposal, host.proposal_logit, sizeof(float) * np));
    dev.report_logit =
        reinterpret_cast<const float*>(stage(lay.report, host.report_logit, sizeof(float) * np));
    if (lay.total)
        KAISIM_CUDA_CHECK(cudaMemcpyAsync(slot.inputs.ptr, slot.staged.ptr, lay.total,
                                          cudaMemcpyHostToDevice, slot.stream));
    const std::uint32_t launch = max_pairs_per_launch ? max_pairs_per_launch : 1u;
    const std::size_t nc = host.n_components;
    const std::size_t out_bytes = np * nc * sizeof(double);
    slot.out.reserve(out_bytes + 1);
    slot.results.reserve(out_bytes + 1);
    auto* dev_out = static_cast<double*>(slot.out.ptr);
    // 64-bit: first += launch on 32 bits would wrap when n_pairs is within `launch` of 2^32.
    for (std::uint64_t at = 0; at < host.n_pairs; at += launch) {
        const auto first = static_cast<std::uint32_t>(at);
        const std::uint32_t count = std::min(launch, host.n_pairs - first);
        const unsigned threads = 128;
        score_pairs<<<(count + threads - 1) / threads, threads, 0, slot.stream>>>(
            dev, first, count, dev_out + static_cast<std::size_t>(first) * nc);
        KAISIM_CUDA_CHECK(cudaGetLastError());
    }
    // Only the per-pair scores come back.
    if (out_bytes)
        KAISIM_CUDA_CHECK(cudaMemcpyAsync(slot.results.ptr, dev_out, out_bytes,
                                          cudaMemcpyDeviceToHost, slot.stream));
    slot.out_host = out;
    slot.out_count = np * nc;
    slot.busy = true;
}

void finish(Context* ctx, int which) {
    KAISIM_CUDA_CHECK(cudaSetDevice(ctx->device));
    Slot& slot = ctx->slots.at(static_cast<std::size_t>(which));
    if (!slot.busy) return;
    slot.busy = false;
    KAISIM_CUDA_CHECK(cudaStreamSynchronize(slot.stream));
    if (slot.out_count)
        std::memcpy(slot.out_host, slot.results.ptr, slot.out_count * sizeof(double));
}

void score(Context* ctx, const ScoringBatch& batch, double* out,
           std::uint32_t max_pairs_per_launch) {
    start(ctx, 0, batch, out, max_pairs_per_launch);
    finish(ctx, 0);
}

}  // namespace kaisim::eval::cuda
