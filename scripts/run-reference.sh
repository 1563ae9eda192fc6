#!/usr/bin/env bash
# The main job: installs what is missing, builds, and simulates the reference programme
# (scenarios/k-ai-2025.yaml), printing a summary and writing outputs to out/k-ai-2025/.
# Extra arguments go to `kaisim run`, e.g. scripts/run-reference.sh --seed 7
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
./build/kaisim run scenarios/k-ai-2025.yaml --out out/k-ai-2025 "$@"
