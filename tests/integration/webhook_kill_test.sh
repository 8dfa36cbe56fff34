#!/usr/bin/env bash
# Webhooks across a SIGKILL, with the real binaries: events created while the receiver is
# down wait in the log; the receiver comes up, the coordinator is killed with SIGKILL in the
# middle of delivering and the receiver goes down again; after both return, every client
# event has arrived, signed, in seq order without gaps (an event may repeat only right after
# itself: the one in flight at the kill).
# usage: webhook_kill_test.sh FLEET_COORDINATOR FAKE_XUI FLEETCTL RECEIVER_JS
set -u
coordinator=$1 fake=$2 ctl=$3 receiver_js=$4
work=$(mktemp -d)
token=webhook-test-token-7c1d9e2f
secret=webhook-test-secret-5b8e0a4c
"$fake" --keep-alive 1 --panel name=a,profile=classic,password=pw \
  --panel name=b,profile=gen2,password=pw >"$work/fake.json" &
fake_pid=$!
coord_pid= receiver_pid=
cleanup() {
  [ -n "$coord_pid" ] && kill "$coord_pid" 2>/dev/null && wait "$coord_pid" 2>/dev/null
  [ -n "$receiver_pid" ] && kill "$receiver_pid" 2>/dev/null && wait "$receiver_pid" 2>/dev/null
  kill $fake_pid 2>/dev/null; wait $fake_pid 2>/dev/null
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 50); do [ -s "$work/fake.json" ] && break; sleep 0.1; done
servers=$(node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").split("\n")[0]);
  console.log(d.panels.map(p=>JSON.stringify({id:p.name,host:"127.0.0.1",port:p.port,
    username:"admin",password:"pw",max_clients:1000})).join(","))' "$work/fake.json")
free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
port=$(free_port) hook_port=$(free_port)
cat >"$work/fleet.json" <<JSON
{"xui_servers": [$servers],
 "server_management": {"health_check_interval": "300ms", "health_check_timeout": "250ms"},
 "coordinator": {"listen": "127.0.0.1:$port", "api_tokens": ["$token"], "data_dir": "$work/data",
   "webhooks": [{"url": "http://127.0.0.1:$hook_port/hook", "secret": "$secret",
                 "events": ["client.*"], "timeout": "2s", "retry_min": "50ms", "retry_max": "300ms"}]}}
JSON
start_coordinator() {
  "$coordinator" --config "$work/fleet.json" >>"$work/coord.log" 2>&1 &
  coord_pid=$!
  for _ in $(seq 100); do
    [ "$(grep -c 'HTTP API listening' "$work/coord.log")" -ge "$1" ] && return 0
    sleep 0.1
  done
  echo "FAIL the coordinator did not start"; cat "$work/coord.log"; exit 1
}
# Each answer takes 50 ms, so that the 30 deliveries last long enough to be killed in the
# middle of on a loaded machine.
start_receiver() {
  node "$receiver_js" "$hook_port" "$secret" "$work/received" 50 >/dev/null &
  receiver_pid=$!
  for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$hook_port/" && return 0; sleep 0.1; done
  echo "FAIL the receiver did not start"; exit 1
}
stop_receiver() { kill "$receiver_pid"; wait "$receiver_pid" 2>/dev/null; receiver_pid=; }
delivered() { cat "$work/received" 2>/dev/null | grep -c ' client\.'; }

export FLEET_URL=http://127.0.0.1:$port FLEET_API_TOKEN=$token
start_coordinator 1
for _ in $(seq 100); do
  [ "$("$ctl" health | grep -c ' healthy ')" -eq 2 ] && break
  sleep 0.1
done
# Created while the receiver is down: they wait in the log.
for u in $(seq 1 30); do "$ctl" client add --user "$u" --gb 1 >/dev/null || exit 1; done
start_receiver
for _ in $(seq 200); do [ "$(delivered)" -ge 10 ] && break; sleep 0.01; done
kill -9 "$coord_pid"; wait "$coord_pid" 2>/dev/null; coord_pid=
stop_receiver
before=$(delivered)
echo "killed after $before of 30 deliveries"
start_coordinator 2
for u in $(seq 31 35); do "$ctl" client add --user "$u" --gb 1 >/dev/null || exit 1; done
start_receiver
for _ in $(seq 300); do
  [ "$(sort -un "$work/received" | grep -c ' client\.')" -ge 35 ] && break
  sleep 0.1
done

status=0
check() { if [ "$2" = ok ]; then echo "ok   $1"; else echo "FAIL $1"; status=1; fi; }
expected=$(curl -s -H "Authorization: Bearer $token" "$FLEET_URL/api/v1/events?after=0&limit=1000" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const e of JSON.parse(s).events)if(e.type.startsWith("client."))console.log(e.seq)})')
got=$(grep ' client\.' "$work/received" | cut -d' ' -f1 | uniq)
check "35 client events in the log" "$([ "$(wc -l <<<"$expected")" -eq 35 ] && echo ok)"
check "the kill came in the middle of delivering" "$([ "$before" -ge 1 ] && [ "$before" -lt 30 ] && echo ok)"
check "every event delivered in seq order, without gaps" "$([ "$got" = "$expected" ] && echo ok)"
check "at most the event in flight came twice" \
  "$([ "$(grep -c ' client\.' "$work/received")" -le 36 ] && echo ok)"
check "every signature verified" "$(grep -q 'bad-signature' "$work/received" || echo ok)"
for _ in $(seq 20); do
  lag=$(curl -s -H "Authorization: Bearer $token" "$FLEET_URL/api/v1/webhooks" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).webhooks[0].lag))')
  [ "$lag" = 0 ] && break
  sleep 0.1
done
check "the webhook caught up (lag $lag)" "$([ "$lag" -eq 0 ] && echo ok)"
check "the secret is in no log" "$(grep -q "$secret" "$work/coord.log" || echo ok)"
[ $status -eq 0 ] || { tail -n 30 "$work/coord.log"; cat "$work/received"; }
exit $status
