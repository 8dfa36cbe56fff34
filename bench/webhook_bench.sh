#!/usr/bin/env bash
# Webhook delivery: SERVERS fake panels and fleet-coordinator (RocksDB on disk) with 1, then 4
# webhooks (every event) to a local receiver that checks signatures and seq order; a burst of
# EVENTS server drain/enable toggles through the API; per webhook the events delivered per
# second and the lag from each event's `time` to its receipt, next to a bot polling
# GET /api/v1/events?after= in the same run; and the receiver's own ceiling (wrk posting a
# signed event straight to it, 1 and 4 connections: well above the webhooks, not their limit).
# usage: webhook_bench.sh BUILD_DIR [EVENTS] [SERVERS]
set -euo pipefail
build=$1 events=${2:-2000} servers=${3:-8}
here=$(cd "$(dirname "$0")" && pwd)
for tool in node wrk; do command -v $tool >/dev/null || { echo "webhook bench: needs $tool"; exit 77; }; done
source "$here/fleet_processes.sh"
source "$here/wrk_runs.sh"
token=bench-token-0123456789abcdef secret=whsec-bench-0123456789abcdef
fake_port=$(free_port) sink_port=$(free_port)

specs=()
for i in $(seq "$servers"); do specs+=(--panel "name=p$i,port=$fake_port,base=/p$i/,password=pw"); done
"$build/tools/fake_xui/fake-xui" --keep-alive 60 "${specs[@]}" >"$work/fake.json" &
pids+=($!)
node "$here/webhook_sink.js" "$sink_port" "$secret" >"$work/sink.log" &
pids+=($!)
# The receiver's ceiling: one event, signed now (valid for 300 s), posted again and again.
node -e '
  const [secret, file] = process.argv.slice(1);
  const body = JSON.stringify({seq: 1, time: new Date().toISOString(), type: "server.draining",
                               server_id: "1", data: {was: "active"}});
  const t = Math.floor(Date.now() / 1000);
  const v1 = require("crypto").createHmac("sha256", secret).update(t + "." + body).digest("hex");
  require("fs").writeFileSync(file, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\n` +
    `wrk.headers["X-Fleet-Event-Seq"] = "1"\nwrk.headers["X-Fleet-Signature"] = "t=${t},v1=${v1}"\n`);
' "$secret" "$work/post.lua"
for _ in $(seq 50); do grep -q listening "$work/sink.log" && break; sleep 0.1; done
WRK_THREADS=1 WRK_SECONDS=3
for c in 1 4; do
  read -r rps _ bad _ <<<"$(WRK_CONNECTIONS=$c measure -s "$work/post.lua" "http://127.0.0.1:$sink_port/ceiling")"
  echo "receiver ceiling: $rps signed POST/s verified with $c connection(s) (wrk; $bad not 2xx)"
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores shared"

for hooks in 1 4; do
  api_port=$(free_port)
  rm -rf "$work/data"
  node -e '
    const [port, n, token, api, sink, secret, hooks] = process.argv.slice(1);
    const servers = [];
    for (let i = 1; i <= n; ++i)
      servers.push({id: String(i), host: "127.0.0.1", port: +port, base_path: "/p" + i + "/",
                    username: "admin", password: "pw"});
    const webhooks = [];
    for (let i = 1; i <= hooks; ++i)
      webhooks.push({url: `http://127.0.0.1:${sink}/hook${i}`, secret, events: ["*"],
                     timeout: "5s", retry_min: "50ms", retry_max: "1s"});
    console.log(JSON.stringify({xui_servers: servers,
      server_management: {health_check_interval: "5s", health_check_timeout: "2s"},
      coordinator: {listen: "127.0.0.1:" + api, api_tokens: [token], webhooks}, log_level: "warn"}));
  ' "$fake_port" "$servers" "$token" "$api_port" "$sink_port" "$secret" "$hooks" >"$work/fleet.json"
  start_coordinator "$build"
  wait_healthy "http://127.0.0.1:$api_port" "$token" "$servers" >/dev/null
  node "$here/webhook_burst.js" "http://127.0.0.1:$api_port" "$token" \
    "http://127.0.0.1:$sink_port" "$secret" "$hooks" "$events" "$servers"
  kill "$coordinator" && wait "$coordinator" 2>/dev/null || true
done
