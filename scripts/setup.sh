#!/usr/bin/env bash
# Installs kaisim's build dependencies from Debian's packages when any is missing.
# Idempotent: does nothing when everything is there. Needs root (or sudo) to install.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang-format
  libboost-graph-dev libeigen3-dev libyaml-cpp-dev catch2 librandom123-dev
  libcli11-dev nlohmann-json3-dev libsqlite3-dev libopenmpi-dev openmpi-bin libhwy-dev
  chromium python3 clang libclang-rt-14-dev
  help2man dpkg-dev
  python3-dev pybind11-dev python3-pytest python3-pandas python3-jsonschema python3-openpyxl
  libxlsxwriter-dev libpagmo-dev
)
# Node.js runs the report's browser test and installs the chart libraries; a machine that has a
# node of its own keeps it.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "kaisim setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# The chart libraries inlined into reports (vega, vega-lite, vega-embed) and the browser driver
# of the report test, pinned by reports/package-lock.json.
cd "$(dirname "$0")/../reports"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "kaisim setup: installing the report libraries (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
