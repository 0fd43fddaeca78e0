#!/usr/bin/env bash
# Installs the command-line tools `npm test` uses beyond Node, each only when missing: the Debian packages, and
# promtool unpacked from Debian's prometheus package into .tools/ (installing that package would start a server).
# Run as npm test's pretest step and by .ci/run; run it once by hand on a new machine (root, or with sudo).
# Terraform and moto_server come with this project's machines; operator/ci/install-tools-ci.sh installs them too
# (`terraform moto_server`), as the pipeline's jobs and the CI image (ci/Dockerfile) do.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$here/../operator/ci/install-tools-ci.sh" shellcheck mkfs.xfs cloud-init rsync git curl \
  mariadbd mariadb-install-db mariadb mariadb-dump mariadb-backup mbstream age age-keygen aws systemd-analyze systemd-sysusers promtool mmdebstrap
