#!/usr/bin/env bash
# The main job: builds the release preset, starts the demo fleet's panels (fake-xui on
# loopback: one per 3X-UI generation, one with an API token), prints the fleet summary and a
# placement dry run, and runs fleet-coordinator on config/demo-fleet.json in the foreground
# (state in data/demo) until Ctrl-C. Break a panel meanwhile, e.g.:
#   curl -X POST -d '{"mode":"down"}' http://127.0.0.1:20530/_fake/panels/eu1/fault
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/install-deps.sh
scripts/build.sh release >/dev/null
bin=out/build/release
config=config/demo-fleet.json

"$bin/tools/fake_xui/fake-xui" --control-port 20530 \
  --panel name=eu1,inbounds=showcase,port=20531,base=/eu1/,profile=classic,user=admin,password=demo-password \
  --panel name=eu2,inbounds=showcase,port=20532,base=/eu2/,profile=classic-csrf,user=admin,password=demo-password \
  --panel name=us1,inbounds=showcase,port=20533,base=/us1/,profile=gen2,user=admin,password=demo-password \
  --panel name=asia1,inbounds=showcase,port=20534,base=/asia1/,profile=gen2,token=demo-api-token-asia-1 \
  --panel name=spare,port=20535,profile=classic,user=admin,password=demo-password >/dev/null &
panels=$!
trap 'kill $panels 2>/dev/null; wait $panels 2>/dev/null' EXIT
sleep 0.5
if ! kill -0 $panels 2>/dev/null; then
  echo "run-demo: the demo panels did not start; are ports 20530-20535 in use?" >&2
  exit 1
fi

"$bin/coordinator/fleet-coordinator" --config "$config" --dry-run
echo
echo "fault control of the demo panels: http://127.0.0.1:20530/_fake/panels (Ctrl-C stops)"
"$bin/coordinator/fleet-coordinator" --config "$config"
