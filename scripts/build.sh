#!/usr/bin/env bash
# Configures and builds one CMake preset (default: dev).
# usage: scripts/build.sh [dev|asan-ubsan|tsan|release]
set -euo pipefail
source "$(dirname "$0")/env.sh"
preset=${1:-dev}
if [ "$preset" = tsan ]; then
  scripts/build-tsan-caf.sh
fi
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
