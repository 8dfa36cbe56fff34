#!/usr/bin/env bash
# Subscription throughput with wrk: GET /sub/{sub_id} on coordinator.subscription_listen over
# every sub_id of the fleet, next to GET /healthz of the same coordinator's API (same process,
# same wrk settings, runs alternating), and unknown sub_ids (the 404 every miss gets). The
# fleet: PANELS fake panels with the showcase inbounds (six protocols and transports), CLIENTS
# clients created through the API, spread evenly. Prints medians, the ratio to /healthz and
# the CPU wrk and the coordinator used (percent of one core: wrk well below 100 % is not the
# limit).
# usage: subscription_bench.sh BUILD_DIR [PANELS] [CLIENTS] [SECONDS] [CONNECTIONS] [ROUNDS]
set -euo pipefail
for tool in wrk node curl; do
  command -v $tool >/dev/null || { echo "subscription bench: needs $tool"; exit 77; }
done
build=$1 panels=${2:-20} clients=${3:-3000} seconds=${4:-5} connections=${5:-32} rounds=${6:-5}
source "$(dirname "$0")/fleet_processes.sh"
source "$(dirname "$0")/wrk_runs.sh"
WRK_THREADS=1 WRK_CONNECTIONS=$connections WRK_SECONDS=$seconds
fake_port=$(free_port) api_port=$(free_port) sub_port=$(free_port)
token=bench-token-0123456789abcdef

specs=()
for i in $(seq "$panels"); do
  specs+=(--panel "name=p$i,port=$fake_port,base=/p$i/,password=pw,seed=$i,inbounds=showcase")
done
"$build/tools/fake_xui/fake-xui" --keep-alive 60 "${specs[@]}" >"$work/fake.json" &
pids+=($!)
node -e '
  const [port, n, token, api, sub] = process.argv.slice(1);
  const servers = [];
  for (let i = 1; i <= n; ++i)
    servers.push({id: String(i), host: "127.0.0.1", port: +port, base_path: "/p" + i + "/",
                  username: "admin", password: "pw", max_clients: 1000000});
  console.log(JSON.stringify({xui_servers: servers,
    server_management: {health_check_interval: "5s", health_check_timeout: "2s"},
    coordinator: {listen: "127.0.0.1:" + api, api_tokens: [token],
                  subscription_listen: "127.0.0.1:" + sub, subscription_rate_limit: 0},
    log_level: "warn"}));
' "$fake_port" "$panels" "$token" "$api_port" "$sub_port" >"$work/fleet.json"
start_coordinator "$build"
api=http://127.0.0.1:$api_port
sub=http://127.0.0.1:$sub_port
wait_healthy "$api" "$token" "$panels"

# Creates the clients (32 requests in flight, each pinned to a panel in turn), then pages
# through GET /api/v1/clients and writes one /sub/{sub_id} path a line, and as many paths
# of unknown sub_ids of the same length and alphabet.
node -e '
  const [api, token, n, panels, hits, misses] = process.argv.slice(1);
  const headers = {authorization: "Bearer " + token, "content-type": "application/json"};
  const fs = require("fs");
  (async () => {
    let next = 0, failed = 0, first = "";
    const t0 = Date.now();
    const worker = async () => {
      for (let i = next++; i < +n; i = next++) {
        const body = JSON.stringify({user_id: "sub-bench-" + i, server_id: String(1 + i % +panels)});
        const r = await fetch(api + "/api/v1/clients", {method: "POST", headers, body});
        const text = await r.text();
        if (r.status !== 201 && failed++ === 0) first = r.status + " " + text;
      }
    };
    await Promise.all(Array.from({length: 32}, worker));
    const created = (Date.now() - t0) / 1000;
    const ids = [];
    let after = "";
    for (;;) {
      const q = "limit=1000" + (after ? "&after=" + encodeURIComponent(after) : "");
      const page = await (await fetch(api + "/api/v1/clients?" + q, {headers})).json();
      for (const c of page.clients) ids.push(c.sub_id);
      if (!page.next) break;
      after = page.next;
    }
    const alphabet = [...new Set(ids.join(""))].join("");
    const unknown = ids.map(id => Array.from(id, () =>
      alphabet[Math.floor(Math.random() * alphabet.length)]).join(""));
    fs.writeFileSync(hits, ids.map(id => "/sub/" + id).join("\n") + "\n");
    fs.writeFileSync(misses, unknown.map(id => "/sub/" + id).join("\n") + "\n");
    console.log(`clients: ${n - failed} of ${n} created through the API in ${created.toFixed(1)} s` +
                `, ${ids.length} sub_ids listed` + (failed ? `; first failure: ${first}` : ""));
  })();
