#!/usr/bin/env bash
# Writes scenarios/schema/*.schema.json with `kaisim schema` from the files kaisim ships (the
# loader's checks while it reads them); with --check, only compares (the test suite does).
# Usage: scripts/schema.sh [--check] [KAISIM_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
check=()
if [ "${1:-}" = "--check" ]; then check=(--check); shift; fi
kaisim=${1:-build/kaisim}
corpus=(scenarios/*.yaml scenarios/sweeps/*.yaml scenarios/calibration/*.yaml scenarios/searches/*.yaml
        tests/inputs/minimal.yaml tests/inputs/funding.yaml tests/inputs/lessor-bar.yaml
        tests/inputs/rules.yaml tests/inputs/two-teams-bench.yaml tests/inputs/two-teams-panel.yaml
        tests/inputs/llama3-snapshot.yaml tests/inputs/sweep-small.yaml
        tests/inputs/calibration-small.yaml tests/inputs/sbc-teams-calibration.yaml
        tests/inputs/search-small.yaml)
"$kaisim" schema "${corpus[@]}" --out scenarios/schema "${check[@]}"
