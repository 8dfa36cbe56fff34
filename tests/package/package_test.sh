#!/usr/bin/env bash
# The Debian package, made by `cpack -G DEB` from a configured and built tree.
#   contents  the file name and control fields (version from project(), Depends from
#             dpkg-shlibdeps covering every library the programs link), the files and their
#             modes, the conffiles, the maintainer scripts (sh -n, shellcheck); unpacked: the
#             programs report that version and accept the example configs with the secrets
#             in the environment (as the env files give them), the configs carry no secret,
#             `systemd-analyze verify` and `security --offline` accept the units (on the
#             unpacked tree, no running systemd needed); `promtool check rules` and `test
#             rules` for the alerts; the Grafana dashboard is JSON, its queries parse and it
#             queries exactly the series the coordinator exports.
#   install   dpkg -i, an upgrade, -r, -i and -P in a throwaway copy of this machine (a mount
#             namespace with a tmpfs overlay over /): the service user, the configs' group
#             and modes, units not enabled by the package and an operator's enablement and
#             edited config kept, a mask while removed, nothing left after the purge.
# usage: package_test.sh contents|install CPACK BUILD_DIR SOURCE_DIR
# Exit status 77 (skipped) only when a tool it needs is missing, or for `install` when this
# machine cannot make a throwaway root (not root, no mount namespaces or overlayfs).
set -u
mode=$1 cpack=$2 build=$(cd "$3" && pwd) src=$(cd "$4" && pwd)
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() {
  failed=$((failed + 1))
  echo "FAIL $1"
  [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/     /'
}
check() { # NAME COMMAND...: passes when COMMAND succeeds; its output is shown when it fails
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then ok "$name"; else bad "$name" "$out"; fi
}
same() { # NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "$(diff <(printf '%s\n' "$2") <(printf '%s\n' "$3"))"; fi
}
skip() {
  echo "SKIP $*"
  exit 77
}
need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || skip "$tool is missing (scripts/install-deps.sh installs it)"
  done
}
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] || exit 1
  exit 0
}

