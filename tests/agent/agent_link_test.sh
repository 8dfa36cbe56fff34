#!/usr/bin/env bash
# The coordinator and two agents as separate processes on loopback, with fake panels and a
# mutual-TLS link: registration, health through agents, a client created through an agent,
# an agent killed (SIGKILL) and frozen (SIGSTOP), the coordinator restarted, wrong CA, no
# client certificate, unknown id and another protocol version.
# usage: agent_link_test.sh FLEET_COORDINATOR FLEET_AGENT FAKE_XUI MAKE_CERTS AGENT_EXAMPLE FLEETCTL
set -u
coordinator=$(realpath "$1") agent=$(realpath "$2") fake=$(realpath "$3") make_certs=$(realpath "$4")
example=$(realpath "$5") fleetctl=$(realpath "$6")
work=$(mktemp -d)
token=agent-test-token-8c1d0e
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
status=0 checks=0
check() {
  checks=$((checks + 1))
  if [ "$2" = ok ]; then echo "ok   $1"; else echo "FAIL $1"; status=1; fi
}
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
ms() { date +%s%3N; }

"$make_certs" "$work/pki" a1 a2 >/dev/null
"$make_certs" "$work/other-pki" a1 >/dev/null # a CA the coordinator does not trust

"$fake" --keep-alive 1 --panels 5 --password pw-panel-secret >"$work/fake.json" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/fake.json" ] && break; sleep 0.1; done
ports=($(node -e 'for (const p of JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").split("\n")[0]).panels) console.log(p.port)' "$work/fake.json"))
control=http://127.0.0.1:$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").split("\n")[0]).control_port)' "$work/fake.json")
fault() { curl -s -X POST -d "{\"mode\": \"$2\"}" "$control/_fake/panels/$1/fault" >/dev/null; }
api_port=$(free_port) link_port=$(free_port)
api=http://127.0.0.1:$api_port
panel() { # id, panel number, extra
  echo "{\"id\": \"$1\", \"host\": \"127.0.0.1\", \"port\": ${ports[$2 - 1]}, \"base_path\": \"/p$2/\",
         \"username\": \"admin\", \"password\": \"pw-panel-secret\", \"max_clients\": 100 $3}"
}
# p1 is probed by the coordinator, p2 and p3 by agent a1, p4 and p5 by agent a2. The
# coordinator knows the agents' panels by id only: their addresses and credentials stay in the
# agents' files.
cat >"$work/fleet.json" <<JSON
{"xui_servers": [$(panel p1 1 ', "priority": 1'),
   {"id": "p2", "agent": "a1", "max_clients": 100, "priority": 5},
   {"id": "p3", "agent": "a1", "max_clients": 100, "priority": 5},
   {"id": "p4", "agent": "a2", "max_clients": 100, "priority": 3},
   {"id": "p5", "agent": "a2", "max_clients": 100, "priority": 3}],
 "server_management": {"health_check_interval": "300ms", "health_check_timeout": "250ms",
   "selection_strategy": "priority", "retry_delay": "100ms", "max_retries": 1},
 "coordinator": {"listen": "127.0.0.1:$api_port", "api_tokens": ["$token"],
   "agent_listen": "127.0.0.1:$link_port", "agent_heartbeat": "200ms", "agent_timeout": "1s",
   "tls": {"cert": "$work/pki/coordinator.pem", "key": "$work/pki/coordinator.key",
           "ca": "$work/pki/ca.pem"}}}
