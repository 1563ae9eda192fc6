#!/usr/bin/env bash
# The browser test of the reports: a run and a Monte Carlo report of the reference scenario, a
# calibration report (ABC and likelihood), a scenario discovery report and a policy search report, rendered in headless
# Chromium. Exits 77 (CTest: skipped) where Chromium,
# Node.js or the chart libraries are missing; CI installs them (scripts/setup.sh).
# Usage: render_test.sh KAISIM_BINARY SOURCE_DIR WORK_DIR
set -euo pipefail
kaisim=$1 src=$2 work=$3
export KAISIM_REPORT_DIR="$src/reports"
if ! command -v node >/dev/null || [ ! -x "${KAISIM_CHROMIUM:-/usr/bin/chromium}" ] || [ ! -d "$KAISIM_REPORT_DIR/node_modules/playwright-core" ]; then
  echo "Chromium, Node.js or reports/node_modules missing: report render test skipped"
  exit 77
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "Node.js $(node --version) is older than 20, which playwright-core needs: report render test skipped"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work"
cd "$src"
"$kaisim" run scenarios/k-ai-2025.yaml --seed 1 --quiet --report --out "$work/run"
"$kaisim" run scenarios/k-ai-2025.yaml --seed 1 --replicates 300 --threads 2 --quiet --report --out "$work/mc" 2>/dev/null
"$kaisim" calibrate tests/inputs/calibration-small.yaml --quiet --report --out "$work/calibration"
# A likelihood calibration (the temperature chart), small: 16 particles.
sed -e 's/particles: 64/particles: 16/' -e "s|scenario: sbc-teams.yaml|scenario: $src/tests/inputs/sbc-teams.yaml|" \
  tests/inputs/sbc-teams-calibration.yaml > "$work/likelihood.yaml"
"$kaisim" calibrate "$work/likelihood.yaml" --quiet --report --out "$work/likelihood"
"$kaisim" sweep tests/inputs/sweep-small.yaml --quiet --out "$work/sweep"
"$kaisim" discover "$work/sweep" --metric selection_correct_panel --above 0.62 --quiet --out "$work/discover"
"$kaisim" report "$work/discover" > /dev/null
"$kaisim" optimise tests/inputs/search-robust.yaml --quiet --report --out "$work/optimise"
for kind in run mc calibration likelihood discover optimise; do
  node "$src/tests/report/render.mjs" "$work/$kind/report.html" "$work/report-$kind.png" > "$work/render-$kind.json" \
    || { cat "$work/render-$kind.json"; exit 1; }
  echo "$kind report: all charts drawn, no errors, no requests; screenshot $work/report-$kind.png"
done
