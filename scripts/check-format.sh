#!/usr/bin/env bash
# Fails when a tracked C++ file differs from .clang-format's layout.
# usage: scripts/check-format.sh [--fix]
set -euo pipefail
source "$(dirname "$0")/env.sh"
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' 2>/dev/null || true)
if [ ${#files[@]} -eq 0 ]; then
  mapfile -t files < <(find common coordinator agent tests bench tools -name '*.[ch]pp' 2>/dev/null)
fi
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
else
  clang-format --dry-run --Werror "${files[@]}"
fi