JSON
agent_config() { # file, id, pki dir, panels..., [extra agent fields via EXTRA]
  local file=$1 id=$2 pki=$3
  shift 3
  local list=""
  for p in "$@"; do list="$list${list:+,}$(panel "$p" "${p#p}" "")"; done
  cat >"$file" <<JSON
{"agent": {"id": "$id", "coordinator": "127.0.0.1:$link_port", "heartbeat": "200ms",
   "timeout": "1s" ${EXTRA:-},
   "tls": {"cert": "$pki/$id.pem", "key": "$pki/$id.key", "ca": "$pki/ca.pem"}},
 "xui_servers": [$list],
 "server_management": {"health_check_interval": "300ms", "health_check_timeout": "250ms"}}
JSON
}
agent_config "$work/a1.json" a1 "$work/pki" p2 p3
agent_config "$work/a2.json" a2 "$work/pki" p4 p5

# TLS material is checked before anything listens: a missing file and a key that is not the
# certificate's are refused with the file named, and nothing is started.
cp "$work/fleet.json" "$work/bad-fleet.json"
sed -i "s|$work/pki/coordinator.key|$work/pki/a2.key|" "$work/bad-fleet.json"
"$coordinator" --config "$work/bad-fleet.json" --data-dir "$work/bad-data" >"$work/bad-coord.log" 2>&1
rc=$?
check "a coordinator whose key does not belong to its certificate refuses to start (rc $rc)" \
  "$([ $rc = 1 ] && grep -q "coordinator.tls: the key $work/pki/a2.key does not belong to the certificate" "$work/bad-coord.log" &&
     ! grep -q 'listening' "$work/bad-coord.log" && echo ok)"
agent_config "$work/bad-agent.json" a1 "$work/pki" p2
sed -i "s|$work/pki/ca.pem|$work/pki/missing-ca.pem|" "$work/bad-agent.json"
"$agent" --config "$work/bad-agent.json" >"$work/bad-agent.log" 2>&1
rc=$?
check "an agent with a missing CA file refuses to start and names it (rc $rc)" \
  "$([ $rc = 1 ] && grep -q "agent.tls.ca: cannot read $work/pki/missing-ca.pem" "$work/bad-agent.log" && echo ok)"
"$agent" --config "$work/a1.json" --check-config >"$work/check.log" 2>&1
check "fleet-agent --check-config accepts a good file" \
  "$([ $? = 0 ] && grep -q 'is valid' "$work/check.log" && echo ok)"
mkdir "$work/example"
(cd "$work/example" && "$make_certs" pki edge-1 >/dev/null && "$agent" --config "$example" --check-config) \
  >"$work/example.log" 2>&1
check "the README's agent example is valid with certificates from make-certs.sh" \
  "$([ $? = 0 ] && echo ok)"

coord_pid=
start_coordinator() {
  "$coordinator" --config "$work/fleet.json" --data-dir "$work/data" >>"$work/coord.log" 2>&1 &
  coord_pid=$!
  pids+=($coord_pid)
}
declare -A agent_pid
start_agent() { # id [config]
  "$agent" --config "${2:-$work/$1.json}" >>"$work/$1.log" 2>&1 &
  agent_pid[$1]=$!
  pids+=($!)
}
auth="Authorization: Bearer $token"
# Prints "id=state" for every server.
states() {
  curl -s -H "$auth" "$api/api/v1/servers" | node -e '
    let t=""; process.stdin.on("data",d=>t+=d).on("end",()=>{try{
      for (const s of JSON.parse(t).servers) console.log(s.id+"="+s.state)}catch(e){}})'
}
# Waits up to $1 seconds until every "id=state" of the rest is true; prints the time it took.
wait_states() {
  local limit=$1 start now
  shift
  start=$(ms)
  while :; do
    local current all=1
    current=$(states)
    for want in "$@"; do grep -qx "$want" <<<"$current" || all=0; done
    now=$(ms)
    [ $all = 1 ] && { echo $((now - start)); return 0; }
    [ $((now - start)) -gt $((limit * 1000)) ] && { echo "timeout: $(echo $current)"; return 1; }
    sleep 0.05
  done
}
# Runs the agent of $work/$1.json for 2 s; checks that it logged $2 and never registered.
never_registers() {
  start_agent "$1" "$work/$1.json"
  sleep 2
  check "$3" "$(grep -q "$2" "$work/$1.log" && ! grep -q 'registered' "$work/$1.log" && echo ok)"
  kill "${agent_pid[$1]}"
}
events_of() { curl -s -H "$auth" "$api/api/v1/events?limit=1000"; }
# Prints the agents that disconnected after event $1, sorted, comma-separated.
disconnected_after() {
  curl -s -H "$auth" "$api/api/v1/events?after=$1&limit=1000" | node -e '
    let t="";process.stdin.on("data",d=>t+=d).on("end",()=>{console.log(JSON.parse(t).events
      .filter(e=>e.type==="agent.disconnected").map(e=>e.data.agent).sort().join())})'
}
last_seq() {
  local after=0 next
  while :; do
    next=$(curl -s -H "$auth" "$api/api/v1/events?after=$after&limit=1000" | node -e '
      let t="";process.stdin.on("data",d=>t+=d).on("end",()=>console.log(JSON.parse(t).next))')
    [ "$next" = "$after" ] && break
    after=$next
  done
  echo "$after"
}

start_coordinator
took=$(wait_states 10 p1=healthy p2=unreachable p4=unreachable)
check "before its agents connect, their servers are unreachable ($took ms)" \
  "$([ $? = 0 ] && echo ok)"
start_agent a1
start_agent a2
took=$(wait_states 15 p1=healthy p2=healthy p3=healthy p4=healthy p5=healthy)
check "both agents register and their servers turn healthy through them ($took ms)" \
  "$([ $? = 0 ] && echo ok)"
check "the coordinator logs each registration over mutual TLS" \
  "$(grep -q 'agents connect to 127.0.0.1:.*(mutual TLS)' "$work/coord.log" &&
     grep -q 'agent a1 registered with 2 servers' "$work/coord.log" &&
     grep -q 'agent a2 registered with 2 servers' "$work/coord.log" && echo ok)"
