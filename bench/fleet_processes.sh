# Sourced by the shell benchmarks: a scratch folder `$work` and background processes that go
# away on exit, free ports, and a fleet-coordinator daemon started on a config and waited for
# until its fleet is healthy.

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Starts BUILD_DIR's fleet-coordinator on $work/fleet.json once fake-xui has written
# $work/fake.json (its ready line); sets $coordinator to its pid.
start_coordinator() { # build dir
  for _ in $(seq 100); do [ -s "$work/fake.json" ] && break; sleep 0.1; done
  "$1/coordinator/fleet-coordinator" --config "$work/fleet.json" --data-dir "$work/data" \
    >"$work/coord.log" 2>&1 &
  coordinator=$!
  pids+=($coordinator)
}

# Waits up to 60 s until N servers are healthy, asking API with TOKEN; prints how many are.
wait_healthy() { # api url, token, n
  local healthy=0
  for _ in $(seq 300); do
    healthy=$(curl -s -H "Authorization: Bearer $2" "$1/api/v1/health" |
      grep -o '"is_healthy":true' | wc -l || true)
    [ "$healthy" -eq "$3" ] && break
    sleep 0.2
  done
  echo "coordinator: $healthy of $3 panels healthy"
}
