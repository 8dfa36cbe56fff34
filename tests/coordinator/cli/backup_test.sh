#!/usr/bin/env bash
# Backups end to end, with the real binaries: a running fleet-coordinator on two fake panels
# is backed up by `--backup` (which asks it through its API) without stopping, takes
# scheduled backups every second keeping two, the backup passes `--verify-backup`, a damaged
# copy fails it, `--restore` refuses a directory in use, and a coordinator started on the
# restored store has the clients. No secret shows in any output or log.
# usage: backup_test.sh FLEET_COORDINATOR FAKE_XUI FLEETCTL
set -u
coordinator=$(realpath "$1") fake=$2 ctl=$3
source "$(dirname "$0")/../../support/fake_fleet.sh"
token=backup-test-token-3f9a6c1e
start_fake_panels "$fake" name=a,profile=classic,password=pw-secret-1 \
  name=b,profile=gen2,password=pw-secret-1
servers=$(node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").split("\n")[0]);
  console.log(d.panels.map(p=>JSON.stringify({id:p.name,host:"127.0.0.1",port:p.port,
    username:"admin",password:"pw-secret-1",max_clients:100})).join(","))' "$work/fake.json")
free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
write_config() {  # FILE PORT BACKUP_BLOCK
  cat >"$1" <<JSON
{"xui_servers": [$servers],
 "server_management": {"health_check_interval": "300ms", "health_check_timeout": "250ms"},
 "coordinator": {"listen": "127.0.0.1:$2", "api_tokens": ["$token"], "data_dir": "$work/data"$3}}
JSON
}
port=$(free_port)
write_config "$work/fleet.json" "$port" \
  ', "backup": {"dir": "'"$work"'/scheduled", "every": "1s", "keep": 2}'
start_coordinator() {  # CONFIG LOG [ARGS...]
  local config=$1 log=$2
  shift 2
  "$coordinator" --config "$config" "$@" >"$log" 2>&1 &
  coord_pid=$!
  for _ in $(seq 100); do
    grep -q 'HTTP API listening' "$log" && return 0
    sleep 0.1
  done
  echo "FAIL the coordinator did not start"; cat "$log"; exit 1
}
start_coordinator "$work/fleet.json" "$work/coord.log"
export FLEET_URL=http://127.0.0.1:$port FLEET_API_TOKEN=$token
for _ in $(seq 100); do
  [ "$("$ctl" health | grep -c ' healthy ')" -eq 2 ] && break
  sleep 0.1
done
for u in 1 2 3; do "$ctl" client add --user $u --gb 5 >/dev/null; done

status=0
check() { if [ "$2" = ok ]; then echo "ok   $1"; else echo "FAIL $1"; status=1; fi; }
# Runs fleet-coordinator from $work into $work/{out,err,rc}.
run() { (cd "$work" && "$coordinator" "$@") >"$work/out" 2>"$work/err"; echo $? >"$work/rc"; }
rc() { cat "$work/rc"; }
out_has() { grep -q -- "$1" "$work/out"; }
err_is_one_line_with() { [ "$(wc -l <"$work/err")" -eq 1 ] && grep -q -- "$1" "$work/err"; }
keep_output() { cat "$work/out" "$work/err" >>"$work/all_output"; }

# The token comes from the config's api_tokens here, and the directory is relative to the
# caller, not to the daemon.
FLEET_API_TOKEN= run --config fleet.json --backup manual
keep_output
check "--backup of a running coordinator: it takes the backup, asked through its API" \
  "$([ "$(rc)" = 0 ] && out_has "is in use by the running coordinator; asking it at http://127.0.0.1:$port" \
     && out_has "^backup 1 in $work/manual: " && out_has 'clients 3, open intents 0' && echo ok)"
check "the daemon took it (its log) and goes on answering" \
  "$(grep -q "backup 1 into $work/manual (requested)" "$work/coord.log" \
     && "$ctl" servers >/dev/null && [ "$(kill -0 $coord_pid && echo up)" = up ] && echo ok)"
