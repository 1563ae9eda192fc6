#!/usr/bin/env bash
# Configures and builds kaisim in build/ (Release; with MPI for distributed sweeps; the CUDA
# target too when nvcc is found).
# Extra arguments go to the configure step, e.g. scripts/build.sh -DKAISIM_CUDA=OFF
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# nvcc is often installed outside PATH: let CMake find it there.
if ! command -v nvcc >/dev/null 2>&1 && [ -x /usr/local/cuda/bin/nvcc ]; then
  export PATH="/usr/local/cuda/bin:$PATH"
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DKAISIM_WERROR=ON -DKAISIM_MPI=ON "$@" >/dev/null
cmake --build build --parallel "$(nproc)"
