#!/usr/bin/env bash
# Fleet changes without a restart, against the real daemon over loopback with fake panels: a
# panel added to the file and reloaded (HTTP, SIGHUP, fleetctl) takes clients at once; a
# broken file changes nothing and the answer lists its problems; removing a server that holds
# clients is refused with the count; a read-only token reads but may not change anything.
# usage: reload_test.sh FLEET_COORDINATOR FAKE_XUI FLEETCTL
set -u
coordinator=$1 fake=$2 ctl=$3
source "$(dirname "$0")/../../support/fake_fleet.sh"
token=reload-admin-token-7c1d93
read_token=reload-read-token-42ab77
start_fake_panels "$fake" name=a,profile=classic,password=pw-secret-1 \
  name=b,profile=gen2,password=pw-secret-1 \
  name=c,profile=classic,password=pw-secret-1
panel() { # panel NAME [MAX_CLIENTS]: the server entry of a fake panel
  node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").split("\n")[0]);
    const p=d.panels.find(p=>p.name===process.argv[2]);
    console.log(JSON.stringify({id:p.name,host:"127.0.0.1",port:p.port,username:"admin",
      password:"pw-secret-1",max_clients:Number(process.argv[3]||100),region:"EU"}))' \
    "$work/fake.json" "$1" "${2:-100}"
}
fleet_file() { # fleet_file SERVER...: writes the configuration with these servers
  local servers=
  for s in "$@"; do servers="$servers${servers:+,}$(panel $s)"; done
  cat >"$work/fleet.json" <<JSON
{"xui_servers": [$servers],
 "server_management": {"health_check_interval": "300ms", "health_check_timeout": "250ms"},
 "coordinator": {"listen": "127.0.0.1:0", "api_tokens": ["$token",
   {"token": "$read_token", "role": "read", "name": "dashboard"}]}}
JSON
}
fleet_file a
"$coordinator" --config "$work/fleet.json" --data-dir "$work/data" >"$work/coord.log" 2>&1 &
coord_pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/.*HTTP API listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/coord.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "FAIL the coordinator did not start"; cat "$work/coord.log"; exit 1; }
api=http://127.0.0.1:$port
export FLEET_URL=$api FLEET_API_TOKEN=$token
source "$(dirname "$0")/../../fleetctl/checks.sh"
# call TOKEN METHOD PATH [BODY]: the HTTP status into $work/code, the body into $work/body
call() {
  curl -s -o "$work/body" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $1" \
    -H 'Content-Type: application/json' ${4:+--data "$4"} "$api$3" >"$work/code"
}
code() { cat "$work/code"; }
body_has() { grep -q -- "$1" "$work/body"; }
healthy() { # healthy ID: waits until the server is healthy
  for _ in $(seq 100); do
    "$ctl" health 2>/dev/null | grep -q "^$1 .* healthy " && return 0
    sleep 0.1
  done
  return 1
}
healthy a

# -- read-only tokens ------------------------------------------------------------------------
call "$read_token" GET /api/v1/servers
check "a read token reads: 200" "$([ "$(code)" = 200 ] && body_has '"id":"a"' && echo ok)"
call "$read_token" POST /api/v1/select '{}'
check "a read token may ask select, which changes nothing: 200" "$([ "$(code)" = 200 ] && echo ok)"
call "$read_token" POST /api/v1/clients '{"user_id": "9"}'
check "a read token may not create a client: 403 forbidden, read-only" \
  "$([ "$(code)" = 403 ] && body_has '"code":"forbidden"' && body_has 'read-only' && echo ok)"
call "$read_token" POST /api/v1/servers/a/drain '{}'
check "a read token may not drain a server: 403" "$([ "$(code)" = 403 ] && echo ok)"
call "$read_token" POST /api/v1/admin/reload '{}'
check "a read token may not reload: 403" "$([ "$(code)" = 403 ] && echo ok)"
call "$read_token" DELETE /api/v1/clients/u9
check "a read token may not delete: 403" "$([ "$(code)" = 403 ] && echo ok)"
call wrong-token-0123456789abcdef GET /api/v1/servers
check "a wrong token is still 401" "$([ "$(code)" = 401 ] && echo ok)"

