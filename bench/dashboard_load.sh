#!/usr/bin/env bash
# The web dashboard's load time in Debian's chromium: SERVERS fake panels and fleet-coordinator,
# LOADS fresh loads of /ui/ (token in sessionStorage) timed to every card rendered, then
# FAULTS panels down one at a time, timed to their card turning red. playwright-core comes
# from tests/browser's package-lock.json, installed once into BUILD_DIR/browser-test (shared
# with the browser test).
# usage: dashboard_load.sh BUILD_DIR [SERVERS] [LOADS] [FAULTS]
set -euo pipefail
build=$1 servers=${2:-50} loads=${3:-20} faults=${4:-10}
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
for tool in node npm curl "$chromium"; do
  command -v "$tool" >/dev/null || { echo "dashboard bench: needs $tool"; exit 77; }
done
mkdir -p "$build/browser-test" && modules=$(cd "$build/browser-test" && pwd)
if ! cmp -s "$here/../tests/browser/package-lock.json" "$modules/package-lock.json" ||
  [ ! -d "$modules/node_modules/playwright-core" ]; then
  cp "$here"/../tests/browser/package{,-lock}.json "$modules/"
  (cd "$modules" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
source "$here/fleet_processes.sh"
token=bench-token-0123456789abcdef
fake_port=$(free_port) api_port=$(free_port)

specs=()
for i in $(seq "$servers"); do specs+=(--panel "name=p$i,port=$fake_port,base=/p$i/,password=pw"); done
"$build/tools/fake_xui/fake-xui" --keep-alive 60 "${specs[@]}" >"$work/fake.json" &
pids+=($!)
node -e '
  const [port, n, token, api] = process.argv.slice(1);
  const servers = [];
  for (let i = 1; i <= n; ++i)
    servers.push({id: "p" + i, name: "Server " + i, host: "127.0.0.1", port: +port,
                  base_path: "/p" + i + "/", username: "admin", password: "pw",
                  region: i % 2 ? "EU" : "US"});
  console.log(JSON.stringify({xui_servers: servers,
    server_management: {health_check_interval: "1s", health_check_timeout: "500ms"},
    coordinator: {listen: "127.0.0.1:" + api, api_tokens: [token]}, log_level: "warn"}));
' "$fake_port" "$servers" "$token" "$api_port" >"$work/fleet.json"
start_coordinator "$build"
api=http://127.0.0.1:$api_port
wait_healthy "$api" "$token" "$servers"
control=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").split("\n")[0]).control_port)' "$work/fake.json")
echo "health checks every 1s (timeout 500ms); load average before: $(cut -d' ' -f1-3 /proc/loadavg);" \
  "$(nproc) cores shared"
MODULES="$modules/node_modules" CHROMIUM=$chromium \
  node "$here/dashboard_load.mjs" "$api" "$token" "http://127.0.0.1:$control" "$servers" "$loads" "$faults"
