#!/usr/bin/env bash
# The GPU check, for a machine with an NVIDIA device: builds with CUDA, runs the backend parity
# tests there, and measures both scoring backends. Writes everything to ${OUT:-device-results}/.
# Usage: scripts/device-check.sh        (about 3 minutes on an H100/H200 machine)
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-device-results}"
mkdir -p "$out"
{
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1
  command -v nvcc >/dev/null || export PATH="/usr/local/cuda/bin:$PATH"
  nvcc --version | tail -2
} > "$out/device.txt" 2>&1
cmake -S . -B build-device -DCMAKE_BUILD_TYPE=Release -DKAISIM_CUDA=ON -DKAISIM_TESTS=ON > "$out/configure.txt" 2>&1
cmake --build build-device --parallel "$(nproc)" > "$out/build.txt" 2>&1 || { echo "build failed"; tail -40 "$out/build.txt"; exit 1; }
./build-device/kaisim_cuda_tests > "$out/parity.txt" 2>&1; echo "parity exit code: $?" >> "$out/parity.txt"
(cd build-device && ctest --output-on-failure -j "$(nproc)") > "$out/ctest.txt" 2>&1
./build-device/kaisim bench scoring --backend cuda --threads "$(nproc)" > "$out/bench-scoring.txt" 2>&1
./build-device/kaisim bench scoring --backend cpu --threads 1 >> "$out/bench-scoring.txt" 2>&1
./build-device/kaisim bench replicates --backend cuda --threads "$(nproc)" --replicates 20000 > "$out/bench-replicates.txt" 2>&1
./build-device/kaisim bench replicates --backend cpu --threads "$(nproc)" --replicates 20000 >> "$out/bench-replicates.txt" 2>&1
cat "$out"/device.txt "$out"/parity.txt "$out"/bench-*.txt
tail -3 "$out/ctest.txt"
