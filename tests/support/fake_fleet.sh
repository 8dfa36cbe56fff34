# Sourced by the shell tests that run a real fleet-coordinator against fake panels: makes the
# work dir `work`, starts one fake-xui with the panels given (its answer in $work/fake.json),
# and on exit stops the coordinator (`coord_pid`, set by the test) and the panels and removes
# `work` (kept with KEEP=1).
# usage: source fake_fleet.sh; start_fake_panels FAKE_XUI PANEL_SPEC...
work=$(mktemp -d)
coord_pid=
fake_pid=
stop_fake_fleet() {
  [ -n "$coord_pid" ] && kill "$coord_pid" 2>/dev/null && wait "$coord_pid" 2>/dev/null
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap stop_fake_fleet EXIT

start_fake_panels() {
  local fake=$1 spec args=()
  shift
  for spec in "$@"; do args+=(--panel "$spec"); done
  "$fake" --keep-alive 1 "${args[@]}" >"$work/fake.json" &
  fake_pid=$!
  for _ in $(seq 50); do [ -s "$work/fake.json" ] && break; sleep 0.1; done
}
