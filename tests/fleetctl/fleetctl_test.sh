#!/usr/bin/env bash
# fleetctl against a real fleet-coordinator daemon (HTTP API on loopback) with three fake
# panels: every command, human and JSON output, one-line errors and exit statuses, and no
# secret in any output or log.
# usage: fleetctl_test.sh FLEET_COORDINATOR FAKE_XUI FLEETCTL
set -u
coordinator=$1 fake=$2 ctl=$3
source "$(dirname "$0")/../support/fake_fleet.sh"
token=ctl-test-token-5f2a9c
start_fake_panels "$fake" name=a,profile=classic,password=pw-secret-1 \
  name=b,profile=classic-csrf,password=pw-secret-1 \
  name=c,profile=gen2,password=pw-secret-1
servers=$(node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").split("\n")[0]);
  console.log(d.panels.map(p=>JSON.stringify({id:p.name,host:"127.0.0.1",port:p.port,
    username:"admin",password:"pw-secret-1",max_clients:100,region:"EU"})).join(","))' "$work/fake.json")
cat >"$work/fleet.json" <<JSON
{"xui_servers": [$servers],
 "server_management": {"health_check_interval": "300ms", "health_check_timeout": "250ms"},
 "coordinator": {"listen": "127.0.0.1:0", "api_tokens": ["$token"]}}
JSON
"$coordinator" --config "$work/fleet.json" --data-dir "$work/data" >"$work/coord.log" 2>&1 &
coord_pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/.*HTTP API listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/coord.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "FAIL the coordinator did not start"; cat "$work/coord.log"; exit 1; }
export FLEET_URL=http://127.0.0.1:$port FLEET_API_TOKEN=$token
for _ in $(seq 100); do
  [ "$("$ctl" health | grep -c ' healthy ')" -eq 3 ] && break
  sleep 0.1
done

source "$(dirname "$0")/checks.sh"

run servers
check "servers: a table of three healthy servers" \
  "$([ "$(rc)" = 0 ] && out_has '^ID  *NAME' && [ "$(grep -c ' healthy ' "$work/out")" -eq 3 ] && echo ok)"
run --json servers
check "servers --json: parseable JSON" \
  "$([ "$(rc)" = 0 ] && node -e 'JSON.parse(require("fs").readFileSync(process.argv[1]))' "$work/out" && echo ok)"
run server show b
check "server show: fields, health and stats" "$([ "$(rc)" = 0 ] && out_has '^id  *b' && out_has '^health:' && echo ok)"
run select --region EU
check "select: names a server" "$([ "$(rc)" = 0 ] && out_has '^server [abc] ' && echo ok)"
run select --region MARS --strategy geographic --exclude a,b,c
check "select with nothing eligible: exit 1, one line" \
  "$([ "$(rc)" = 1 ] && err_is_one_line_with 'no_server_available' && echo ok)"
run client add --user 5 --gb 10 --server b
check "client add: created on the pinned server" \
  "$([ "$(rc)" = 0 ] && out_has 'client u5 created on server b' && echo ok)"
run client add --user 6
run client show u5
check "client show: record and traffic" "$([ "$(rc)" = 0 ] && out_has '^email  *u5' && out_has '^traffic:' && echo ok)"
sub=$("$ctl" --json client show u5 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).sub_id))')
check "client show: the sub_id only in part, whole with --json" \
  "$([ ${#sub} -ge 8 ] && ! grep -qF "$sub" "$work/out" && out_has "^sub_id  *${sub:0:4}…" && echo ok)"
run server evacuate c
check "server evacuate: drained, its clients moving" \
  "$([ "$(rc)" = 0 ] && out_has 'server c is draining; evacuation ' && echo ok)"
run server enable c
run client list --all
check "client list: both clients" "$([ "$(rc)" = 0 ] && out_has '^u5 ' && out_has '^u6 ' && echo ok)"
run client update u5 --disable --gb 3
check "client update: disabled with the new quota" "$([ "$(rc)" = 0 ] && out_has '^u5  *5  *b  *3.00  .* no ' && echo ok)"
run client renew u5 --add-gb 1
check "client renew against the coordinator: the quota grows" "$([ "$(rc)" = 0 ] && out_has '^u5  *5  *b  *4.00 ' && echo ok)"
run client update u5 --limit-ip 2
limit=$("$ctl" --json client show u5 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).limit_ip))')
check "client update --limit-ip: kept" "$([ "$(rc)" = 0 ] && [ "$limit" = 2 ] && echo ok)"
run client usage u5
check "client usage against the coordinator: 24 hours and a total" "$([ "$(rc)" = 0 ] && out_has '^total ' && echo ok)"
run user show 5
check "user show against the coordinator" "$([ "$(rc)" = 0 ] && out_has 'user 5: 1 client' && echo ok)"
run client update u5 --gb many
check "client update with a bad number: exit 2" "$([ "$(rc)" = 2 ] && err_is_one_line_with '--gb' && echo ok)"
run client delete u5
check "client delete" "$([ "$(rc)" = 0 ] && out_has 'client u5 deleted' && echo ok)"
run client show u5
check "client show of a deleted client: exit 1, not_found" \
  "$([ "$(rc)" = 1 ] && err_is_one_line_with 'not_found' && echo ok)"
run server drain c
check "server drain" "$([ "$(rc)" = 0 ] && out_has 'server c is draining' && echo ok)"
run server enable c
run stats
check "stats: totals row" "$([ "$(rc)" = 0 ] && out_has '^total ' && echo ok)"
run events --limit 1000
check "events: the history" \
  "$([ "$(rc)" = 0 ] && out_has 'client.created  server b  client u5' && out_has 'client.deleted' && out_has 'server.draining' && echo ok)"
timeout 5 "$ctl" events --follow >"$work/follow" 2>&1 &
follow=$!
sleep 0.5
"$ctl" client add --user 7 >/dev/null
for _ in $(seq 30); do grep -q 'client.created.*u7' "$work/follow" && break; sleep 0.1; done
kill $follow 2>/dev/null; wait $follow 2>/dev/null
check "events --follow: new events as they happen" "$(grep -q 'client.created.*u7' "$work/follow" && echo ok)"
run --token wrong-token servers
check "a wrong token: exit 1, unauthenticated, token not echoed" \
  "$([ "$(rc)" = 1 ] && err_is_one_line_with 'unauthenticated' && ! grep -q wrong-token "$work/err" && echo ok)"
run --url http://127.0.0.1:1 servers
check "no coordinator: exit 1, cannot reach" "$([ "$(rc)" = 1 ] && err_is_one_line_with 'cannot reach' && echo ok)"
run frobnicate
check "an unknown command: exit 2" "$([ "$(rc)" = 2 ] && err_is_one_line_with 'unknown command' && echo ok)"
run --help
check "--help prints the usage" "$([ "$(rc)" = 0 ] && out_has '^usage: fleetctl' && echo ok)"
check "no secret in the coordinator's log" \
  "$(! grep -q -e "$token" -e pw-secret-1 "$work/coord.log" && echo ok)"

kill -TERM $coord_pid
wait $coord_pid
check "the daemon stops cleanly on SIGTERM" "$([ $? -eq 0 ] && echo ok)"
coord_pid=

# The usage commands, against a stub that answers their routes as the contract has them.
bash "$(dirname "$0")/usage_commands_test.sh" "$ctl" || status=1
exit $status
