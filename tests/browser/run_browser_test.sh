#!/usr/bin/env bash
# The web dashboard in a real browser: installs playwright-core (pinned by package-lock.json)
# into WORK_DIR, starts three fake panels and fleet-coordinator over loopback, and runs
# dashboard_test.mjs in Debian's chromium. Screenshots are left in WORK_DIR/screenshots.
# usage: run_browser_test.sh FLEET_COORDINATOR FAKE_XUI WORK_DIR
set -u
coordinator=$1 fake=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "FAIL no chromium at $chromium: install the Debian package chromium (scripts/install-deps.sh does)"; exit 1; }
mkdir -p "$work" && work=$(cd "$work" && pwd)
if ! cmp -s "$here/package-lock.json" "$work/package-lock.json" || [ ! -d "$work/node_modules/playwright-core" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$work/"
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
    { echo "FAIL npm ci of playwright-core in $work"; exit 1; }
fi
run=$(mktemp -d)
token=dash-test-token-7c1e0b
fake_pid= coord_pid=
cleanup() {
  touch "$run/stop"
  [ -s "$run/coord.pid" ] && kill "$(cat "$run/coord.pid")" 2>/dev/null
  [ -n "$coord_pid" ] && wait "$coord_pid" 2>/dev/null
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
  [ -n "${KEEP:-}" ] || rm -rf "$run"
}
trap cleanup EXIT
"$fake" --keep-alive 1 --panel name=eu1,profile=classic,password=pw-dash-1 \
  --panel name=eu2,profile=classic-csrf,password=pw-dash-1 \
  --panel name=us1,profile=gen2,password=pw-dash-1 >"$run/fake.json" &
fake_pid=$!
for _ in $(seq 50); do [ -s "$run/fake.json" ] && break; sleep 0.1; done
servers=$(node -e '
  const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").split("\n")[0]);
  const names = {eu1: "Frankfurt 1", eu2: "Amsterdam 2", us1: "New York 1"};
  console.log(d.panels.map((p) => JSON.stringify({id: p.name, name: names[p.name], host: "127.0.0.1",
    port: p.port, username: "admin", password: "pw-dash-1", max_clients: p.name === "eu2" ? 4 : 50,
    region: p.name.startsWith("eu") ? "EU" : "US"})).join(","))' "$run/fake.json")
control=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").split("\n")[0]).control_port)' "$run/fake.json")
# A fixed port, so that the coordinator the test restarts comes back where the page looks.
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => {
  console.log(s.address().port); s.close(); })')
cat >"$run/fleet.json" <<JSON
{"xui_servers": [$servers],
 "server_management": {"health_check_interval": "300ms", "health_check_timeout": "250ms",
                       "evacuate_after": "0s"},
 "coordinator": {"listen": "127.0.0.1:$port", "api_tokens": ["$token"]}}
JSON
# The coordinator runs again whenever it ends (the test kills it once to drop the page's
# stream), until the test is over.
(
  while [ ! -e "$run/stop" ]; do
    "$coordinator" --config "$run/fleet.json" --data-dir "$run/data" >>"$run/coord.log" 2>&1 &
    echo $! >"$run/coord.pid"
    wait $!
  done
) &
coord_pid=$!
for _ in $(seq 100); do
  grep -q "HTTP API listening on 127.0.0.1:$port" "$run/coord.log" 2>/dev/null && break
  sleep 0.1
done
grep -q "HTTP API listening" "$run/coord.log" || { echo "FAIL the coordinator did not start"; cat "$run/coord.log"; exit 1; }
mkdir -p "$work/screenshots"
MODULES="$work/node_modules" FLEET_URL="http://127.0.0.1:$port" FLEET_TOKEN=$token \
  FAKE_CONTROL="http://127.0.0.1:$control" CHROMIUM=$chromium SHOTS="$work/screenshots" \
  COORD_PID_FILE="$run/coord.pid" \
  node "$here/dashboard_test.mjs"
status=$?
if grep -qF "$token" "$run/coord.log"; then
  echo "FAIL the token appears in the coordinator's log"
  status=1
fi
[ $status -eq 0 ] || tail -n 30 "$run/coord.log"
exit $status
