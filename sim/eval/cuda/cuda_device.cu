// The CUDA side of kaisim. For now it only reports the devices present; the scoring kernel
// (one thread per (replicate, team) pair over kaisim/eval/scoring_batch.hpp) comes with the CUDA
// backend issue.
#include <cuda_runtime.h>

#include "kaisim/eval/scoring_batch.hpp"

int kaisim_cuda_device_count_impl() {
    int n = 0;
    // No driver or no device is not an error here: the CPU backend takes over.
    if (cudaGetDeviceCount(&n) != cudaSuccess) {
        cudaGetLastError();  // clear the sticky error
        return 0;
    }
    return n;
}
