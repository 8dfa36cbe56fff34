#!/usr/bin/env bash
# Runs the full-disk tests of FULL_DISK_TESTS on a file system mounted for them:
# - tmpfs: a 24 MiB tmpfs that the tests fill and free ([full_disk]);
# - ext4: a 32 MiB ext4 image on a loop device, mounted with errors=remount-ro, that the test
#   makes fail through ext4's trigger_fs_error, as a disk error would ([read_only]).
# Mounting needs root (or CAP_SYS_ADMIN) and, for ext4, a loop device and mkfs.ext4; without
# them the test is skipped (exit 77) and says why.
# usage: full_disk_test.sh FULL_DISK_TESTS tmpfs|ext4
set -u
binary=$1 mode=$2
skip() {
  echo "SKIPPED: $*"
  exit 77
}
mnt=$(mktemp -d /tmp/fleet-full-disk.XXXXXX)
image=""
cleanup() {
  umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null
  rmdir "$mnt"
  [ -z "$image" ] || rm -f "$image"
}
trap cleanup EXIT
env_vars=(FLEET_SMALL_FS="$mnt" TMPDIR="$mnt")
if [ "$mode" = tmpfs ]; then
  tags="[full_disk]"
  out=$(mount -t tmpfs -o size=24m,mode=0700 fleet-full-disk "$mnt" 2>&1) ||
    skip "cannot mount a small tmpfs for the full-disk tests (needs root or CAP_SYS_ADMIN): $out"
else
  tags="[read_only]"
  command -v mkfs.ext4 >/dev/null || skip "no mkfs.ext4 for the read-only test"
  image=$(mktemp /tmp/fleet-ro-disk.XXXXXX)
  truncate -s 32M "$image"
  mkfs.ext4 -q -F "$image" || skip "mkfs.ext4 cannot make an image here"
  out=$(mount -o loop,errors=remount-ro "$image" "$mnt" 2>&1) ||
    skip "cannot mount an ext4 image on a loop device (needs root and /dev/loop*): $out"
  trigger=/sys/fs/ext4/$(basename "$(findmnt -n -o SOURCE "$mnt")")/trigger_fs_error
  [ -w "$trigger" ] || skip "this kernel has no $trigger to make the file system fail"
  env_vars+=(FLEET_FS_ERROR_TRIGGER="$trigger")
fi
echo "file system for $tags: $mnt ($(df -h --output=size "$mnt" | tail -n1 | tr -d ' '))"
listed=$("$binary" --list-test-names-only "$tags" | grep -c .)
[ "$listed" -gt 0 ] || { echo "FAIL: $binary lists no $tags tests"; exit 1; }
env "${env_vars[@]}" "$binary" --durations yes "$tags"
status=$?
[ $status -eq 0 ] && echo "ok: $listed $tags tests passed"
exit $status
