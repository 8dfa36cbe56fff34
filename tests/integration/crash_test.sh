#!/usr/bin/env bash
# Crash safety: a coordinator creating 500 clients (mode create), or evacuating 500 clients
# from panel a (mode evacuate), is killed with SIGKILL part-way; after a restart every
# acknowledged client is present exactly once, on exactly one panel, and in the store, and
# the panels hold no client the store does not know (no copy left behind by a move either).
# usage: crash_test.sh CRASH_DRIVER FAKE_XUI [create|evacuate]
set -u
driver=$1 fake=$2 mode=${3:-create}
work=$(mktemp -d)
"$fake" --keep-alive 1 \
  --panel name=a,profile=classic,password=pw --panel name=b,profile=classic-csrf,password=pw \
  --panel name=c,profile=gen2,password=pw >"$work/fake.json" &
fake_pid=$!
trap 'kill $fake_pid 2>/dev/null; wait $fake_pid 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
echo "work dir $work"
for _ in $(seq 50); do [ -s "$work/fake.json" ] && break; sleep 0.1; done
desc=$(head -n1 "$work/fake.json")
field() { node -e "const d=JSON.parse(process.argv[1]); $2" "$desc"; }
control=$(field x 'console.log(d.control_port)')
# A slower build (ThreadSanitizer) stretches the checks: FLEET_TEST_TIME_SCALE, default 1.
scale=${FLEET_TEST_TIME_SCALE:-1}
servers=$(field x 'console.log(d.panels.map(p=>JSON.stringify({id:p.name,host:"127.0.0.1",port:p.port,username:"admin",password:"pw",max_clients:100000})).join(","))')
cat >"$work/fleet.json" <<JSON
{"xui_servers": [$servers],
 "server_management": {"health_check_interval": "$((500 * scale))ms",
                       "health_check_timeout": "$((400 * scale))ms",
                       "retry_delay": "100ms", "load_balance_threshold": 1.0,
                       "evacuation_batch": 10, "evacuation_parallel_panels": 2}}
JSON

if [ "$mode" = evacuate ]; then
  "$driver" evacuate "$work/fleet.json" "$work/data" 500 a >"$work/acks" 2>"$work/create.err" &
  pid=$!
  for _ in $(seq 600); do
    moved=$(grep '^moved ' "$work/acks" | tail -n1 | cut -d' ' -f2)
    [ "${moved:-0}" -ge 150 ] && break
    sleep 0.05
  done
  kill -9 $pid
  wait $pid 2>/dev/null
  moved=$(grep '^moved ' "$work/acks" | tail -n1 | cut -d' ' -f2)
  echo "killed after ${moved:-0} of 500 clients moved"
fi

if [ "$mode" = create ]; then
  "$driver" create "$work/fleet.json" "$work/data" 500 >"$work/acks" 2>"$work/create.err" &
  pid=$!
  for _ in $(seq 300); do
    [ "$(grep -c '^ack ' "$work/acks")" -ge 150 ] && break
    sleep 0.05
  done
  kill -9 $pid
  wait $pid 2>/dev/null
fi
acked=$(grep -c '^ack ' "$work/acks")
echo "$acked acknowledged creates"

"$driver" verify "$work/fleet.json" "$work/data" >"$work/stored" 2>"$work/verify.err" || {
  echo "FAIL verify run"; cat "$work/verify.err"; exit 1; }
for p in a b c; do
  curl -s "http://127.0.0.1:$control/_fake/panels/$p/clients" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const es of Object.values(JSON.parse(s)))for(const e of es)if(!e.includes("-seed-"))console.log(e,process.argv[1])})' "$p"
done | sort >"$work/on_panels"
sort -u "$work/on_panels" | cut -d' ' -f1 | uniq -d >"$work/dups"
awk '{print $2, $3}' "$work/stored" | sort >"$work/stored_sorted"

status=0
check() { if [ "$2" = ok ]; then echo "ok   $1"; else echo "FAIL $1"; status=1; fi; }
if [ "$mode" = create ]; then
  check "more than 0 and fewer than 500 acknowledged before the kill" \
    "$([ "$acked" -gt 0 ] && [ "$acked" -lt 500 ] && echo ok)"
else
  check "all 500 created, and more than 0 and fewer than 500 moved before the kill" \
    "$([ "$acked" -eq 500 ] && [ "${moved:-0}" -gt 0 ] && [ "${moved:-0}" -lt 500 ] && echo ok)"
fi
missing=0
while read -r _ email server; do
  # A move changes the server: then only the email must be stored.
  [ "$mode" = evacuate ] && server='[a-z]*'
  grep -qx "$email $server" "$work/stored_sorted" || missing=$((missing + 1))
  [ "$(grep -c "^$email " "$work/on_panels")" -eq 1 ] || missing=$((missing + 1))
done < <(grep '^ack ' "$work/acks")
check "every acknowledged client is stored and on exactly one panel ($missing missing)" \
  "$([ $missing -eq 0 ] && echo ok)"
check "no email is on two panels" "$([ ! -s "$work/dups" ] && echo ok)"
check "the panels hold exactly the stored clients" \
  "$(diff -q "$work/on_panels" "$work/stored_sorted" >/dev/null && echo ok)"
diff "$work/on_panels" "$work/stored_sorted" | head -5
echo "$(wc -l <"$work/stored_sorted") clients stored, $(wc -l <"$work/on_panels") on panels"
exit $status
