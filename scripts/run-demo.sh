#!/usr/bin/env bash
# The main job: builds fleet-coordinator and runs it on the demo fleet (config/demo-fleet.json).
# usage: scripts/run-demo.sh [extra fleet-coordinator flags]
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/install-deps.sh
scripts/build.sh release >/dev/null
exec out/build/release/coordinator/fleet-coordinator --config config/demo-fleet.json "$@"
