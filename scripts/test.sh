#!/usr/bin/env bash
# The whole test suite from a fresh Debian 12 machine: installs dependencies, checks
# formatting, builds and tests the dev preset, then builds and tests again under
# AddressSanitizer and UndefinedBehaviorSanitizer, and under ThreadSanitizer (the Debian
# package is built and checked from the dev build only).
# usage: scripts/test.sh [--quick]   (--quick: dev preset only)
set -euo pipefail
source "$(dirname "$0")/env.sh"

scripts/install-deps.sh
scripts/check-format.sh

presets=(dev asan-ubsan tsan)
if [ "${1:-}" = "--quick" ]; then
  presets=(dev)
fi
for preset in "${presets[@]}"; do
  echo "== $preset: build"
  scripts/build.sh "$preset"
  echo "== $preset: test"
  ctest --preset "$preset"
done
