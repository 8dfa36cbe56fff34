#!/usr/bin/env bash
# fleetctl's usage commands (client renew, reset-usage, usage; user show; usage in client
# show) against stub_coordinator.js, which answers those routes as the API contract has them:
# what fleetctl sends, how it prints the answers, and which flags it refuses before sending.
# usage: usage_commands_test.sh FLEETCTL
set -u
ctl=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
token=usage-test-token-81d3
: >"$work/requests"
node "$here/stub_coordinator.js" "$token" "$work/requests" >"$work/stub.json" &
stub_pid=$!
cleanup() {
  kill $stub_pid 2>/dev/null; wait $stub_pid 2>/dev/null
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 50); do [ -s "$work/stub.json" ] && break; sleep 0.1; done
port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$work/stub.json")
[ -n "$port" ] || { echo "FAIL the stub coordinator did not start"; exit 1; }
export FLEET_URL=http://127.0.0.1:$port FLEET_API_TOKEN=$token

source "$here/checks.sh"
requests() { wc -l <"$work/requests"; }
# The last request as "METHOD URL BODY" with the body's keys sorted.
last_request() {
  tail -n 1 "$work/requests" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{
    const r=JSON.parse(s), b=r.body;
    const sorted=b&&typeof b==="object"?Object.fromEntries(Object.entries(b).sort()):b;
    console.log(r.method+" "+r.url+" "+JSON.stringify(sorted))})'
}
json_ok() { node -e 'JSON.parse(require("fs").readFileSync(process.argv[1]))' "$work/out"; }
# Runs fleetctl with a bad flag: exit 2, one line naming the flag, nothing sent.
refused() {
  local before
  before=$(requests)
  run "${@:2}"
  [ "$(rc)" = 2 ] && err_is_one_line_with "$1" && [ "$(requests)" = "$before" ] && echo ok
}

run client show u5
check "client show: why the client is limited and what is left" \
  "$([ "$(rc)" = 0 ] && out_has '^limited  *quota$' && out_has '^remaining_bytes  *0 B$' && echo ok)"
check "client show: usage in people's units, and by server" \
  "$(out_has '^usage:$' && out_has '^total  *10.00 GiB$' && out_has '^usage by server:$' \
    && out_has '^a  *1.00 GiB  *3.00 GiB  *4.00 GiB$' && out_has '^b  *1.00 GiB  *5.00 GiB  *6.00 GiB$' \
    && echo ok)"
run client show u6
check "client show: not limited, no quota" \
  "$([ "$(rc)" = 0 ] && out_has '^limited  *no$' && out_has '^remaining_bytes  *unlimited$' \
    && out_has '^total  *1.50 KiB$' && echo ok)"
run client show old
check "client show from an older coordinator: nothing printed for the fields it lacks" \
  "$([ "$(rc)" = 0 ] && out_has '^email  *old$' && out_has '^traffic:$' && ! out_has '^limited' \
    && ! out_has '^remaining' && ! out_has '^usage' && echo ok)"
run --json client show u5
check "client show --json: the answer whole" \
  "$([ "$(rc)" = 0 ] && json_ok && out_has '"remaining_bytes": 0' && out_has '"by_server"' && echo ok)"

run client renew u5 --add-gb 5 --extend-days 30
check "client renew: more quota and days sent" \
  "$([ "$(rc)" = 0 ] && [ "$(last_request)" = 'POST /api/v1/clients/u5/renew {"add_gb":5,"extend_days":30}' ] && echo ok)"
check "client renew: the client with usage, what is left and why it is limited" \
  "$(out_has '^EMAIL  *USER  *SERVER  *GB  *EXPIRY_MS  *ENABLED  *USED  *LEFT  *LIMITED  *UUID$' \
    && out_has '^u5  *5  *b  *15  *1900000000000  *yes  *10.00 GiB  *5.00 GiB  *no  ' && echo ok)"
run client renew u5 --set-total-gb 20 --set-expiry-ms 1900000000000 --reset-usage
check "client renew: a new quota and expiry, the usage reset" \
  "$([ "$(rc)" = 0 ] && [ "$(last_request)" = 'POST /api/v1/clients/u5/renew {"reset_usage":true,"set_expiry_time_ms":1900000000000,"set_total_gb":20}' ] && echo ok)"
check "client renew without a change: exit 2" \
  "$(refused 'client renew needs' client renew u5)"
check "client renew --add-gb -5: refused, naming the flag" \
  "$(refused '--add-gb: must not be negative' client renew u5 --add-gb -5)"
check "client renew --set-total-gb lots: refused, naming the flag" \
  "$(refused '--set-total-gb: expected a number' client renew u5 --set-total-gb lots)"
