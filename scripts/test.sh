#!/usr/bin/env bash
# Installs what is missing, builds (with the CUDA target when nvcc is found) and runs every test;
# then the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer, and the
# scenario-loader fuzzer for 30 s. The same command runs in CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir build --output-on-failure --parallel "$(nproc)"
scripts/fuzz.sh 30
scripts/test-sanitizers.sh
