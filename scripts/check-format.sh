#!/usr/bin/env bash
# Fails when a C++ or CUDA source differs from .clang-format (100 columns). Fix: clang-format -i FILE.
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files '*.cpp' '*.hpp' '*.cu' | xargs clang-format --dry-run --Werror
echo "format: ok"
