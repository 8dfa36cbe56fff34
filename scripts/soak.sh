#!/usr/bin/env bash
# The chaos soak (not part of CI): 200 fake panels, the coordinator (release build, RocksDB on
# disk) and two agents under a bot that creates, changes, renews and deletes clients without
# pause, while a chaos loop faults panels, freezes and kills agents and kills the coordinator.
# At the end every fault is cleared, one reconcile pass runs, and the fleet is checked: every
# acknowledged client on exactly one panel and in the store, no orphan, nothing lost or
# doubled, the coordinator's RSS and descriptors flat over the second half, no secret in any
# log. Prints a summary; exits 1 on any violation.
# usage: scripts/soak.sh [MINUTES] [soak.py options]   (default 30 minutes; see
#        scripts/soak/soak.py --help). SOAK_WORK=DIR: files there (default a new /tmp dir);
#        SOAK_PRESET=dev: the debug build instead of release; SOAK_NO_BUILD=1: no build.
set -euo pipefail
source "$(dirname "$0")/env.sh"
minutes=${1:-30}
preset=${SOAK_PRESET:-release}
[ -n "${SOAK_NO_BUILD:-}" ] || scripts/build.sh "$preset" >/dev/null
work=${SOAK_WORK:-$(mktemp -d /tmp/xui-fleet-soak.XXXXXX)}
shift || true
exec python3 scripts/soak/soak.py --minutes "$minutes" --build "$FLEET_ROOT/out/build/$preset" \
  --work "$work" --make-certs "$FLEET_ROOT/scripts/make-certs.sh" "$@"
