#!/usr/bin/env bash
# End-to-end test of `fleet-coordinator --probe`: against fake-xui panels a good panel passes
# (text and --json), a wrong password and a dead panel fail with status 1 and a classified
# error that never shows the password, a panel whose xray is stopped fails with the probes'
# verdict xray_down, an unknown id exits with status 2.
# usage: probe_test.sh FLEET_COORDINATOR FAKE_XUI
set -u
bin=$1 fake=$2
work=$(mktemp -d)
passed=0 failed=0
check() {  # NAME CONDITION-RESULT OUTPUT
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $1"; echo "$3"; fi
}

"$fake" --keep-alive 1 \
  --panel name=good,profile=classic-csrf,base=/panel/,user=admin,password=probe-secret-1 \
  --panel name=tok,profile=gen2,base=/g/,token=probe-token-123456 \
  --panel name=tfa,profile=classic-csrf,base=/t/,user=admin,password=probe-secret-2,totp=JBSWY3DPEHPK3PXP \
  >"$work/fake.json" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/fake.json" ] && break; sleep 0.1; done
port_of() { node -e 'const d=JSON.parse(process.argv[1]);console.log(d.panels.find(p=>p.name===process.argv[2]).port)' "$(head -n1 "$work/fake.json")" "$1"; }
good=$(port_of good) tok=$(port_of tok) tfa=$(port_of tfa)
control=$(node -e 'console.log(JSON.parse(process.argv[1]).control_port)' "$(head -n1 "$work/fake.json")")
cat >"$work/fleet.json" <<JSON
{"xui_servers": [
  {"id": 1, "host": "127.0.0.1", "port": $good, "base_path": "/panel/", "username": "admin", "password": "probe-secret-1"},
  {"id": 2, "host": "127.0.0.1", "port": $good, "base_path": "/panel/", "username": "admin", "password": "wrong-secret-9"},
  {"id": 3, "host": "127.0.0.1", "port": 1, "username": "admin", "password": "x"},
  {"id": "g", "host": "127.0.0.1", "port": $tok, "base_path": "/g/", "api_token": "probe-token-123456"},
  {"id": "t", "host": "127.0.0.1", "port": $tfa, "base_path": "/t/", "username": "admin", "password": "probe-secret-2"}],
 "server_management": {"health_check_interval": "5s", "health_check_timeout": "1s"}}
JSON

out=$("$bin" -c "$work/fleet.json" --probe 1 2>&1); rc=$?
check "good panel" $([ $rc -eq 0 ] && grep -q "API classic" <<<"$out" && grep -q "2 inbounds, 2 clients" <<<"$out"; echo $?) "$out"
out=$("$bin" -c "$work/fleet.json" --probe g --json 2>&1); rc=$?
check "token panel as JSON" $([ $rc -eq 0 ] && node -e 'const r=JSON.parse(process.argv[1]); if(!(r.ok===true&&r.api_generation==="gen2"&&r.inbounds.length===2&&r.server_id==="g")) process.exit(1)' "$out"; echo $?) "$out"
out=$("$bin" -c "$work/fleet.json" --probe 2 2>&1); rc=$?
check "wrong password" $([ $rc -eq 1 ] && grep -q "unauthenticated (permanent)" <<<"$out" && ! grep -q "wrong-secret-9" <<<"$out"; echo $?) "$out"
out=$("$bin" -c "$work/fleet.json" --probe 3 --json 2>&1); rc=$?
check "dead panel" $([ $rc -eq 1 ] && node -e 'const r=JSON.parse(process.argv[1]); if(!(r.ok===false&&r.error.code==="panel_unreachable"&&r.error.retryable===true)) process.exit(1)' "$out"; echo $?) "$out"
out=$(XUI_SERVER_T_TOTP_SECRET=JBSWY3DPEHPK3PXP "$bin" -c "$work/fleet.json" --probe t 2>&1); rc=$?
check "two-factor panel" $([ $rc -eq 0 ] && grep -q "API classic" <<<"$out"; echo $?) "$out"
out=$("$bin" -c "$work/fleet.json" --probe t 2>&1); rc=$?
check "two-factor panel without the secret" $([ $rc -eq 1 ] && grep -q "unauthenticated (permanent): log in: the panel has two-factor authentication on" <<<"$out" && ! grep -q "JBSWY3DPEHPK3PXP\|probe-secret-2" <<<"$out"; echo $?) "$out"
curl -s -X POST -d '{"mode":"xray_stopped"}' "http://127.0.0.1:$control/_fake/panels/tok/fault" >/dev/null
out=$("$bin" -c "$work/fleet.json" --probe g 2>&1); rc=$?
check "xray stopped" $([ $rc -eq 1 ] && grep -q "failed: xray_down (retryable): xray is stop" <<<"$out" && grep -q "2 inbounds" <<<"$out"; echo $?) "$out"
out=$("$bin" -c "$work/fleet.json" --probe g --json 2>&1); rc=$?
check "xray stopped as JSON" $([ $rc -eq 1 ] && node -e 'const r=JSON.parse(process.argv[1]); if(!(r.ok===false&&r.verdict==="xray_down"&&r.error.code==="xray_down"&&r.xray_state==="stop")) process.exit(1)' "$out"; echo $?) "$out"
curl -s -X POST -d '{"mode":"none"}' "http://127.0.0.1:$control/_fake/panels/tok/fault" >/dev/null
out=$("$bin" -c "$work/fleet.json" --probe 99 2>&1); rc=$?
check "unknown id" $([ $rc -eq 2 ] && grep -q "no server with id 99" <<<"$out"; echo $?) "$out"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -eq 9 ]
