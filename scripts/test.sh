#!/usr/bin/env bash
# Installs what is missing, builds (with the CUDA target when nvcc is found) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir build --output-on-failure --parallel "$(nproc)"
