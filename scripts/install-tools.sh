#!/usr/bin/env bash
# Installs the command-line tools the tests use beyond Node: Debian packages, installed only when missing.
# Run by .ci/run; run it once by hand on a new machine (as root, or with sudo) before `npm test`.
set -euo pipefail

missing=()
command -v shellcheck >/dev/null || missing+=(shellcheck)
command -v mkfs.xfs >/dev/null || missing+=(xfsprogs)
command -v cloud-init >/dev/null || missing+=(cloud-init)

if (( ${#missing[@]} > 0 )); then
  echo "install-tools: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-tools: shellcheck $(shellcheck --version | sed -n 's/^version: //p'), $(mkfs.xfs -V), $(cloud-init --version 2>&1)"
