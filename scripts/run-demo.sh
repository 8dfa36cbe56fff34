#!/usr/bin/env bash
# The main job: builds the release preset, starts the demo fleet's panels (fake-xui on
# loopback, one per 3X-UI generation) and runs fleet-coordinator on config/demo-fleet.json:
# config summary, placement dry run, and a probe of every panel.
# usage: scripts/run-demo.sh
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/install-deps.sh
scripts/build.sh release >/dev/null
bin=out/build/release
config=config/demo-fleet.json

"$bin/tools/fake_xui/fake-xui" --control-port 20530 \
  --panel name=eu1,port=20531,base=/eu1/,profile=classic,user=admin,password=demo-password \
  --panel name=eu2,port=20531,base=/eu2/,profile=classic-csrf,user=admin,password=demo-password \
  --panel name=us1,port=20531,base=/us1/,profile=gen2,user=admin,password=demo-password \
  --panel name=asia1,port=20531,base=/asia1/,profile=gen2,token=demo-api-token-asia-1 \
  --panel name=spare,port=20532,profile=classic,user=admin,password=demo-password >/dev/null &
panels=$!
trap 'kill $panels 2>/dev/null; wait $panels 2>/dev/null' EXIT
sleep 0.5

"$bin/coordinator/fleet-coordinator" --config "$config"
for id in 1 2 3 4; do
  echo
  "$bin/coordinator/fleet-coordinator" --config "$config" --probe "$id"
done
