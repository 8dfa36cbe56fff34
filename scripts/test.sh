#!/usr/bin/env bash
# The whole test suite from a fresh Debian 12 machine: installs dependencies, checks
# formatting, builds and tests the dev preset, then builds and tests again under
# AddressSanitizer and UndefinedBehaviorSanitizer (the Debian package and the browser test run
# from the dev build only) and under ThreadSanitizer (on CAF built with it by
# scripts/build-tsan-caf.sh; the Debian package runs from the dev build only), and runs every
# fuzz target for a short while.
# usage: scripts/test.sh [--quick]
#   --quick: dev preset only
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

# Every fuzz target for a short run (two at a time), so that a regression in a reader of
# untrusted input is caught.
if [ "${1:-}" != "--quick" ]; then
  echo "== fuzz: every target for ${FUZZ_SECONDS:-20}s"
  FUZZ_JOBS=${FUZZ_JOBS:-2} scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
fi
