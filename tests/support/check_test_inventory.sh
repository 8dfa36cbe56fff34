#!/usr/bin/env bash
# Fails unless every test binary registered exactly as many CTest tests as it lists itself,
# and at least one. Catch2 v2's discovery registers zero tests, silently, when a binary
# crashes while listing them.
# usage: check_test_inventory.sh CTEST BUILD_DIR PREFIX=BINARY...
set -u
ctest=$1 build_dir=$2
shift 2
status=0
for entry in "$@"; do
  prefix=${entry%%=*} binary=${entry#*=}
  listed=$("$binary" --list-test-names-only 2>/dev/null | grep -c .)
  registered=$(cd "$build_dir" && "$ctest" -N -R "^${prefix}\\." | grep -c "Test *#")
  if [ "$listed" -eq 0 ] || [ "$listed" -ne "$registered" ]; then
    echo "FAIL: $prefix: binary lists $listed tests, ctest registered $registered"
    status=1
  else
    echo "ok: $prefix: $listed tests"
  fi
done
exit $status
