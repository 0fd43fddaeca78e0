#!/usr/bin/env bash
# Installs the external tools a CI job's tests need (the names of operator/lib/tools.ts), each only when missing,
# so the same step is a no-op in the CI image (ci/Dockerfile runs `install-tools-ci.sh all`) and installs on a
# stock node:20-bookworm runner image.
#
#   operator/ci/install-tools-ci.sh <tool>...   install these tools when missing
#   operator/ci/install-tools-ci.sh all         every tool below (the CI image)
#   operator/ci/install-tools-ci.sh --list      the tool names this script knows
#
# Sources: Debian packages (apt, signed archive); Terraform from releases.hashicorp.com, its zip checked against
# a pinned SHA-256 and against HashiCorp's signed SHA256SUMS (pinned key fingerprint); moto from PyPI, pinned
# version, in its own virtualenv. Runs as root (CI images do) or with sudo.
set -euo pipefail

TERRAFORM_VERSION=1.11.4
# terraform_1.11.4_<platform>.zip, as listed in HashiCorp's terraform_1.11.4_SHA256SUMS.
declare -A TERRAFORM_SHA256=(
  [linux_amd64]=1ce994251c00281d6845f0f268637ba50c0005657eb3cf096b92f753b42ef4dc
  [linux_arm64]=a43d1d0da9b9bab214a8305a39db0e40869572594ccf50c416a7756499143633
)
# HashiCorp's release signing key (https://www.hashicorp.com/security), fetched from HashiCorp and checked here.
HASHICORP_KEY_URL=https://www.hashicorp.com/.well-known/pgp-key.txt
HASHICORP_KEY_FINGERPRINT=C874011F0AB405110D02105534365D9472D7468F
TERRAFORM_RELEASES=${TERRAFORM_RELEASES:-https://releases.hashicorp.com/terraform}
MOTO_VERSION=5.2.1

# Tool (a command name) → Debian package, for everything apt provides.
declare -A DEBIAN_PACKAGE=(
  [shellcheck]=shellcheck
  [cloud-init]=cloud-init
  [mkfs.xfs]=xfsprogs
  [xfs_growfs]=xfsprogs
  [dpkg-deb]=dpkg
  [gpg]=gnupg
  [unshare]=util-linux
  [python3]=python3
  [losetup]=mount
  [rsync]=rsync
  [curl]=curl
  [git]=git
  # The server binaries without the service mariadb-server would start at install: the tests start their own.
  [mariadbd]=mariadb-server-core
  [mariadb-install-db]=mariadb-server-core
  [mariadb]=mariadb-client
  [mariadb-dump]=mariadb-client
  [mariadb-backup]=mariadb-backup
  [mbstream]=mariadb-backup
  [age]=age
  [age-keygen]=age
  [aws]=awscli
  [systemd-analyze]=systemd
  [systemd-sysusers]=systemd
  [rclone]=rclone
  # The backup image's root filesystem without Docker (emulator/backup-rootfs.sh).
  [mmdebstrap]=mmdebstrap
  [systemctl]=systemd
  [systemd-run]=systemd
)
SPECIAL=(terraform moto_server promtool)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin_dir=${PACKAGECLOUD_BIN_DIR:-/usr/local/bin}
tools_dir=${PACKAGECLOUD_TOOLS_DIR:-$root/.tools}
as_root=()
[[ $(id -u) -eq 0 ]] || as_root=(sudo)

known() { printf '%s\n' "${SPECIAL[@]}" "${!DEBIAN_PACKAGE[@]}" | sort; }

apt_updated=false
apt_install() {
  if [[ $apt_updated == false ]]; then
    "${as_root[@]}" apt-get update -qq
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

install_terraform() {
  local platform expected work signed actual
  case "$(uname -m)" in
    x86_64) platform=linux_amd64 ;;
    aarch64 | arm64) platform=linux_arm64 ;;
    *) echo "install-tools-ci: no pinned Terraform checksum for $(uname -m)" >&2; return 1 ;;
  esac
  expected=${TERRAFORM_SHA256[$platform]}
  if ! command -v curl >/dev/null || ! command -v gpg >/dev/null || ! command -v unzip >/dev/null; then
    apt_install curl gnupg unzip ca-certificates
  fi
  work=$(mktemp -d)
  local zip="terraform_${TERRAFORM_VERSION}_${platform}.zip" sums="terraform_${TERRAFORM_VERSION}_SHA256SUMS"
  curl -fsSLo "$work/$zip" "$TERRAFORM_RELEASES/$TERRAFORM_VERSION/$zip"
  curl -fsSLo "$work/$sums" "$TERRAFORM_RELEASES/$TERRAFORM_VERSION/$sums"
  curl -fsSLo "$work/$sums.sig" "$TERRAFORM_RELEASES/$TERRAFORM_VERSION/$sums.sig"
  # 1. The zip is the one pinned here.
  actual=$(sha256sum "$work/$zip" | cut -d' ' -f1)
  if [[ $actual != "$expected" ]]; then
    echo "install-tools-ci: $zip has SHA-256 $actual, expected $expected: refusing to install it" >&2
    return 1
  fi
  # 2. HashiCorp signed the checksum list that names it, with the key whose fingerprint is pinned here.
  export GNUPGHOME="$work/gnupg"
  mkdir -m 700 "$GNUPGHOME"
  curl -fsSLo "$work/hashicorp.asc" "$HASHICORP_KEY_URL"
  gpg --batch --quiet --import "$work/hashicorp.asc" 2>/dev/null
  if ! gpg --batch --with-colons --fingerprint | grep -q "^fpr:::::::::$HASHICORP_KEY_FINGERPRINT:$"; then
    echo "install-tools-ci: the key at $HASHICORP_KEY_URL is not HashiCorp's $HASHICORP_KEY_FINGERPRINT: refusing" >&2
    return 1
  fi
  # VALIDSIG names the signing key and, last, its primary key: HashiCorp may sign with a subkey.
  if ! gpg --batch --status-fd 1 --verify "$work/$sums.sig" "$work/$sums" 2>/dev/null |
    awk -v fpr="$HASHICORP_KEY_FINGERPRINT" '$2 == "VALIDSIG" && ($3 == fpr || $NF == fpr) { found = 1 } END { exit !found }'; then
    echo "install-tools-ci: $sums is not signed by HashiCorp ($HASHICORP_KEY_FINGERPRINT): refusing" >&2
    return 1
  fi
  signed=$(awk -v zip="$zip" '$2 == zip { print $1 }' "$work/$sums")
  if [[ $signed != "$expected" ]]; then
    echo "install-tools-ci: HashiCorp's signed $sums lists $zip as ${signed:-nothing}, expected $expected: refusing" >&2
    return 1
  fi
  unzip -q -o "$work/$zip" terraform -d "$work"
  "${as_root[@]}" install -m 0755 "$work/terraform" "$bin_dir/terraform"
  unset GNUPGHOME
  rm -rf "$work"
}