check "agent.connected events name each agent's servers" \
  "$(events_of | node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>{
      const e=JSON.parse(t).events.filter(x=>x.type==="agent.connected");
      const a=e.find(x=>x.data.agent==="a1"), b=e.find(x=>x.data.agent==="a2");
      console.log(a&&b&&a.data.servers.join()==="p2,p3"&&b.data.servers.join()==="p4,p5"?"ok":"")})')"

# A client created on an agent's panel: the create goes through that agent's probe.
created=$(curl -s -H "$auth" -H 'Content-Type: application/json' \
  -d '{"user_id": "1", "email": "via-agent@x", "server_id": "p2"}' "$api/api/v1/clients")
check "a client created on p2 goes through agent a1 to the panel" \
  "$(node -e 'const c=JSON.parse(process.argv[1]);console.log(c.server_id==="p2"&&c.inbound_id>0?"ok":"")' "$created")"
shown=$(curl -s -H "$auth" "$api/api/v1/clients/via-agent@x")
check "its traffic is read through the agent" \
  "$(node -e 'const c=JSON.parse(process.argv[1]);console.log(c.traffic&&c.state==="healthy"?"ok":"")' "$shown")"
picked=$(curl -s -H "$auth" -d '{"user_id": "2"}' "$api/api/v1/select")
check "selection prefers the agents' higher-priority panels" \
  "$(node -e 'console.log(["p2","p3"].includes(JSON.parse(process.argv[1]).server_id)?"ok":"")' "$picked")"

# Agent killed: its servers become unreachable, new users go elsewhere.
before_kill=$(last_seq)
kill -9 "${agent_pid[a1]}"
took=$(wait_states 5 p2=unreachable p3=unreachable p4=healthy)
check "agent a1 killed: p2 and p3 unreachable ($took ms)" "$([ $? = 0 ] && echo ok)"
picked=$(curl -s -H "$auth" -d '{"user_id": "3"}' "$api/api/v1/select")
check "new users go to a2's panels meanwhile" \
  "$(node -e 'console.log(["p4","p5"].includes(JSON.parse(process.argv[1]).server_id)?"ok":"")' "$picked")"
refused=$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" -X PATCH -d '{"enable": false}' \
  "$api/api/v1/clients/via-agent@x")
check "changing a client behind the missing agent answers 503 and changes nothing ($refused)" \
  "$([ "$refused" = 503 ] && echo ok)"
