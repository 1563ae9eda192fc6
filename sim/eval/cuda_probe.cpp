#include "kaisim/eval/scoring_backend.hpp"

#ifdef KAISIM_HAVE_CUDA
// Defined in sim/eval/cuda/cuda_device.cu (the kaisim_cuda target).
int kaisim_cuda_device_count_impl();
#endif

namespace kaisim::eval {

#ifdef KAISIM_HAVE_CUDA
bool cuda_backend_built() { return true; }
int cuda_device_count() { return kaisim_cuda_device_count_impl(); }
#else
bool cuda_backend_built() { return false; }
int cuda_device_count() { return 0; }
#endif

}  // namespace kaisim::eval