# -- a panel added over HTTP takes a client at once ----------------------------------------------
fleet_file a b
call "$token" POST /api/v1/admin/reload '{}'
check "POST /admin/reload: 200 and b added" \
  "$([ "$(code)" = 200 ] && body_has '"added":\["b"\]' && body_has '"reloaded":true' && echo ok)"
check "b is checked without a restart" "$(healthy b && echo ok)"
run client add --user 1 --server b
check "a client is created on the new panel" \
  "$([ "$(rc)" = 0 ] && out_has 'client u1 created on server b' && echo ok)"
call "$token" GET '/api/v1/events?after=0&limit=1000'
check "config.reloaded says what changed, without secrets" \
  "$(body_has '"type":"config.reloaded"' && ! body_has pw-secret-1 && ! body_has "$token" && echo ok)"

# -- SIGHUP ------------------------------------------------------------------------------------
fleet_file a b c
kill -HUP $coord_pid
check "SIGHUP adds c" "$(healthy c && echo ok)"
check "the daemon is still running after SIGHUP" "$(kill -0 $coord_pid && echo ok)"

# -- a broken file changes nothing -------------------------------------------------------------
cp "$work/fleet.json" "$work/good.json"
sed -i 's/"max_clients":100/"max_clients":-5/' "$work/fleet.json"
call "$token" POST /api/v1/admin/reload '{}'
check "a broken file: 400 naming the problems, nothing changed" \
  "$([ "$(code)" = 400 ] && body_has '"problems":\[' && body_has 'max_clients' \
     && body_has 'nothing changed' && echo ok)"
run reload
check "fleetctl reload of a broken file: exit 1, every problem on a line of its own" \
  "$([ "$(rc)" = 1 ] && grep -q "^error: $work/fleet.json: xui_servers\[0\].max_clients" "$work/err" \
     && echo ok)"
echo '{"xui_servers": [' >"$work/fleet.json"
kill -HUP $coord_pid
sleep 0.5
run servers
check "after a broken file and SIGHUP the fleet serves on with its 3 servers" \
  "$([ "$(rc)" = 0 ] && [ "$(grep -c ' healthy ' "$work/out")" -eq 3 ] && echo ok)"
check "the log says why the reload after SIGHUP was refused" \
  "$(grep -q 'reload after SIGHUP refused' "$work/coord.log" && echo ok)"

# -- removing a server that holds clients ------------------------------------------------------
fleet_file a c
call "$token" POST /api/v1/admin/reload '{}'
check "removing b with its client: 409 naming b and the count" \
  "$([ "$(code)" = 409 ] && body_has 'server b still holds 1 client' && echo ok)"
run servers
check "the refused reload changed nothing: b is still there" \
  "$([ "$(rc)" = 0 ] && out_has '^b ' && out_has '^c ' && echo ok)"

# -- fleetctl reload ---------------------------------------------------------------------------
fleet_file a b c
run reload
check "fleetctl reload of an unchanged file: nothing to reload" \
  "$([ "$(rc)" = 0 ] && out_has '^nothing to reload' && echo ok)"
fleet_file a b
sed -i 's/"listen": "127.0.0.1:0"/"listen": "127.0.0.1:1"/' "$work/fleet.json"
run reload
check "fleetctl reload removes c (no clients) and says listen needs a restart" \
  "$([ "$(rc)" = 0 ] && out_has 'removed: c' && out_has '^not applied: coordinator.listen' && echo ok)"
run servers
check "c is gone from the fleet" "$([ "$(rc)" = 0 ] && ! out_has '^c ' && out_has '^b ' && echo ok)"
run --json reload
check "fleetctl --json reload: JSON" \
  "$([ "$(rc)" = 0 ] && node -e 'JSON.parse(require("fs").readFileSync(process.argv[1]))' "$work/out" && echo ok)"

check "no secret in the coordinator's log" \
  "$(! grep -q -e "$token" -e "$read_token" -e pw-secret-1 "$work/coord.log" && echo ok)"
kill -TERM $coord_pid
wait $coord_pid
check "the daemon stops cleanly on SIGTERM" "$([ $? -eq 0 ] && echo ok)"
coord_pid=
exit $status