check "agent.disconnected and server.unreachable events" \
  "$(events_of | node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>{
      const e=JSON.parse(t).events;
      const d=e.some(x=>x.type==="agent.disconnected"&&x.data.agent==="a1");
      const u=e.filter(x=>x.type==="server.unreachable").map(x=>x.server_id).sort().join();
      console.log(d&&u==="p2,p3"?"ok":"")})')"
metrics=$(curl -s "$api/metrics")
check "/metrics shows a1 gone and a2 connected (promtool accepts it)" \
  "$(grep -qx 'xui_fleet_agent_connected{agent="a1"} 0' <<<"$metrics" &&
     grep -qx 'xui_fleet_agent_connected{agent="a2"} 1' <<<"$metrics" &&
     promtool check metrics <<<"$metrics" >/dev/null 2>&1 && echo ok)"
agents=$(curl -s -H "$auth" "$api/api/v1/agents")
check "GET /api/v1/agents: a1 disconnected with the reason, a2 connected serving p4 and p5" \
  "$(node -e 'const a=JSON.parse(process.argv[1]).agents;const one=a.find(x=>x.id==="a1"),two=a.find(x=>x.id==="a2");
     console.log(!one.connected&&one.last_disconnect.includes("heartbeats")&&one.serving.length===0&&
       one.servers.join()==="p2,p3"&&two.connected&&two.serving.join()==="p4,p5"&&two.since?"ok":"")' "$agents")"
check "agent a2 stays connected while a1 dies (one broken TLS link leaves the others alone)" \
  "$([ "$(disconnected_after "$before_kill")" = a1 ] && echo ok)"
start_agent a1
took=$(wait_states 10 p2=healthy p3=healthy)
check "agent a1 back: p2 and p3 healthy again ($took ms)" "$([ $? = 0 ] && echo ok)"

patched=$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" -X PATCH -d '{"total_gb": 7}' \
  "$api/api/v1/clients/via-agent@x")
counters=$(curl -s "$control/_fake/panels/p2/counters")
check "with a1 back, an update goes through it to the panel ($patched)" \
  "$([ "$patched" = 200 ] && node -e 'const c=JSON.parse(process.argv[1]);
     console.log(c["POST panel/api/inbounds/updateClient/:key"]>=1?"ok":"")' "$counters")"

# Agent frozen: only the heartbeat timeout can tell (1 s here).
kill -STOP "${agent_pid[a2]}"
took=$(wait_states 5 p4=unreachable p5=unreachable)
check "agent a2 frozen (SIGSTOP): p4 and p5 unreachable within the 1 s timeout ($took ms)" \
  "$([ $? = 0 ] && [ "$took" -lt 3000 ] && echo ok)"
kill -CONT "${agent_pid[a2]}"
took=$(wait_states 10 p4=healthy p5=healthy)
check "agent a2 thawed: it reconnects and p4 and p5 are healthy again ($took ms)" \
  "$([ $? = 0 ] && echo ok)"

# Coordinator restarted: the agents come back without anyone touching them, and bring what
# their probes learned meanwhile (p3's xray stopped while the coordinator was away).
kill -9 "$coord_pid"
wait "$coord_pid" 2>/dev/null
fault p3 xray_stopped
sleep 1
start_coordinator
took=$(wait_states 20 p1=healthy p2=healthy p3=unhealthy p4=healthy p5=healthy)
check "coordinator killed and restarted: both agents register again ($took ms)" \
  "$([ $? = 0 ] && echo ok)"
check "what a1 learned while cut off arrives with it: p3's xray is stopped" \
  "$(curl -s -H "$auth" "$api/api/v1/servers/p3" | grep -q '"xray_state":"stop"' && echo ok)"
