#!/usr/bin/env bash
# Regenerates the golden outputs of the reference scenario (tests/golden/k-ai-2025-seed1).
# Run after an intended change of the model or the outputs, then review `git diff tests/golden`.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build --target kaisim
./build/kaisim run scenarios/k-ai-2025.yaml --seed 1 --quiet --out tests/golden/k-ai-2025-seed1
rm -f tests/golden/k-ai-2025-seed1/kaisim-outputs.json  # run id and time: not golden
echo "golden files rewritten: review them with git diff tests/golden"
