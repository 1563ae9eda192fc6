#!/usr/bin/env bash
# Installs what is missing, builds (with the CUDA target when nvcc is found) and runs every test;
# then checks that every figure the README quotes is what the binary prints now; then fuzzes the
# scenario loader for 30 s, then runs the whole suite again under AddressSanitizer +
# UndefinedBehaviorSanitizer. The same command runs in CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir build --output-on-failure --parallel "$(nproc)"
python3 scripts/readme-figures.py --check   # the README cannot drift from the binary
scripts/fuzz.sh 30
scripts/test-sanitizers.sh
