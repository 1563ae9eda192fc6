#!/usr/bin/env bash
# Installs kaisim from a build folder into a scratch prefix and uses it as a user would:
#   1. a program built with find_package(kaisim) against the prefix runs a scenario;
#   2. the installed tree, moved elsewhere, still runs and writes a report (no source path
#      compiled in), with its man page and shell completion in place;
#   3. cpack makes a .deb whose file list holds the same.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR SCRATCH_DIR
set -euo pipefail
build=$1 src=$2 scratch=$3
rm -rf "$scratch"
mkdir -p "$scratch"
cmake --install "$build" --prefix "$scratch/prefix" > "$scratch/install.log"

# 1. A consumer project.
cmake -S "$src/tests/install/consumer" -B "$scratch/consumer" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$scratch/prefix" > "$scratch/consumer-configure.log"
cmake --build "$scratch/consumer" > "$scratch/consumer-build.log"
"$scratch/consumer/consumer" "$src/scenarios/k-ai-2025.yaml" | grep -q '^finalists: [a-z]'
echo "install test: a find_package(kaisim) program ran the reference scenario"

# 2. Move the installed tree; no KAISIM_REPORT_DIR: the report assets are found from the binary.
mv "$scratch/prefix" "$scratch/moved"
unset KAISIM_REPORT_DIR
kaisim="$scratch/moved/bin/kaisim"
"$kaisim" --version | grep -q '^kaisim '
"$kaisim" run "$src/scenarios/k-ai-2025.yaml" --quiet --out "$scratch/run"
if [ -f "$scratch/moved/share/kaisim/reports/node_modules/vega/build/vega.min.js" ]; then
  "$kaisim" report "$scratch/run" > /dev/null
  grep -q 'vega-lite' "$scratch/run/report.html"
  echo "install test: the moved tree wrote a report with its own chart libraries"
else
  echo "install test: chart libraries were not installed (npm ci in reports/ first): report not tried"
fi
test -f "$scratch/moved/share/kaisim/reports/specs/run_funnel.vl.json"
test -f "$scratch/moved/share/bash-completion/completions/kaisim"
test -f "$scratch/moved/share/kaisim/schema/scenario.schema.json"
test -f "$scratch/moved/lib/cmake/kaisim/kaisimConfig.cmake"
test -f "$scratch/moved/include/kaisim/run/replicate.hpp"
for h in scenario/scenario_loader.hpp study_files/sweep_file.hpp output/run_outputs.hpp \
         store/sweep_store.hpp report/report.hpp; do
  test -f "$scratch/moved/include/kaisim/$h" || { echo "not installed: include/kaisim/$h"; exit 1; }
done
if command -v help2man > /dev/null; then
  test -f "$scratch/moved/share/man/man1/kaisim.1"
  grep -q 'kaisim' "$scratch/moved/share/man/man1/kaisim.1"
fi
# The Python package, when built, from the moved tree (its report assets found beside it).
if [ -d "$scratch/moved/lib/python3/dist-packages/kaisim" ]; then
  (cd "$scratch" && PYTHONPATH="$scratch/moved/lib/python3/dist-packages" /usr/bin/python3 -c "
import kaisim
r = kaisim.run(kaisim.load('$src/scenarios/k-ai-2025.yaml'))
assert 'vega-lite' in open(r.report('pyrun'), encoding='utf-8').read()
print('install test: the installed Python package ran and reported', kaisim.version)")
fi
# The completion lists the commands the binary has.
bash -c "source '$scratch/moved/share/bash-completion/completions/kaisim'; \
  COMP_WORDS=('$kaisim' cal); COMP_CWORD=1; _kaisim; [ \"\${COMPREPLY[*]}\" = calibrate ]"
echo "install test: man page, completion, CMake package and headers in place"

# 3. A Debian package.
if command -v dpkg-deb > /dev/null; then
  (cd "$build" && cpack -G DEB -B "$scratch/deb" > "$scratch/cpack.log")
  deb=$(ls "$scratch"/deb/kaisim_*.deb)
  dpkg-deb -c "$deb" > "$scratch/deb-files.txt"
  for f in ./usr/bin/kaisim ./usr/lib/cmake/kaisim/kaisimConfig.cmake \
           ./usr/share/kaisim/reports/specs/run_funnel.vl.json ./usr/include/kaisim/run/replicate.hpp; do
    grep -q " $f\$" "$scratch/deb-files.txt" || { echo "missing from the .deb: $f"; exit 1; }
  done
  dpkg-deb -f "$deb" Depends | grep -q 'libyaml-cpp'
  echo "install test: $(basename "$deb") holds the binary, the package files and the report assets"
fi
rm -rf "$scratch"
