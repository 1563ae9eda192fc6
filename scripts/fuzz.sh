#!/usr/bin/env bash
# Fuzzes the scenario loader (overlays and --set edits included) with libFuzzer under ASan and
# UBSan for a fixed time, seeded with scenarios/, tests/inputs/ (the invalid corpus too) and
# tests/fuzz/corpus/ (earlier findings). Fails on any finding: the input is kept in build-fuzz/
# (crash-*, timeout-*, oom-*); once fixed, copy it into tests/fuzz/corpus/ as a regression.
# Usage: scripts/fuzz.sh [SECONDS]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DKAISIM_FUZZ=ON -DKAISIM_TESTS=OFF -DKAISIM_CUDA=OFF -DKAISIM_MPI=OFF >/dev/null
cmake --build build-fuzz --target kaisim_fuzz_scenario --parallel "$(nproc)"
work=build-fuzz/corpus
mkdir -p "$work"
seeds=(scenarios scenarios/what-if tests/inputs tests/inputs/invalid tests/fuzz/corpus)
cd build-fuzz
log=fuzz.log
if ! ./kaisim_fuzz_scenario -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 corpus "${seeds[@]/#/../}" >"$log" 2>&1; then
  tail -60 "$log"
  echo "fuzz: FAILED, the input is in build-fuzz/ (crash-*, timeout-*, oom-*)" >&2
  exit 1
fi
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
echo "fuzz: ${seconds} s, ${runs} inputs, corpus $(ls corpus | wc -l) files, no finding"
