#!/usr/bin/env bash
# Fidelity check of fake-xui against an independent client: installs the npm package
# 3xui-api-client (pinned) into WORK_DIR, starts fake-xui with one panel per profile and runs
# xui_api_client_fidelity.js against each.
# usage: run_fidelity.sh FAKE_XUI WORK_DIR
set -euo pipefail
fake=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
if [ ! -d "$work/node_modules/3xui-api-client" ]; then
  (cd "$work" && npm install --no-audit --no-fund --loglevel=error 3xui-api-client@3.2.1 >/dev/null)
fi
out=$(mktemp)
"$fake" --keep-alive 1 \
  --panel name=classic,profile=classic,base=/c1/,user=admin,password=fidelity-Pass-123 \
  --panel name=csrf,profile=classic-csrf,base=/RandomBase18chars/,user=admin,password=fidelity-Pass-123 \
  --panel name=gen2,profile=gen2,base=/g2/,user=admin,password=fidelity-Pass-123 >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do
  [ -s "$out" ] && break
  sleep 0.1
done
desc=$(head -n1 "$out")
control=$(node -e 'console.log(JSON.parse(process.argv[1]).control_port)' "$desc")
status=0
for panel in classic csrf gen2; do
  read -r port base profile < <(node -e '
    const d = JSON.parse(process.argv[1]);
    const p = d.panels.find((x) => x.name === process.argv[2]);
    console.log(p.port, p.base_path, p.profile);' "$desc" "$panel")
  NODE_PATH="$work/node_modules" node "$here/xui_api_client_fidelity.js" \
    "http://127.0.0.1:$port${base%/}" "http://127.0.0.1:$control" "$panel" "$profile" || status=1
done
exit $status