install_moto() {
  # Debian's Python is externally managed (PEP 668): moto gets its own virtualenv.
  python3 -m venv --help >/dev/null 2>&1 || apt_install python3 python3-venv
  "${as_root[@]}" python3 -m venv /opt/moto
  "${as_root[@]}" /opt/moto/bin/pip install --quiet --no-cache-dir "moto[server]==$MOTO_VERSION"
  "${as_root[@]}" ln -sf /opt/moto/bin/moto_server "$bin_dir/moto_server"
}

install_promtool() {
  # Unpacked from Debian's prometheus package, not installed: installing would add a user and a server.
  local download
  command -v dpkg-deb >/dev/null || apt_install dpkg
  download=$(mktemp -d)
  chmod 0777 "$download" # apt-get download runs as _apt when root
  if ! (cd "$download" && apt-get download -qq prometheus) 2>/dev/null; then
    "${as_root[@]}" apt-get update -qq
    apt_updated=true
    (cd "$download" && apt-get download -qq prometheus)
  fi
  mkdir -p "$tools_dir/prometheus"
  dpkg-deb -x "$download"/prometheus_*.deb "$tools_dir/prometheus"
  rm -rf "$download"
}

present() {
  case "$1" in
    promtool) [[ -x "$tools_dir/prometheus/usr/bin/promtool" ]] ;;
    terraform) command -v terraform >/dev/null && [[ $(terraform version 2>/dev/null) == "Terraform v$TERRAFORM_VERSION"$'\n'* ]] ;;
    *) command -v "$1" >/dev/null ;;
  esac
}

main() {
  if [[ $# -eq 0 ]]; then
    echo "usage: install-tools-ci.sh <tool>... | all | --list" >&2
    exit 2
  fi
  if [[ $1 == --list ]]; then
    known
    return
  fi
  local tools=("$@") packages=() specials=() tool
  [[ $1 == all ]] && mapfile -t tools < <(known)
  for tool in "${tools[@]}"; do
    if ! known | grep -qxF -- "$tool"; then
      echo "install-tools-ci: unknown tool $tool (known: $(known | tr '\n' ' '))" >&2
      exit 2
    fi
    present "$tool" && continue
    if [[ -n ${DEBIAN_PACKAGE[$tool]:-} ]]; then packages+=("${DEBIAN_PACKAGE[$tool]}"); else specials+=("$tool"); fi
  done
  if ((${#packages[@]} > 0)); then
    echo "install-tools-ci: apt-get install ${packages[*]}"
    apt_install "${packages[@]}"
  fi
  for tool in "${specials[@]}"; do
    echo "install-tools-ci: installing $tool"
    case "$tool" in
      terraform) install_terraform ;;
      moto_server) install_moto ;;
      promtool) install_promtool ;;
    esac
  done
  echo "install-tools-ci: ready: ${tools[*]}"
}

main "$@"
