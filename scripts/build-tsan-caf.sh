#!/usr/bin/env bash
# Builds CAF 0.17.6 from Debian's own source package (the one libcaf-dev is built from) with
# ThreadSanitizer, into out/deps/caf-tsan, for the tsan preset. Debian's libcaf_core is not
# instrumented, so ThreadSanitizer cannot see the ordering its lock-free mailboxes give and
# reports every message handed from one actor to another as a data race. Does nothing when
# the libraries are already there.
# usage: scripts/build-tsan-caf.sh
set -euo pipefail
source "$(dirname "$0")/env.sh"

prefix=$FLEET_ROOT/out/deps/caf-tsan
work=$FLEET_ROOT/out/deps/caf-tsan-src
source_version=$(dpkg-query -W -f='${source:Version}' libcaf-dev)
upstream=${source_version%-*}
stamp=$prefix/built-from-$source_version
if [ -f "$stamp" ]; then
  exit 0
fi

rm -rf "$work" "$prefix"
mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial"
echo "deb-src http://deb.debian.org/debian bookworm main" >"$work/apt/sources.list"
# A private package index, so the machine's own apt lists stay as they are.
apt_opts=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache")
echo "build-tsan-caf: fetching Debian's actor-framework $source_version source"
apt-get "${apt_opts[@]}" -qq update
# Only the upstream tarball is needed; the mirror does not always serve the packaging tarball,
# which makes apt-get fail after the tarball has arrived. The tarball is checked against the
# .dsc (which apt checked against the signed index) instead.
(cd "$work" && apt-get "${apt_opts[@]}" -qq source --download-only \
  "actor-framework=$source_version" >/dev/null 2>&1) || true
tarball=actor-framework_$upstream.orig.tar.gz
dsc=$work/actor-framework_$source_version.dsc
if [ ! -f "$dsc" ] || [ ! -f "$work/$tarball" ]; then
  echo "build-tsan-caf: could not download $tarball and its .dsc from deb.debian.org" >&2
  exit 1
fi
want=$(awk -v f="$tarball" '/^Checksums-Sha256:/ {on = 1; next} /^[^ ]/ {on = 0}
  on && $3 == f {print $1}' "$dsc")
got=$(sha256sum "$work/$tarball" | cut -d' ' -f1)
if [ -z "$want" ] || [ "$want" != "$got" ]; then
  echo "build-tsan-caf: $tarball does not match the SHA-256 in its .dsc (want '$want', got '$got')" >&2
  exit 1
fi
tar -xzf "$work/$tarball" -C "$work"

# The same modules and defaults as Debian's build (log level quiet), minus what xui-fleet does
# not use. `-include limits`: CAF 0.17.6 misses that include, which GCC 12 no longer pulls in.
echo "build-tsan-caf: building CAF $upstream with -fsanitize=thread (about 11 CPU-minutes)"
build_caf() {
  cmake -S "$work/actor-framework-$upstream" -B "$work/build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DCMAKE_CXX_FLAGS="-fsanitize=thread -include limits" \
    -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DCAF_NO_EXAMPLES=yes -DCAF_NO_UNIT_TESTS=yes -DCAF_NO_TOOLS=yes -DCAF_NO_PYTHON=yes \
    -DCAF_NO_OPENCL=yes -DCAF_NO_SUMMARY=yes &&
    cmake --build "$work/build" && cmake --install "$work/build"
}
if ! build_caf >"$work/build.log" 2>&1; then
  tail -n 30 "$work/build.log" >&2
  echo "build-tsan-caf: building CAF failed; the whole log is $work/build.log" >&2
  exit 1
fi
# Install the headers as Debian's libcaf-dev does: with the test DSL (tests use CAF's test
# coordinator) and with Debian's one-line fix to receive_buffer.hpp.
src=$work/actor-framework-$upstream
cp -r "$src/libcaf_test/caf/test" "$prefix/include/caf/"
sed -i 's|^#include <cstring>$|#include <cstring>\n#include <limits>|' \
  "$prefix/include/caf/io/network/receive_buffer.hpp"
touch "$stamp"
