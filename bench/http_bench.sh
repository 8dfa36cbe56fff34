#!/usr/bin/env bash
# HTTP API throughput with wrk: POST /api/v1/select, GET /api/v1/servers and GET
# /api/v1/stats on a coordinator with 1,000 healthy fake panels, next to nginx serving static
# JSON files of the same sizes on the same machine (the ceiling). Prints requests/s, p99 and
# the ratio to nginx with its target (issue 15: each >= 0.5).
# usage: http_bench.sh BUILD_DIR [SECONDS] [CONNECTIONS] [ROUNDS]
set -euo pipefail
build=$1 seconds=${2:-5} connections=${3:-32} rounds=${4:-3}
source "$(dirname "$0")/fleet_processes.sh"
source "$(dirname "$0")/wrk_runs.sh"
WRK_THREADS=2 WRK_CONNECTIONS=$connections WRK_SECONDS=$seconds
panels=1000
fake_port=$(free_port) api_port=$(free_port) nginx_port=$(free_port)
token=bench-token-0123456789abcdef

"$build/tools/fake_xui/fake-xui" --keep-alive 60 --port "$fake_port" --panels $panels \
  --password pw >"$work/fake.json" &
pids+=($!)
node -e '
  const [port, n, token, api] = process.argv.slice(1);
  const servers = [];
  for (let i = 1; i <= n; ++i)
    servers.push({id: String(i), host: "127.0.0.1", port: +port, base_path: "/p" + i + "/",
                  username: "admin", password: "pw", max_clients: 1000000, region: "R" + (i % 5)});
  console.log(JSON.stringify({xui_servers: servers,
    server_management: {health_check_interval: "5s", health_check_timeout: "2s",
                        load_balance_threshold: 1.0},
    coordinator: {listen: "127.0.0.1:" + api, api_tokens: [token]}, log_level: "warn"}));
' "$fake_port" $panels "$token" "$api_port" >"$work/fleet.json"
start_coordinator "$build"
api=http://127.0.0.1:$api_port
auth="Authorization: Bearer $token"
wait_healthy "$api" "$token" "$panels"

curl -s -H "$auth" "$api/api/v1/servers" >"$work/servers.json"
curl -s -H "$auth" "$api/api/v1/stats" >"$work/stats.json"
curl -s -H "$auth" -X POST -d '{"user_id": "42"}' "$api/api/v1/select" >"$work/select.json"
chmod 644 "$work"/*.json
cat >"$work/select.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"user_id": "42"}'
wrk.headers["Content-Type"] = "application/json"
LUA
cat >"$work/nginx.conf" <<NGINX
worker_processes 2;
daemon off;
master_process on;
pid $work/nginx.pid;
error_log $work/nginx.err warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  server { listen 127.0.0.1:$nginx_port; root $work; }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)
sleep 0.5

echo "wrk: 2 threads, $connections connections, ${seconds}s per run; $panels panels"
echo "each pair runs $rounds times, alternating, and the median run (by requests/s) is shown"

profile_in_background "$coordinator"
# Runs the API target and its nginx ceiling alternately; sets $1_api and $1_nginx.
pair() { # name, nginx file, wrk args for the API...
  local name=$1 file=$2 api_runs="" nginx_runs=""
  shift 2
  for _ in $(seq "$rounds"); do
    api_runs+="$(measure "$@")"$'\n'
    nginx_runs+="$(measure "http://127.0.0.1:$nginx_port/$file")"$'\n'
  done
  printf -v "${name}_api" '%s' "$(printf '%s' "$api_runs" | median)"
  printf -v "${name}_nginx" '%s' "$(printf '%s' "$nginx_runs" | median)"
}
pair select select.json -s "$work/select.lua" -H "$auth" "$api/api/v1/select"
healthz_api=$(measure "$api/healthz")
pair servers servers.json -H "$auth" "$api/api/v1/servers"
pair stats stats.json -H "$auth" "$api/api/v1/stats"
row "POST /api/v1/select ($(stat -c %s "$work/select.json") B)" "$select_api"
row "nginx, static file of the same size" "$select_nginx"
row "GET /healthz (HTTP only, no actor)" "$healthz_api"
row "GET /api/v1/servers ($(stat -c %s "$work/servers.json") B)" "$servers_api"
row "nginx, static file of the same size" "$servers_nginx"
row "GET /api/v1/stats ($(stat -c %s "$work/stats.json") B)" "$stats_api"
row "nginx, static file of the same size" "$stats_nginx"
echo "  select / nginx   $(ratio "$select_api" "$select_nginx")   (target >= 0.5)"
echo "  servers / nginx  $(ratio "$servers_api" "$servers_nginx")   (target >= 0.5)"
echo "  stats / nginx    $(ratio "$stats_api" "$stats_nginx")   (target >= 0.5)"
