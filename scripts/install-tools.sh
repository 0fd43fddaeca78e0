#!/usr/bin/env bash
# Installs the command-line tools the tests use beyond Node: Debian packages, installed only when missing.
# Run by .ci/run; run it once by hand on a new machine (as root, or with sudo) before `npm test`.
set -euo pipefail

missing=()
command -v shellcheck >/dev/null || missing+=(shellcheck)
command -v mkfs.xfs >/dev/null || missing+=(xfsprogs)
command -v cloud-init >/dev/null || missing+=(cloud-init)
command -v rsync >/dev/null || missing+=(rsync) # gitlab-ci-local copies the project into its build directory
# test/engine/backup-job.test.ts: MariaDB's server binaries without the service mariadb-server would start at
# install (the test starts its own server in a temp directory), its client, age, and systemd-analyze.
command -v mariadbd >/dev/null || missing+=(mariadb-server-core)
command -v mariadb-dump >/dev/null || missing+=(mariadb-client)
command -v age >/dev/null || missing+=(age)
command -v systemd-analyze >/dev/null || missing+=(systemd)
command -v aws >/dev/null || missing+=(awscli)

if (( ${#missing[@]} > 0 )); then
  echo "install-tools: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# promtool (for test/engine/promtool.test.ts) comes from Debian's prometheus package, unpacked into .tools/ rather
# than installed: installing it would create a user and start a Prometheus server we do not want on this machine.
tools_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools"
promtool="$tools_dir/prometheus/usr/bin/promtool"
if [[ ! -x "$promtool" ]]; then
  echo "install-tools: unpacking promtool from the Debian package prometheus into $tools_dir/prometheus"
  apt_cmd=()
  [[ $(id -u) -eq 0 ]] || apt_cmd=(sudo)
  download_dir=$(mktemp -d)
  # apt-get download writes to the current directory; _apt must be able to write there when run as root.
  chmod 0777 "$download_dir"
  if ! (cd "$download_dir" && apt-get download -qq prometheus) 2>/dev/null; then
    "${apt_cmd[@]}" apt-get update -qq
    (cd "$download_dir" && apt-get download -qq prometheus)
  fi
  mkdir -p "$tools_dir/prometheus"
  dpkg-deb -x "$download_dir"/prometheus_*.deb "$tools_dir/prometheus"
  rm -rf "$download_dir"
fi
echo "install-tools: shellcheck $(shellcheck --version | sed -n 's/^version: //p'), $(mkfs.xfs -V), $(cloud-init --version 2>&1), $("$promtool" --version 2>&1 | head -n 1)"
