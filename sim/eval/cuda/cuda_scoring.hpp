#pragma once
// The interface between the C++ CudaBackend (sim/eval/cuda_backend.cpp) and the CUDA code
// (sim/eval/cuda/cuda_scoring.cu). Plain types only, so neither side sees the other's headers.
#include <cstdint>
#include <string>

#include "kaisim/eval/scoring_batch.hpp"

namespace kaisim::eval::cuda {

struct Context;  ///< device buffers of one backend

int device_count();
std::string device_name(int device);
/// Throws std::runtime_error (with file:line of the failing CUDA call) on any CUDA error.
Context* create(int device);
void destroy(Context* ctx) noexcept;
/// Scores `batch` (host pointers) into `out` (host, n_pairs x n_components).
void score(Context* ctx, const ScoringBatch& batch, double* out,
           std::uint32_t max_pairs_per_launch);
/// Starts scoring `batch` in slot 0 or 1 (its own stream and buffers): the inputs are copied to
/// pinned memory before it returns, the copies and kernels run asynchronously. `out` is written
/// by finish(ctx, slot).
void start(Context* ctx, int slot, const ScoringBatch& batch, double* out,
           std::uint32_t max_pairs_per_launch);
/// Waits for the slot's scoring and writes its results to the `out` given to start().
void finish(Context* ctx, int slot);

}  // namespace kaisim::eval::cuda
