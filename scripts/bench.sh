#!/usr/bin/env bash
# Builds the release preset and runs the benchmarks, printing their tables.
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/install-deps.sh
scripts/build.sh release >/dev/null
out/build/release/bench/selector_bench "$@"