run --config fleet.json --verify-backup manual
keep_output
check "--verify-backup: sound, with the records' counts" \
  "$([ "$(rc)" = 0 ] && out_has "^backup 1 of $work/manual (taken .*) is sound: " \
     && out_has 'restored copy: servers 2, clients 3, open intents 0' && echo ok)"
FLEET_API_TOKEN=wrong-token-0123456789 run --config fleet.json --backup manual
keep_output
check "--backup with a wrong token: exit 1, unauthenticated, the token not echoed" \
  "$([ "$(rc)" = 1 ] && err_is_one_line_with 'took no backup: unauthenticated' \
     && ! grep -q wrong-token "$work/out" "$work/err" && echo ok)"
for _ in $(seq 60); do
  [ "$(grep -c '(scheduled)' "$work/coord.log")" -ge 3 ] && break
  sleep 0.1
done
run --config fleet.json --verify-backup scheduled
keep_output
check "scheduled backups every second, the newest two kept" \
  "$([ "$(grep -c '(scheduled): ' "$work/coord.log")" -ge 3 ] && [ "$(rc)" = 0 ] \
     && [ "$(sed -n 's/^  backups there: //p' "$work/out" | wc -w)" = 2 ] && echo ok)"
check "each backup is an event" \
  "$("$ctl" events --limit 1000 | grep -q 'store.backed_up' && echo ok)"

kill -TERM $coord_pid
wait $coord_pid
check "the daemon stops cleanly on SIGTERM" "$([ $? -eq 0 ] && echo ok)"
coord_pid=
run --config fleet.json --backup manual --keep 1
keep_output
check "--backup of a stopped coordinator's store: taken by the command itself" \
  "$([ "$(rc)" = 0 ] && out_has "no coordinator runs on data dir $work/data; taking the backup itself" \
     && out_has "^backup 2 in $work/manual: " && out_has 'backups in the directory now: 1' && echo ok)"
run --config fleet.json --restore manual --data-dir "$work/restored"
keep_output
check "--restore into a new directory: the records' counts" \
  "$([ "$(rc)" = 0 ] && out_has "^restored backup 2 of $work/manual (taken .*) into $work/restored" \
     && out_has 'servers 2, clients 3' && echo ok)"
run --config fleet.json --restore manual --data-dir "$work/restored"
check "--restore into a directory that is not empty: exit 1, left alone" \
  "$([ "$(rc)" = 1 ] && err_is_one_line_with "$work/restored is not empty" && echo ok)"
cp -r "$work/manual" "$work/damaged"
victim=$(find "$work/damaged" -name '*.sst' -printf '%s %p\n' | sort -n | tail -n1 | cut -d' ' -f2)
printf '\x00\xff\x00\xff' | dd of="$victim" bs=1 seek=$(($(stat -c %s "$victim") / 2)) conv=notrunc 2>/dev/null
run --config fleet.json --verify-backup damaged
check "--verify-backup of a damaged backup: exit 1 with the reason" \
  "$([ "$(rc)" = 1 ] && err_is_one_line_with "backup 2 of damaged is damaged: " && echo ok)"

second=$(free_port)
write_config "$work/restored.json" "$second" ""
start_coordinator "$work/restored.json" "$work/restored.log" --data-dir "$work/restored"
FLEET_URL=http://127.0.0.1:$second "$ctl" client list --all >"$work/out" 2>&1
check "a coordinator on the restored store has the clients" \
  "$(out_has '^u1 ' && out_has '^u2 ' && out_has '^u3 ' \
     && grep -q 'restored 3 clients' "$work/restored.log" && echo ok)"
check "no secret in any output or log" \
  "$(! grep -q -e "$token" -e pw-secret-1 "$work/coord.log" "$work/restored.log" "$work/all_output" && echo ok)"
exit $status
