#!/usr/bin/env bash
# Builds the fuzz preset and runs every libFuzzer target (tests/fuzz) for SECONDS each
# (default 60), starting from a copy of its seed corpus (tests/fuzz/corpus/<target>/), so the
# repository is not modified. Fails when any target finds a crash, a sanitizer report, a leak
# or a timeout; the input that caused it is kept in out/fuzz/<target>/.
# usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (FUZZ_JOBS=N runs N targets at a time)
set -euo pipefail
source "$(dirname "$0")/env.sh"

seconds=${1:-60}
shift || true
jobs=${FUZZ_JOBS:-1}
case $seconds in '' | *[!0-9]*)
  echo "fuzz.sh: SECONDS must be a whole number, got '$seconds'" >&2
  exit 2
  ;;
esac

scripts/build.sh fuzz
bin_dir=out/build/fuzz/tests/fuzz
if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for b in "$bin_dir"/fuzz_*; do
    targets+=("${b#"$bin_dir"/fuzz_}")
  done
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts=$FLEET_ROOT/out/fuzz
export UBSAN_OPTIONS="suppressions=$FLEET_ROOT/tests/support/ubsan.supp:print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"

# run_one TARGET: fuzzes TARGET for $seconds; its log is $work/TARGET.log.
run_one() {
  local t=$1
  local bin=$bin_dir/fuzz_$t
  if [ ! -x "$bin" ]; then
    echo "fuzz.sh: no fuzz target '$t' (looked for $bin)" >"$work/$t.log"
    return 1
  fi
  rm -rf "${artifacts:?}/$t"
  mkdir -p "$work/$t/corpus" "$artifacts/$t"
  if [ -d "tests/fuzz/corpus/$t" ]; then
    cp -r "tests/fuzz/corpus/$t/." "$work/$t/corpus/"
  fi
  "$bin" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$t/" "$work/$t/corpus" >"$work/$t.log" 2>&1
}

declare -A status
started=$(date +%s)
running=0
for t in "${targets[@]}"; do
  (run_one "$t") &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true
# Collect the exit statuses (the waits above only throttle).
failed=0
for t in "${targets[@]}"; do
  log=$work/$t.log
  if grep -qE "^(==[0-9]+==ERROR|SUMMARY: |.*runtime error:)|deadly signal|Test unit written" "$log" \
    || ! grep -q "stat::number_of_executed_units" "$log"; then
    status[$t]=FAIL
    failed=1
  else
    status[$t]=ok
  fi
done

printf '%-16s %6s %12s %8s %8s %8s\n' target result execs exec/s cov corpus
for t in "${targets[@]}"; do
  log=$work/$t.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2 || true)
  corpus=$(grep -oE 'corp: [0-9]+' "$log" | tail -1 | cut -d' ' -f2 || true)
  printf '%-16s %6s %12s %8s %8s %8s\n' "$t" "${status[$t]}" "${execs:--}" "${rate:--}" \
    "${cov:--}" "${corpus:--}"
done
echo "fuzz.sh: ${#targets[@]} targets, ${seconds}s each, $(($(date +%s) - started))s in all"

if [ "$failed" -ne 0 ]; then
  for t in "${targets[@]}"; do
    if [ "${status[$t]}" = FAIL ]; then
      echo "== $t failed; its log ends:"
      tail -60 "$work/$t.log"
      echo "== reproduce: $bin_dir/fuzz_$t <input from $artifacts/$t/>"
    fi
  done
  exit 1
fi