fault p3 none
took=$(wait_states 10 p3=healthy)
check "p3 recovers through its agent ($took ms)" "$([ $? = 0 ] && echo ok)"
FLEET_URL=$api FLEET_API_TOKEN=$token "$fleetctl" agents >"$work/agents.txt" 2>&1
check "fleetctl agents: both connected, serving 2 of 2" \
  "$(grep -qE '^a1 +connected +2/2 ' "$work/agents.txt" && grep -qE '^a2 +connected +2/2 ' "$work/agents.txt" && echo ok)"
check "the client created through the agent is still recorded on p2" \
  "$(curl -s -H "$auth" "$api/api/v1/clients/via-agent@x" | grep -q '"server_id":"p2"' && echo ok)"
deleted=$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" -X DELETE "$api/api/v1/clients/via-agent@x")
check "deleting it goes through the agent too: gone from the panel ($deleted)" \
  "$([ "$deleted" = 204 ] && ! curl -s "$control/_fake/panels/p2/clients" | grep -q 'via-agent@x' && echo ok)"

# Refusals. A certificate from another CA and an agent without a certificate never get
# through the TLS handshake; an unknown id and another protocol version are refused by the
# coordinator with a clear error on both sides, and the agent exits with status 1.
before_refusals=$(last_seq)
# (stdin stays open for a second so that s_client waits for the server's verdict)
handshake=$(sleep 1 | timeout 5 openssl s_client -connect "127.0.0.1:$link_port" \
  -CAfile "$work/pki/ca.pem" 2>&1)
check "a TLS client without a certificate is refused by the coordinator" \
  "$(grep -qE 'alert (certificate required|handshake failure)' <<<"$handshake" && echo ok)"
agent_config "$work/wrong-ca.json" a1 "$work/other-pki" p2
never_registers wrong-ca 'cannot reach the coordinator.*TLS handshake refused' \
  "an agent whose certificate another CA signed is refused at the handshake"
cat >"$work/no-cert.json" <<JSON
{"agent": {"id": "a1", "coordinator": "127.0.0.1:$link_port", "plaintext": true},
 "xui_servers": [$(panel p2 2 "")]}
JSON
never_registers no-cert 'cannot reach the coordinator' \
  "an agent without a certificate (plain TCP) is refused"
cp "$work/pki/a1.pem" "$work/pki/a9.pem"; cp "$work/pki/a1.key" "$work/pki/a9.key"
agent_config "$work/a9.json" a9 "$work/pki" p2
timeout 20 "$agent" --config "$work/a9.json" >"$work/a9.log" 2>&1
rc=$?
check "an agent with an id no server names exits 1 with the coordinator's reason" \
  "$([ $rc = 1 ] && grep -q 'refused this agent: no server in the coordinator.s configuration names agent "a9"' "$work/a9.log" && echo ok)"
timeout 20 "$agent" --config "$work/a1.json" --speak-protocol 99 >"$work/old.log" 2>&1
rc=$?
check "an agent speaking protocol 99 exits 1, told why" \
  "$([ $rc = 1 ] && grep -q 'refused this agent: agent a1 speaks protocol 99 but this coordinator speaks' "$work/old.log" && echo ok)"
check "the coordinator logs both refusals" \
  "$(grep -q 'refused an agent: .*agent "a9"' "$work/coord.log" &&
     grep -q 'refused an agent: agent a1 speaks protocol 99' "$work/coord.log" && echo ok)"
check "the refused connections did not disturb the connected agents" \
  "$(wait_states 5 p2=healthy p3=healthy p4=healthy >/dev/null &&
     [ -z "$(disconnected_after "$before_refusals")" ] && echo ok)"

# Secrets never leave: the panels' password is in no log and no API answer.
check "no panel password in any log or API answer" \
  "$(! grep -q 'pw-panel-secret' "$work"/*.log && ! curl -s -H "$auth" "$api/api/v1/servers" | grep -q 'pw-panel-secret' && echo ok)"

expected_checks=36
[ $checks = $expected_checks ] || { echo "FAIL ran $checks checks, expected $expected_checks"; status=1; }
[ $status = 0 ] || { echo "--- coordinator log"; tail -40 "$work/coord.log"; echo "--- a1 log"; tail -20 "$work/a1.log"; }
exit $status