need dpkg dpkg-deb dpkg-shlibdeps objdump ldd
[ -x "$cpack" ] || skip "cpack ($cpack) is missing"
[ -f "$build/CPackConfig.cmake" ] || {
  echo "FAIL no CPackConfig.cmake in $build: configure the tree first"
  exit 1
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's/^project(xui_fleet VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
arch=$(dpkg --print-architecture)
name=xui-fleet_${version}_${arch}.deb
deb=$work/$name
if ! "$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 \
  || [ ! -f "$deb" ]; then
  echo "FAIL cpack -G DEB did not make $name"
  cat "$work/cpack.log"
  ls "$work"
  exit 1
fi
ok "cpack -G DEB made $name"
rm -rf "$work/_CPack_Packages"

units="xui-fleet-coordinator.service xui-fleet-agent.service"
configs="coordinator.json coordinator.env agent.json agent.env"

contents() {
  need systemd-analyze promtool jq shellcheck
  local field
  for field in "Package xui-fleet" "Version $version" "Architecture $arch" "Section net"; do
    same "control: ${field%% *} is ${field#* }" "${field#* }" "$(dpkg-deb -f "$deb" "${field%% *}")"
  done
  [ -n "$(dpkg-deb -f "$deb" Maintainer)" ] && [ -n "$(dpkg-deb -f "$deb" Description)" ] \
    && ok "control: Maintainer and Description" || bad "control: Maintainer or Description missing"

  # Every file, its mode and owner; nothing else (no fake-xui, tests, benchmarks or libraries).
  local expected actual
  expected=$(sort <<'LIST'
-rw-r----- root/root ./etc/xui-fleet/agent.env
-rw-r----- root/root ./etc/xui-fleet/agent.json
-rw-r----- root/root ./etc/xui-fleet/coordinator.env
-rw-r----- root/root ./etc/xui-fleet/coordinator.json
-rw-r--r-- root/root ./lib/systemd/system/xui-fleet-agent.service
-rw-r--r-- root/root ./lib/systemd/system/xui-fleet-coordinator.service
-rwxr-xr-x root/root ./usr/bin/fleet-agent
-rwxr-xr-x root/root ./usr/bin/fleet-coordinator
-rwxr-xr-x root/root ./usr/bin/fleetctl
-rw-r--r-- root/root ./usr/share/doc/xui-fleet/README.md
-rw-r--r-- root/root ./usr/share/xui-fleet/grafana/xui-fleet-dashboard.json
-rwxr-xr-x root/root ./usr/share/xui-fleet/make-certs.sh
-rw-r--r-- root/root ./usr/share/xui-fleet/prometheus/xui-fleet-alerts.yml
LIST
)
  actual=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $1, $2, $6}' | sort)
  same "files: the programs, units, configs, dashboard, rules and docs, with their modes" \
    "$expected" "$actual"

  mkdir -p "$work/control" "$work/root"
  dpkg-deb -e "$deb" "$work/control"
  dpkg-deb -x "$deb" "$work/root"
  local root=$work/root
  same "conffiles: every file in /etc/xui-fleet" \
    "$(for f in $configs; do echo "/etc/xui-fleet/$f"; done | sort)" "$(sort "$work/control/conffiles")"
  local script
  for script in postinst prerm postrm; do
    check "$script: executable, sh -n and shellcheck" \
      sh -c "test -x '$work/control/$script' && sh -n '$work/control/$script' \
             && shellcheck -s sh '$work/control/$script'"
  done

  # Depends: adduser (postinst) and the package of every library the programs link.
  local depends lib path owner names missing=""
  depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//')
  echo "     Depends: $(dpkg-deb -f "$deb" Depends)"
  grep -qx adduser <<<"$depends" || missing+=" adduser"
  local bin
  for bin in "$root"/usr/bin/*; do
    for lib in $(objdump -p "$bin" | awk '/NEEDED/ {print $2}'); do
      path=$(ldd "$bin" | awk -v l="$lib" '$1 == l {print $3}')
      owner=$( (dpkg -S "$path" || dpkg -S "/usr$path") 2>/dev/null | head -n1 | cut -d: -f1)
      # A library package may be named by what it provides (libspdlog1.10 -> -fmt9).
      names=$(
        echo "${owner:-?}"
        dpkg-query -W -f='${Provides}' "$owner" 2>/dev/null | tr ',' '\n' | sed 's/^ *//; s/ .*//'
      )
      grep -qxF -f <(echo "$names") <<<"$depends" || missing+=" $lib(${owner:-no package})"
    done
  done
  [ -z "$missing" ] && ok "Depends: adduser and every linked library's package" \
    || bad "Depends misses:$missing"

  same "fleet-coordinator --version is the package's" "fleet-coordinator $version" \
    "$("$root/usr/bin/fleet-coordinator" --version 2>&1)"
  same "fleet-agent --version is the package's" "fleet-agent $version" \
    "$("$root/usr/bin/fleet-agent" --version 2>&1 | sed 's/ (protocol.*//')"
  check "fleetctl --help" "$root/usr/bin/fleetctl" --help

  # Safe defaults: no secret in a config, no assignment in an env file; secrets come from
  # the environment, named as the env files and the notes name them.
  local etc=$root/etc/xui-fleet f secrets
  for f in coordinator.json agent.json; do
    secrets=$(jq -r '[paths(scalars) as $p | ($p | map(tostring) | join(".")) as $name
      | select(($name | test("password|api_token|two_factor_secret")) and getpath($p) != "")
      | $name] | .[]' "$etc/$f")
    same "$f: no secret (passwords, tokens) in it" "" "$secrets"
  done
  for f in coordinator.env agent.env; do
    same "$f: every line a comment" "" "$(grep -v '^#' "$etc/$f" | grep -v '^$')"
  done
  local env=() id var
  for id in $(jq -r '.xui_servers[].id' "$etc/coordinator.json"); do
    var=$(tr 'a-z' 'A-Z' <<<"XUI_SERVER_${id}_PASSWORD" | tr -c 'A-Z0-9_\n' '_')
    grep -q "^#$var=" "$etc/coordinator.env" && ok "coordinator.env names $var" \
      || bad "coordinator.env does not name $var"
    env+=("$var=panel-password-$id")
  done
  local out
  out=$("$root/usr/bin/fleet-coordinator" --config "$etc/coordinator.json" --check-config 2>&1)
  [ $? -eq 1 ] && grep -q "set ${env[0]%%=*}" <<<"$out" \
    && ok "coordinator.json without the env file: refused, naming ${env[0]%%=*}" \
    || bad "coordinator.json without the env file was not refused with the variable's name" "$out"
  check "coordinator.json with the env file's secrets passes --check-config" \
    env "${env[@]}" FLEET_API_TOKEN=0123456789abcdef0123 \
    "$root/usr/bin/fleet-coordinator" --config "$etc/coordinator.json" --check-config
  same "coordinator.json keeps its state where the unit does" "/var/lib/xui-fleet" \
    "$(jq -r .coordinator.data_dir "$etc/coordinator.json")"

  # The agent's TLS paths are in /etc/xui-fleet/pki; with certificates there it passes.
  local agent_id pki=$work/pki agent_env=()
  agent_id=$(jq -r .agent.id "$etc/agent.json")
  same "agent.json: certificates in /etc/xui-fleet/pki" \
    "/etc/xui-fleet/pki/$agent_id.pem /etc/xui-fleet/pki/$agent_id.key /etc/xui-fleet/pki/ca.pem" \
    "$(jq -r '[.agent.tls.cert, .agent.tls.key, .agent.tls.ca] | join(" ")' "$etc/agent.json")"
  bash "$src/scripts/make-certs.sh" "$pki" "$agent_id" >/dev/null
  sed "s#/etc/xui-fleet/pki#$pki#g" "$etc/agent.json" >"$work/agent.json"
  for id in $(jq -r '.xui_servers[].id' "$etc/agent.json"); do
    agent_env+=("$(tr 'a-z' 'A-Z' <<<"XUI_SERVER_${id}_PASSWORD" | tr -c 'A-Z0-9_\n' '_')=pw")
  done
  check "agent.json with certificates and the env file's secrets passes --check-config" \
    env "${agent_env[@]}" "$root/usr/bin/fleet-agent" --config "$work/agent.json" --check-config

  # The units: what the issue asks of them, then systemd's own verdicts on the unpacked tree
  # (--root: the ExecStart programs are looked up there; the host's targets are copied in so
  # that After=/WantedBy= resolve). Any output of verify is a finding.
  local unit file directive
  for unit in $units; do
    file=$root/lib/systemd/system/$unit
    missing=""
    for directive in "User=xui-fleet" "ProtectSystem=strict" "ProtectHome=yes" "PrivateTmp=yes" \
      "NoNewPrivileges=yes" "CapabilityBoundingSet=" "SystemCallFilter=@system-service" \
      "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" "Restart=on-failure" \
      "LimitNOFILE=65536" "WantedBy=multi-user.target"; do
      grep -qx "$directive" "$file" || missing+=" $directive"
    done
    same "$unit: the hardening and restart lines are there" "" "$missing"
    missing=""
    for path in $(sed -n 's/^EnvironmentFile=-\{0,1\}//p; s/^ExecStart=//p' "$file" \
      | tr ' ' '\n' | grep -E '^/(usr|etc)/'); do
      [ -e "$root$path" ] || missing+=" $path"
    done
    same "$unit: its program, config and env file are in the package" "" "$missing"
  done
  check "xui-fleet-coordinator.service: StateDirectory is the data dir" \
    grep -q -- '--data-dir /var/lib/xui-fleet$' "$root/lib/systemd/system/xui-fleet-coordinator.service"
  grep -qx "StateDirectory=xui-fleet" "$root/lib/systemd/system/xui-fleet-coordinator.service" \
    || bad "xui-fleet-coordinator.service: no StateDirectory=xui-fleet"
  grep -qxF 'ExecReload=/bin/kill -HUP $MAINPID' "$root/lib/systemd/system/xui-fleet-coordinator.service" \
    || bad "xui-fleet-coordinator.service: systemctl reload does not send SIGHUP"
  local targets
  targets=$(ls -d /lib/systemd/system /usr/lib/systemd/system 2>/dev/null | head -n1)
  cp -n "$targets"/*.target "$root/lib/systemd/system/"
  # /bin/kill (ExecReload) comes from procps, a dependency, as it would on the host.
  mkdir -p "$root/bin" && cp -n /bin/kill "$root/bin/"
  out=$(systemd-analyze verify --man=no --root="$root" $units 2>&1)
  [ $? -eq 0 ] && [ -z "$out" ] && ok "systemd-analyze verify accepts both units" \
    || bad "systemd-analyze verify" "$out"
  for unit in $units; do
    out=$(systemd-analyze security --offline=yes --root="$root" --threshold=20 "$unit" 2>&1)
    [ $? -eq 0 ] && ok "$unit: exposure $(sed -n 's/.*exposure level for [^:]*: \([0-9.]* [A-Z]*\).*/\1/p' <<<"$out") (at most 2.0)" \
      || bad "$unit: systemd-analyze security above 2.0" "$(grep -E '✗|Overall' <<<"$out")"
  done

  # Prometheus rules, and every series the rules and the dashboard name exists in /metrics.
  check "promtool check rules deploy/prometheus/*.yml" promtool check rules "$src"/deploy/prometheus/*.yml
  check "promtool test rules tests/package/alerts_test.yml" \
    promtool test rules "$src/tests/package/alerts_test.yml"
  local exported dash=$src/deploy/grafana/xui-fleet-dashboard.json
  exported=$(grep -o '"xui_fleet_[a-z0-9_]*[a-z0-9]' "$src/coordinator/metrics/fleet_metrics.cpp" | tr -d '"' | sort -u)
  local in_rules
  in_rules=$(grep -oh 'xui_fleet_[a-z0-9_]*[a-z0-9]' "$src"/deploy/prometheus/*.yml | sort -u)
  same "the alert rules name only exported series" "" "$(comm -13 <(echo "$exported") <(echo "$in_rules"))"
  check "the dashboard is JSON" jq empty "$dash"
  same "the dashboard's variables: DS_PROMETHEUS (datasource) and server" \
    "DS_PROMETHEUS datasource
server query" "$(jq -r '.templating.list[] | "\(.name) \(.type)"' "$dash")"
  same "every panel and query uses \${DS_PROMETHEUS}" "" \
    "$(jq -r '.. | objects | select(has("datasource")) | .datasource
      | select(type != "object" or .uid != "${DS_PROMETHEUS}") | tostring' "$dash")"
  local exprs in_dash
  exprs=$(jq -r '[.panels[] | .targets[]? | .expr] + [.templating.list[] | .definition // empty] | .[]' "$dash")
  in_dash=$(grep -o 'xui_fleet_[a-z0-9_]*[a-z0-9]' <<<"$exprs" | sort -u)
  same "the dashboard queries only exported series" "" "$(comm -13 <(echo "$exported") <(echo "$in_dash"))"
  same "the dashboard shows every exported series" "" "$(comm -23 <(echo "$exported") <(echo "$in_dash"))"
  # promtool parses every query as a recording rule, Grafana's variables given values.
  jq -r '[.panels[] | .targets[]? | .expr] | to_entries[]
    | "      - record: dashboard_query_\(.key)\n        expr: \(.value | tojson)"' "$dash" \
    | sed 's/\$__rate_interval/5m/g; s/\$server/.*/g' \
    | { printf 'groups:\n  - name: dashboard\n    rules:\n'; cat; } >"$work/dashboard-queries.yml"
  check "every dashboard query is valid PromQL" promtool check rules "$work/dashboard-queries.yml"
}

