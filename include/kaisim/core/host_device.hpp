#pragma once
/// KAISIM_HD marks functions compiled for both host and CUDA device (empty outside nvcc).
#if defined(__CUDACC__)
#define KAISIM_HD __host__ __device__
#else
#define KAISIM_HD
#endif