' "$api" "$token" "$clients" "$panels" "$work/hits.txt" "$work/misses.txt"

sample=$(sed -n 1p "$work/hits.txt")
status=$(curl -s -D "$work/sample.headers" -o "$work/sample.body" -w '%{http_code}' "$sub$sample")
links=$(base64 -d <"$work/sample.body" 2>/dev/null | grep -c :// || true)
echo "one subscription: HTTP $status, $(stat -c %s "$work/sample.body") B (base64 of $links share links)"
[ "$status" = 200 ] || { echo "subscription bench: the subscription is not served"; exit 1; }

cat >"$work/paths.lua" <<'LUA'
-- Requests the paths of the file given after "--" in turn, from a random start.
local paths = {}
local i = 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  i = math.random(#paths)
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
echo "wrk: $WRK_THREADS thread, $connections connections, ${seconds}s per run; the coordinator" \
  "as configured (2 event loops per listener, CAF's default scheduler); $(nproc) cores shared"
echo "runs alternate (sub, healthz, miss) $rounds times; the median run (by requests/s) is shown;" \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
profile_in_background "$coordinator"
WRK_SERVER_PID=$coordinator
hit_runs="" healthz_runs="" miss_runs=""
for _ in $(seq "$rounds"); do
  hit_runs+="$(measure -s "$work/paths.lua" "$sub/" -- "$work/hits.txt")"$'\n'
  healthz_runs+="$(measure "$api/healthz")"$'\n'
  miss_runs+="$(measure -s "$work/paths.lua" "$sub/" -- "$work/misses.txt")"$'\n'
done
unset WRK_SERVER_PID
hit=$(printf '%s' "$hit_runs" | median)
healthz=$(printf '%s' "$healthz_runs" | median)
miss=$(printf '%s' "$miss_runs" | median)
row "GET /sub/{sub_id}, $(wc -l <"$work/hits.txt") ids (200)" "$hit"
row "GET /healthz (API listener, no actor)" "$healthz"
row "GET /sub/{unknown id} (404)" "$miss"
every() { awk 'NF { printf " %.0f", $1 }' <<<"$1"; }
echo "  every run, req/s: sub$(every "$hit_runs"); healthz$(every "$healthz_runs");" \
  "miss$(every "$miss_runs")"
echo "  sub / healthz    $(ratio "$hit" "$healthz")   (target >= 0.5)"
echo "  miss / healthz   $(ratio "$miss" "$healthz")"
echo "  miss / sub       $(ratio "$miss" "$hit")   (1.00: a miss costs what a hit does)"
# Every hit was answered 200 and no miss 2xx (wrk counts non-2xx answers).
read -r _ _ hit_bad _ <<<"$hit"
read -r miss_rps _ miss_bad _ <<<"$miss"
[ "$hit_bad" -eq 0 ] && [ "$(awk -v r="$miss_rps" -v b="$miss_bad" -v s="$seconds" \
  'BEGIN { print (b >= 0.99 * r * s) ? 1 : 0 }')" -eq 1 ] ||
  { echo "subscription bench: a hit was not answered 200, or a miss was answered 2xx"; exit 1; }
