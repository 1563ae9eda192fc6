#!/usr/bin/env bash
# Fuzzes the loaders with libFuzzer under ASan and UBSan, each for a fixed time: the scenario
# loader (overlays and --set edits included), seeded with scenarios/, tests/inputs/ (the invalid
# corpus too) and tests/fuzz/corpus/ (earlier findings); then the study loaders (calibration,
# observations, search and sweep files, posterior.csv), seeded with tests/fuzz/study-corpus/.
# Fails on any finding: the input is kept in build-fuzz/ (crash-*, timeout-*, oom-*); once fixed,
# copy it into tests/fuzz/corpus/ (or tests/fuzz/study-corpus/finding-*.txt) as a regression.
# Usage: scripts/fuzz.sh [SECONDS]   (default 30, for each target)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DKAISIM_FUZZ=ON -DKAISIM_TESTS=OFF -DKAISIM_CUDA=OFF -DKAISIM_MPI=OFF >/dev/null
cmake --build build-fuzz --target kaisim_fuzz_scenario kaisim_fuzz_study --parallel "$(nproc)"
cd build-fuzz
# fuzz TARGET CORPUS SEEDS...: one target for $seconds; fails with the log's tail on a finding.
fuzz() {
  local target="$1" work="$2"
  shift 2
  mkdir -p "$work"
  local log="$target.log"
  if ! "./$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 "$work" "$@" >"$log" 2>&1; then
    tail -60 "$log"
    echo "fuzz: $target FAILED, the input is in build-fuzz/ (crash-*, timeout-*, oom-*)" >&2
    exit 1
  fi
  local runs
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  echo "fuzz: $target ${seconds} s, ${runs} inputs, corpus $(ls "$work" | wc -l) files, no finding"
}
seeds=(scenarios scenarios/what-if tests/inputs tests/inputs/invalid tests/fuzz/corpus)
fuzz kaisim_fuzz_scenario corpus "${seeds[@]/#/../}"
fuzz kaisim_fuzz_study study-corpus ../tests/fuzz/study-corpus
