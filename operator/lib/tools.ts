/**
 * External tools the project's tests and scripts need, and how to get each. A missing tool is an error that
 * says so, never a silently skipped test.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

export const TOOLS = {
  terraform: "Terraform >= 1.10 on PATH (this project's machines ship 1.11.4 with a local aws 5.100.0 provider mirror)",
  moto_server: "moto_server on PATH: pip install 'moto[server]==5.2.1' (preinstalled on this project's machines)",
  shellcheck: "Debian package shellcheck: tooling/install-tools.sh, or apt-get install shellcheck",
  "cloud-init": "Debian package cloud-init (for `cloud-init schema`): tooling/install-tools.sh, or apt-get install cloud-init",
  "mkfs.xfs": "Debian package xfsprogs: tooling/install-tools.sh, or apt-get install xfsprogs",
  "xfs_growfs": "Debian package xfsprogs (the data disk grows its xfs online): tooling/install-tools.sh, or apt-get install xfsprogs",
  curl: "curl on PATH (the first-boot connectivity wait probes with it): apt-get install curl",
  // test/engine/first-boot.test.ts: packagecloud's pinned install against a signed local apt repository, with
  // this machine's own apt and dpkg in a throwaway overlay of its root filesystem; the configuration agent.
  "dpkg-deb": "Debian package dpkg (builds the stand-in packagecloud packages): apt-get install dpkg",
  gpg: "Debian package gnupg (signs the test repository; the install script dearmors its key): apt-get install gnupg",
  unshare: "util-linux's unshare, run as root (a private mount namespace for the overlay): apt-get install util-linux",
  python3: "Debian package python3 (the VM's configuration agent, constructs/vm-config-sync.py): apt-get install python3",
  losetup: "util-linux's losetup, run as root with loop devices available (/dev/loop-control)",
  // test/engine/backup-job.test.ts: a real MariaDB server (Debian's server binaries, started by the test on a
  // private socket and port, never as a system service), age, the AWS CLI and systemd-analyze.
  mariadbd: "Debian package mariadb-server-core (the server binaries of mariadb-server, no service): tooling/install-tools.sh",
  "mariadb-install-db": "Debian package mariadb-server-core: tooling/install-tools.sh",
  mariadb: "Debian package mariadb-client: tooling/install-tools.sh",
  "mariadb-dump": "Debian package mariadb-client: tooling/install-tools.sh",
  // The VM variant's restore verification, for real: a physical backup streamed as xbstream, unpacked and prepared.
  "mariadb-backup": "Debian package mariadb-backup: tooling/install-tools.sh, or apt-get install mariadb-backup",
  mbstream: "Debian package mariadb-backup: tooling/install-tools.sh, or apt-get install mariadb-backup",
  age: "Debian package age: tooling/install-tools.sh, or apt-get install age",
  "age-keygen": "Debian package age: tooling/install-tools.sh, or apt-get install age",
  aws: "the AWS CLI: pip install awscli (preinstalled on this project's machines), or Debian package awscli",
  "systemd-analyze": "Debian package systemd (for `systemd-analyze verify`): apt-get install systemd",
  "systemd-sysusers": "Debian package systemd (for `systemd-sysusers --root`): apt-get install systemd",
  // test/engine/backup-job.test.ts runs the GKE job inside the image's root filesystem (emulator/backup-rootfs.sh).
  mmdebstrap: "Debian package mmdebstrap (builds the backup image's root filesystem without Docker): tooling/install-tools.sh, or apt-get install mmdebstrap",
  promtool:
    "promtool 2.42 from Debian's prometheus package, unpacked (not installed) into .tools/prometheus ($PACKAGECLOUD_TOOLS_DIR/prometheus when set): bash tooling/install-tools.sh (npm test runs it as its pretest step)",
  rsync: "Debian package rsync (gitlab-ci-local copies the project with it): tooling/install-tools.sh, or apt-get install rsync",
} as const;

export type ToolName = keyof typeof TOOLS;

/** Absolute path of a tool on PATH, or an Error naming the tool and how to install it. */
export function requireTool(name: ToolName): string {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === "") {
    throw new Error(`${name} is required but was not found. Get it: ${TOOLS[name]}`);
  }
  return path;
}

/**
 * Absolute path of the project's promtool (`<project>/.tools/prometheus/usr/bin/promtool`, or under
 * $PACKAGECLOUD_TOOLS_DIR), or an Error naming
 * promtool and how to get it. Not looked up on PATH: the tests pin the version install-tools.sh unpacks.
 */
export function promtoolPath(vars: NodeJS.ProcessEnv = process.env): string {
  // The CI image (ci/Dockerfile) unpacks it once into $PACKAGECLOUD_TOOLS_DIR instead of every checkout's .tools.
  const tools = vars.PACKAGECLOUD_TOOLS_DIR ?? resolve(__dirname, "..", "..", ".tools");
  const promtool = resolve(tools, "prometheus", "usr", "bin", "promtool");
  if (!existsSync(promtool)) {
    throw new Error(`promtool is required but was not found at ${promtool}. Get it: ${TOOLS.promtool}`);
  }
  return promtool;
}
