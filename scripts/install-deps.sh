#!/usr/bin/env bash
# Installs the Debian 12 packages xui-fleet builds and tests with. Safe to run again.
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ ccache pkg-config
  # libraries (see README: dependencies)
  libcaf-dev librocksdb-dev libspdlog-dev nlohmann-json3-dev catch2 libcurl4-openssl-dev
  libcpp-httplib-dev libssl-dev libboost1.81-dev
  # tests only: the Clash subscription is checked by parsing its YAML back
  libyaml-cpp-dev
  # API tests: promtool checks /metrics; benchmarks: wrk and nginx
  prometheus wrk nginx-light
  # formatting check
  clang-format
  # fuzzing (scripts/fuzz.sh): clang, and libFuzzer with the sanitizer runtimes, which
  # --no-install-recommends leaves out
  clang libclang-rt-14-dev
  # test certificates
  openssl
  # the Debian package's test: dpkg-shlibdeps (Depends), systemd-analyze (units), jq (the
  # dashboard and configs), shellcheck (maintainer scripts)
  dpkg-dev systemd jq shellcheck
  # the web dashboard embeds Chart.js at build time; its browser test runs chromium
  libjs-chart.js chromium fonts-dejavu-core
)

# Node.js and npm run the fake panel's fidelity test; the machine image usually has them.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