check "client renew --extend-days many: refused, naming the flag" \
  "$(refused '--extend-days: expected a whole number' client renew u5 --extend-days many)"
check "client renew --extend-days 1.5: refused, naming the flag" \
  "$(refused '--extend-days: expected a whole number' client renew u5 --extend-days 1.5)"
check "client renew --set-expiry-ms=-1: refused, naming the flag" \
  "$(refused '--set-expiry-ms: must not be negative' client renew u5 --set-expiry-ms=-1)"
run client renew nobody --add-gb 1
check "client renew of an unknown client: exit 1, not_found" \
  "$([ "$(rc)" = 1 ] && err_is_one_line_with 'not_found' && echo ok)"

run client reset-usage u5
check "client reset-usage: posted, the client with its usage at zero" \
  "$([ "$(rc)" = 0 ] && [ "$(last_request)" = 'POST /api/v1/clients/u5/reset-usage {}' ] \
    && out_has '^u5  .* yes  *0 B  *10.00 GiB  *no  ' && echo ok)"
run --json client reset-usage u5
check "client reset-usage --json: the answer whole" "$([ "$(rc)" = 0 ] && json_ok && echo ok)"

run client usage u5 --from 2026-12-01T12:00:00Z --to 1764601200000
check "client usage: hourly steps between the two times asked" \
  "$([ "$(rc)" = 0 ] && [ "$(last_request)" = 'GET /api/v1/clients/u5/usage?step=1h&from=2026-12-01T12%3A00%3A00Z&to=1764601200000 null' ] && echo ok)"
check "client usage: a table of hours in people's units, with the total" \
  "$(out_has '^HOUR  *UP  *DOWN  *TOTAL$' && out_has '^2026-12-01T12:00:00Z  *1.00 KiB  *2.00 KiB  *3.00 KiB$' \
    && out_has '^2026-12-01T13:00:00Z  *0 B  *0 B  *0 B$' && out_has '^total  *1.00 GiB  *3.00 GiB  *4.00 GiB$' \
    && echo ok)"
run client usage u5
check "client usage without times: the coordinator's default window" \
  "$([ "$(rc)" = 0 ] && [ "$(last_request)" = 'GET /api/v1/clients/u5/usage?step=1h null' ] && echo ok)"
run --json client usage u5 --from 2026-12-01T12:00:00+01:00
check "client usage --json: the answer whole, an offset time encoded" \
  "$([ "$(rc)" = 0 ] && json_ok && out_has '"step": "1h"' \
    && [ "$(last_request)" = 'GET /api/v1/clients/u5/usage?step=1h&from=2026-12-01T12%3A00%3A00%2B01%3A00 null' ] && echo ok)"
check "client usage --from yesterday: refused, naming the flag" \
  "$(refused '--from: expected an RFC 3339 time or Unix milliseconds' client usage u5 --from yesterday)"
check "client usage --to -5: refused, naming the flag" \
  "$(refused '--to: must not be negative' client usage u5 --to -5)"

run user show 5
check "user show: the user's clients and their usage together" \
  "$([ "$(rc)" = 0 ] && out_has '^user 5: 2 clients, used 10.00 GiB (up 2.00 GiB, down 8.00 GiB)$' \
    && out_has '^u5  .* no  *10.00 GiB  *0 B  *quota  ' && out_has '^u6  .* yes  *1.50 KiB  *unlimited  *no  ' \
    && echo ok)"
run user show 7
check "user show of a user without clients" \
  "$([ "$(rc)" = 0 ] && out_has '^user 7: 0 clients, used 0 B (up 0 B, down 0 B)$' && [ "$(wc -l <"$work/out")" -eq 1 ] && echo ok)"
run --json user show 5
check "user show --json: the answer whole" "$([ "$(rc)" = 0 ] && json_ok && out_has '"user_id": "5"' && echo ok)"
run user show 404
check "user show of an unknown user: exit 1, not_found" \
  "$([ "$(rc)" = 1 ] && err_is_one_line_with 'not_found' && echo ok)"
run user list
check "user with another action: exit 2" "$([ "$(rc)" = 2 ] && err_is_one_line_with 'user show USER_ID' && echo ok)"
run --token wrong-token client usage u5
check "a wrong token: exit 1, unauthenticated, token not echoed" \
  "$([ "$(rc)" = 1 ] && err_is_one_line_with 'unauthenticated' && ! grep -q wrong-token "$work/err" && echo ok)"
run --help
check "--help names the usage commands" \
  "$(out_has 'client renew EMAIL' && out_has 'client reset-usage EMAIL' && out_has 'client usage EMAIL' \
    && out_has 'user show USER_ID' && echo ok)"
exit $status
