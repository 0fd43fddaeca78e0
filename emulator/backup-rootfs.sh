#!/usr/bin/env bash
# Builds the root filesystem of the backup image (backup/Dockerfile) without Docker, and prints its path.
#
# The recipe is read from backup/Dockerfile itself: the Debian suite of its FROM line and the pinned packages of
# its `apt-get install` (every one `name=version`; an unpinned package is refused). mmdebstrap (Debian package
# mmdebstrap) installs them into a fresh bookworm tree. The tree is cached OUTSIDE the repository under
# $PACKAGECLOUD_ROOTFS_CACHE (default /var/cache/packagecloud-infra) as rootfs-<sha256 of the recipe>: a second
# run with the same recipe prints the cached path at once (idempotent); a changed pin builds a new tree. The tree
# is built beside its final name and renamed when complete, so an interrupted build is never used.
#
# Used by test/engine/backup-job.test.ts (the backup and the restore verification run inside the tree) and by
# CI (tooling/install-tools.sh). Needs root (mmdebstrap's root mode) and the Debian mirror.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# --print-recipe: print the recipe (and the path it would be cached at) without building (test/backup/image.test.ts).
print_only=0
if [[ "${1:-}" == --print-recipe ]]; then print_only=1; shift; fi
dockerfile=${1:-$here/backup/Dockerfile}
mirror=${PACKAGECLOUD_ROOTFS_MIRROR:-http://deb.debian.org/debian}
cache=${PACKAGECLOUD_ROOTFS_CACHE:-/var/cache/packagecloud-infra}

if ((!print_only)) && ! command -v mmdebstrap >/dev/null; then
  echo "backup-rootfs: mmdebstrap is required but was not found. Get it: apt-get install mmdebstrap (Debian package mmdebstrap)" >&2
  exit 127
fi

# FROM debian:<suite>-slim (or @sha256 digest after the tag)
suite=$(sed -n 's/^FROM debian:\([a-z]*\)\(-slim\)\{0,1\}\([@:].*\)\{0,1\}$/\1/p' "$dockerfile" | head -n 1)
if [[ -z "$suite" ]]; then
  echo "backup-rootfs: $dockerfile has no 'FROM debian:<suite>-slim' line" >&2
  exit 2
fi
# The words after `apt-get install -y --no-install-recommends`, across the continuation lines, up to the `&&`.
packages=$(awk '/apt-get install/ { on = 1 } on { print } on && /&&/ && !/apt-get install/ { exit }' "$dockerfile" |
  tr -d '\134' | tr ' ' '\n' | grep -E '^[a-z0-9][a-z0-9.+-]+=' || true)
if [[ -z "$packages" ]]; then
  echo "backup-rootfs: no pinned packages (name=version) in the apt-get install of $dockerfile" >&2
  exit 2
fi
unpinned=$(awk '/apt-get install/ { on = 1 } on { print } on && /&&/ && !/apt-get install/ { exit }' "$dockerfile" |
  tr -d '\134' | tr ' ' '\n' | grep -E '^[a-z0-9][a-z0-9.+-]+$' | grep -vxE 'DEBIAN_FRONTEND=.*|apt-get|install|&&|rm' || true)
if [[ -n "$unpinned" ]]; then
  echo "backup-rootfs: unpinned package(s) in $dockerfile: $(echo "$unpinned" | tr '\n' ' ')(write name=version)" >&2
  exit 2
fi
include=$(echo "$packages" | sort | paste -sd, -)
recipe="mmdebstrap 1; variant apt; suite $suite; mirror $mirror; include $include"
hash=$(printf '%s' "$recipe" | sha256sum | cut -c1-16)
target="$cache/rootfs-$hash"
if ((print_only)); then
  printf '%s\n%s\n' "$recipe" "$target"
  exit 0
fi
if [[ -f "$target/.packagecloud-rootfs-recipe" ]]; then
  echo "$target"
  exit 0
fi
mkdir -p "$cache"
partial=$(mktemp -d "$cache/.rootfs-$hash.XXXXXX")
trap 'rm -rf "$partial"' EXIT
# variant apt: Essential packages and apt, as debian:<suite>-slim; the security and updates suites as the image's
# apt-get update sees them.
mmdebstrap --quiet --variant=apt --include="$include" --aptopt='Acquire::Retries "3"' \
  "$suite" "$partial" \
  "deb $mirror $suite main" "deb $mirror $suite-updates main" "deb http://deb.debian.org/debian-security $suite-security main" >&2
printf '%s\n' "$recipe" >"$partial/.packagecloud-rootfs-recipe"
rm -rf "$target"
mv "$partial" "$target"
trap - EXIT
echo "$target"