# Runs in its own mount namespace (unshare -m): a tmpfs overlay over / is the throwaway
# root; dpkg there changes nothing outside. /run is empty, so no systemctl is called.
install_inside() {
  local top=$work/ovl m
  mkdir -p "$top"
  mount -t tmpfs tmpfs "$top" || return 77
  mkdir -p "$top/upper" "$top/work" "$top/merged"
  m=$top/merged
  mount -t overlay overlay -o "lowerdir=/,upperdir=$top/upper,workdir=$top/work" "$m" || return 77
  mount --bind /proc "$m/proc" && mount --bind /dev "$m/dev" && mount -t tmpfs tmpfs "$m/run" \
    && mount -t tmpfs tmpfs "$m/tmp" || return 77
  mkdir -p "$m/pkgtest" && mount --bind "$work" "$m/pkgtest" || return 77
  in_root() { chroot "$m" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c "$1"; }
  dpkg_i="DEBIAN_FRONTEND=noninteractive dpkg --force-confdef --force-confold -i /pkgtest/$name"
  local out
  out=$(in_root "$dpkg_i" 2>&1) && ok "dpkg -i $name" || bad "dpkg -i $name" "$out"
  same "the service user: a system user without a login" "/usr/sbin/nologin" \
    "$(in_root 'getent passwd xui-fleet' | cut -d: -f7)"
  same "the configs: root:xui-fleet 640, pki root:xui-fleet 750" \
    "$(for f in $configs; do echo "root:xui-fleet 640 /etc/xui-fleet/$f"; done
      echo "root:xui-fleet 750 /etc/xui-fleet/pki")" \
    "$(in_root "cd /etc/xui-fleet && stat -c '%U:%G %a /etc/xui-fleet/%n' $configs pki")"
  same "the package enables no unit" "" "$(in_root 'ls /etc/systemd/system/multi-user.target.wants' | grep xui)"
  same "the installed coordinator runs" "fleet-coordinator $version" \
    "$(in_root 'fleet-coordinator --version')"

  in_root 'systemctl enable xui-fleet-coordinator.service && echo " " >>/etc/xui-fleet/coordinator.json' \
    >/dev/null 2>&1
  out=$(in_root "$dpkg_i" 2>&1) && ok "an upgrade (dpkg -i again)" || bad "an upgrade" "$out"
  same "the upgrade keeps the operator's enablement" "xui-fleet-coordinator.service" \
    "$(in_root 'ls /etc/systemd/system/multi-user.target.wants' | grep xui)"
  same "the upgrade keeps the edited config" " " "$(in_root 'tail -n1 /etc/xui-fleet/coordinator.json')"

  out=$(in_root 'dpkg -r xui-fleet' 2>&1) && ok "dpkg -r" || bad "dpkg -r" "$out"
  same "removed: the programs gone" "" "$(in_root 'ls /usr/bin | grep fleet')"
  same "removed: the configs kept" "$(printf '%s\n' $configs pki | sort)" \
    "$(in_root 'ls /etc/xui-fleet' | sort)"
  same "removed: both units masked" "/dev/null /dev/null" \
    "$(in_root 'cd /etc/systemd/system && readlink xui-fleet-coordinator.service xui-fleet-agent.service' \
      | paste -sd' ')"
  out=$(in_root "$dpkg_i" 2>&1) && ok "dpkg -i after the removal" || bad "dpkg -i after the removal" "$out"
  same "reinstalled: unmasked, the coordinator enabled again, the agent not" \
    "xui-fleet-coordinator.service" \
    "$(in_root 'ls /etc/systemd/system/ /etc/systemd/system/multi-user.target.wants' | grep xui)"

  out=$(in_root 'dpkg -P xui-fleet' 2>&1) && ok "dpkg -P" || bad "dpkg -P" "$out"
  same "purged: no /etc/xui-fleet, statoverride, unit link or state file left" "" \
    "$(in_root 'ls -d /etc/xui-fleet 2>/dev/null; dpkg-statoverride --list | grep xui-fleet
      ls /etc/systemd/system /etc/systemd/system/*.wants /var/lib/systemd/deb-systemd-helper-enabled \
        /var/lib/systemd/deb-systemd-helper-masked 2>/dev/null | grep xui-fleet')"
  return 0
}

install() {
  need unshare chroot mount
  [ "$(id -u)" -eq 0 ] || skip "dpkg -i needs root"
  if dpkg-query -W -f='${Status}' xui-fleet 2>/dev/null | grep -q installed; then
    skip "xui-fleet is installed on this machine; the throwaway root would start from it"
  fi
  unshare -m true 2>/dev/null || skip "no mount namespace here (unshare -m): no throwaway root"
  export -f install_inside ok bad same
  export work name version configs passed failed
  # The counts come back through a file, the namespace being another process.
  unshare -m bash -c 'install_inside; status=$?; echo "$passed $failed" >"$work/counts"; exit $status'
  local status=$?
  [ "$status" -eq 77 ] && skip "overlayfs over / cannot be mounted here: no throwaway root"
  read -r passed failed <"$work/counts" || {
    echo "FAIL the install check did not finish"
    exit 1
  }
}

case $mode in
contents) contents ;;
install) install ;;
*)
  echo "usage: package_test.sh contents|install CPACK BUILD_DIR SOURCE_DIR" >&2
  exit 2
  ;;
esac
finish
