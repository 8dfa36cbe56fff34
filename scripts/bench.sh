#!/usr/bin/env bash
# Builds the release preset and runs the benchmarks, printing their tables.
# usage: scripts/bench.sh [PANELS] [ROUNDS]   (panel benchmark size; default 1000 panels, 10 rounds)
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/install-deps.sh
scripts/build.sh release >/dev/null
out/build/release/bench/selector_bench
echo
out/build/release/bench/panel_bench out/build/release/tools/fake_xui/fake-xui "${1:-1000}" "${2:-10}"
echo
out/build/release/bench/health_bench out/build/release/tools/fake_xui/fake-xui 1000 30
echo
out/build/release/bench/restart_bench out/build/release/tools/fake_xui/fake-xui 1000
echo
out/build/release/bench/ledger_bench 1000 1000 3 out/build/release/tools/fake_xui/fake-xui
echo
out/build/release/bench/coordinator_bench out/build/release/tools/fake_xui/fake-xui
echo
out/build/release/bench/agent_bench out/build/release/tools/fake_xui/fake-xui scripts/make-certs.sh
echo
out/build/release/bench/evacuation_bench out/build/release/tools/fake_xui/fake-xui
echo
out/build/release/bench/provisioning_bench out/build/release/tools/fake_xui/fake-xui \
  out/build/release/coordinator/fleet-coordinator
echo
bench/http_bench.sh out/build/release
echo
bench/subscription_bench.sh out/build/release
echo
bench/webhook_bench.sh out/build/release
echo
bench/dashboard_load.sh out/build/release
