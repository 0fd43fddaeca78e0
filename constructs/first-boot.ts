/**
 * The packagecloud VM's scripts: find the data disk, create xfs on it only if it is blank, mount it by UUID at
 * /var/opt/packagecloud (and grow the filesystem with its volume), wait (bounded) until the package repositories
 * answer, then install packagecloud's pinned version from its apt repository and run `packagecloud-ctl
 * reconfigure`. Every step can run again and changes nothing the second time. They travel in the VM's config bundle
 * and the agent runs them (constructs/vm-config.ts); user data is only the bootstrap that installs the agent.
 *
 * Nothing that needs the internet runs before the connectivity wait: cloud-init's own `package_update` and
 * `packages` modules run in an earlier stage, with no retry, and would fail if the public address or the route
 * arrived a little late, so they are not used.
 *
 * Pure functions of their inputs, so the scripts are tested for real (shellcheck, a loop device, `cloud-init
 * schema`) outside Terraform.
 *
 * @example
 *   const script = dataDiskScript({ volumeId: volume.id, mountPoint: "/var/opt/packagecloud" });
 */
import { Token, type IResolvable } from "cdktf";
import { gzipSync } from "node:zlib";

export interface DataDiskOptions {
  /** The EBS volume id (a Terraform reference is fine): NVMe instances name the device after it. */
  readonly volumeId: string;
  readonly mountPoint: string;
  /**
   * Device paths to look for, in order.
   * @default - the NVMe by-id link of the volume, then /dev/xvdf and /dev/sdf (Xen instances such as c4)
   */
  readonly candidates?: readonly string[];
  /** @default - /etc/fstab */
  readonly fstab?: string;
  /**
   * How long to wait for the device: the attachment is made after the instance starts.
   * @default - 600 seconds
   */
  readonly waitSeconds?: number;
}

export interface AptRepository {
  readonly url: string;
  readonly distribution: string;
  readonly component: string;
  readonly signingKeyUrl: string;
  /**
   * The exact packagecloud package version to install and hold (deb-version(7), e.g. 2.0.5): a rebuild or a
   * disaster recovery installs the version the data was written by, never "the newest". Upgrading is changing it.
   */
  readonly version: string;
}

/** The device name the data volume is attached as (shows up as /dev/xvdf on Xen, an NVMe device on Nitro). */
export const DATA_DEVICE_NAME = "/dev/sdf";

/** A single-quoted shell word. */
export const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;
const quote = shellQuote;

/** Shell script that finds, formats (only if blank), mounts and grows (when the volume grew) the data disk. */
export function dataDiskScript(options: DataDiskOptions): string {
  const candidates = options.candidates
    ? `(${options.candidates.map(quote).join(" ")})`
    : // Nitro (NVMe) names the device after the volume id without its dash; Xen (c4) uses xvdf.
      '("/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${VOLUME_ID//-/}" /dev/xvdf /dev/sdf)';
  return `#!/bin/bash
# Finds the packagecloud data disk, creates xfs on it only if it holds nothing, mounts it by UUID, and grows the
# filesystem when the volume has grown. Run by the configuration agent at every run (a restored snapshot keeps its
# filesystem's UUID, so the same fstab entry mounts it). Safe to run any number of times: existing data is never
# formatted, fstab gets exactly one entry, a filesystem as large as its device is left alone.
set -euo pipefail

VOLUME_ID=${quote(options.volumeId)}
MOUNT_POINT=${quote(options.mountPoint)}
FSTAB=${quote(options.fstab ?? "/etc/fstab")}
WAIT_SECONDS=${options.waitSeconds ?? 600}
CANDIDATES=${candidates}
GROW_MIN_BYTES=$((16 * 1024 * 1024))

log() { echo "packagecloud-data-disk: $*" >&2; }

find_device() {
  local waited=0 candidate
  while true; do
    for candidate in "\${CANDIDATES[@]}"; do
      if [[ -b "$candidate" ]]; then
        readlink -f "$candidate"
        return 0
      fi
    done
    if (( waited >= WAIT_SECONDS )); then
      return 1
    fi
    sleep 5
    waited=$((waited + 5))
  done
}

if ! device=$(find_device); then
  log "no data device among \${CANDIDATES[*]} after \${WAIT_SECONDS}s; is the volume attached?"
  exit 1
fi

# blkid -p probes the device itself (no cache): exit 0 = a filesystem or partition table, 2 = nothing.
status=0
blkid -p "$device" >/dev/null 2>&1 || status=$?
case "$status" in
  0) log "$device already holds data: not formatting" ;;
  2)
    log "$device is blank: creating xfs"
    mkfs.xfs -q -L packagecloud "$device"
    ;;
  *)
    log "blkid could not probe $device (exit $status): refusing to format"
    exit 1
    ;;
esac

fstype=$(blkid -p -o value -s TYPE "$device" || true)
uuid=$(blkid -p -o value -s UUID "$device" || true)
if [[ -z "$fstype" || -z "$uuid" ]]; then
  log "$device holds no mountable filesystem (a partition table?): fix it by hand, nothing was changed"
  exit 1
fi

# nofail and a short device timeout: a missing data disk must not hang the boot (the host stays reachable).
entry="UUID=$uuid $MOUNT_POINT $fstype defaults,noatime,nofail,x-systemd.device-timeout=30s 0 2"
touch "$FSTAB"
if ! grep -qxF "$entry" "$FSTAB"; then
  # Replace any older entry for the mount point (a volume rebuilt blank has a new UUID); keep every other line.
  awk -v mp="$MOUNT_POINT" -v entry="$entry" '!($1 !~ /^#/ && $2 == mp) { print } END { print entry }' "$FSTAB" > "$FSTAB.packagecloud-new"
  mv "$FSTAB.packagecloud-new" "$FSTAB"
  log "fstab: $entry"
fi

mkdir -p "$MOUNT_POINT"
if ! mountpoint -q "$MOUNT_POINT"; then
  mount --fstab "$FSTAB" "$MOUNT_POINT"
  log "mounted $device at $MOUNT_POINT"
fi

# The filesystem follows the volume. Raising vm.dataVolumeGiB is an in-place ModifyVolume: the kernel sees the
# larger device while it runs, but xfs keeps its size until xfs_growfs, which works mounted (online). Compared on
# every run; grown only when the device is at least GROW_MIN_BYTES larger: EBS grows in whole GiB, and the tail
# xfs_growfs cannot use (less than XFS_MIN_AG_BLOCKS, 64 blocks) then never makes every run try again.
if [[ "$fstype" == xfs ]]; then
  device_bytes=$(blockdev --getsize64 "$device")
  fs_bytes=$(xfs_info "$MOUNT_POINT" | awk '$1 == "data" { for (i = 2; i <= NF; i++) { if ($i ~ /^bsize=/) b = substr($i, 7) + 0; if ($i ~ /^blocks=/) n = substr($i, 8) + 0 } } END { printf "%.0f\\n", b * n }')
  if (( fs_bytes > 0 && device_bytes - fs_bytes >= GROW_MIN_BYTES )); then
    log "$device holds $device_bytes bytes, its xfs $fs_bytes: growing it online (xfs_growfs $MOUNT_POINT)"
    xfs_growfs "$MOUNT_POINT" >/dev/null
    log "grown: $(df --output=size -B1 "$MOUNT_POINT" | tail -n 1 | tr -d ' ') bytes at $MOUNT_POINT"
  fi
fi
`;
}

export interface NetworkWaitOptions {
  /** URLs that must answer (any HTTP status) before anything is downloaded. */
  readonly urls: readonly string[];
  /**
   * How long to wait for all of them, in seconds, before giving up with a clear message.
   * @default - 600 seconds
   */
  readonly timeoutSeconds?: number;
  /** @default - 10 seconds between attempts */
  readonly intervalSeconds?: number;
}

/**
 * Shell script that waits, bounded, until every URL answers. A first boot can start before its public address
 * is associated or before the route is usable; the install must not run (and fail under `set -e`) until then.
 */
export function networkWaitScript(options: NetworkWaitOptions): string {
  return `#!/bin/bash
# Waits until every URL below answers over HTTP(S) (any status: the network path works), retrying every
# INTERVAL seconds for at most TIMEOUT seconds. Exits 1 naming the URLs that never answered.
set -euo pipefail

TIMEOUT=${options.timeoutSeconds ?? 600}
INTERVAL=${options.intervalSeconds ?? 10}
URLS=(${options.urls.map(quote).join(" ")})

log() { echo "packagecloud-wait-for-network: $*" >&2; }

started=$SECONDS
while true; do
  missing=()
  for url in "\${URLS[@]}"; do
    if ! curl --silent --output /dev/null --max-time 10 "$url"; then
      missing+=("$url")
    fi
  done
  if (( \${#missing[@]} == 0 )); then
    log "network ready after $((SECONDS - started))s"
    exit 0
  fi
  if (( SECONDS - started >= TIMEOUT )); then
    log "no answer from \${missing[*]} after \${TIMEOUT}s: check the Elastic IP, the route to the internet gateway and the security group's egress; nothing was installed"
    exit 1
  fi
  log "waiting for \${missing[*]}"
  sleep "$INTERVAL"
done
`;
}

/**
 * Shell script that installs exactly the configured packagecloud version from its apt repository, holds it there,
 * and reconfigures it. Unpinned, a rebuild or a disaster recovery would install the newest release onto data
 * written by an older one, and `packagecloud-ctl reconfigure` would migrate it (packagecloud's upgrade notes,
 * "Upgrading from 2.0.4 to 2.05": migrations run at reconfigure). A newer installed version is never downgraded.
 */
export function installScript(apt: AptRepository): string {
  return `#!/bin/bash
# Installs packagecloud:enterprise VERSION exactly from its apt repository, holds it (apt-mark hold: no upgrade
# moves it), and runs packagecloud-ctl reconfigure. Upgrading is changing VERSION (vm.packagecloudApt.version):
# this script then installs the new version and restarts packagecloud. A newer installed version is refused, not
# downgraded: its data may already be migrated. Safe to run again. A repository token, if the repository needs
# one, is read by apt from /etc/apt/auth.conf.d/ (from SSM Parameter Store), never from this script.
set -euo pipefail

VERSION=${quote(apt.version)}
KEYRING=/usr/share/keyrings/packagecloud-enterprise.gpg
SOURCES=/etc/apt/sources.list.d/packagecloud-enterprise.list

log() { echo "packagecloud-install: $*" >&2; }

if [[ ! -s "$KEYRING" ]]; then
  curl --fail --silent --show-error --location --retry 5 --retry-connrefused --retry-delay 5 ${quote(apt.signingKeyUrl)} | gpg --dearmor > "$KEYRING.new"
  mv "$KEYRING.new" "$KEYRING"
fi
echo ${quote(`deb [signed-by=/usr/share/keyrings/packagecloud-enterprise.gpg] ${apt.url} ${apt.distribution} ${apt.component}`)} > "$SOURCES"

# db:Status-Status: "installed" whether the package is held or not (its Status reads "hold ok installed" then).
installed=$(dpkg-query -W -f='\${db:Status-Status} \${Version}' packagecloud 2>/dev/null | sed -n 's/^installed //p' || true)
upgraded=""
if [[ "$installed" == "$VERSION" ]]; then
  log "packagecloud $VERSION is installed"
elif [[ -n "$installed" ]] && dpkg --compare-versions "$installed" gt "$VERSION"; then
  log "packagecloud $installed is installed, newer than the configured $VERSION (vm.packagecloudApt.version): its data may already be migrated, so it is not downgraded. Set vm.packagecloudApt.version to $installed"
  exit 1
else
  apt-get -o Acquire::Retries=5 update
  # The hold stays on throughout; only this install may change the held package.
  DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=5 install -y --allow-change-held-packages "packagecloud=$VERSION"
  if [[ -n "$installed" ]]; then upgraded=$installed; fi
fi
apt-mark hold packagecloud >/dev/null
packagecloud-ctl reconfigure
if [[ -n "$upgraded" ]]; then
  # packagecloud's upgrade procedure: reconfigure (migrations), then restart.
  packagecloud-ctl restart
  log "upgraded packagecloud from $upgraded to $VERSION"
fi
`;
}

/**
 * What another feature adds to first boot (e.g. backup/jobs.ts: the offsite backup's script and systemd units),
 * after the base steps: packages, files (cloud-init write_files entries) and commands.
 */
export interface FirstBootExtension {
  readonly packages: readonly string[];
  readonly writeFiles: readonly { readonly path: string; readonly owner: string; readonly permissions: string; readonly content: string; readonly encoding?: "gz+b64" }[];
  readonly runcmd: readonly (readonly string[])[];
}

/** What the VM needs to reach before installing: its package repository and the Ubuntu archive. */
export function defaultNetworkWait(apt: AptRepository): NetworkWaitOptions {
  return { urls: [apt.url, "http://archive.ubuntu.com/ubuntu/"], timeoutSeconds: 600, intervalSeconds: 10 };
}

/**
 * gzip with the same bytes on every synth host. RFC 1952 puts the compressing host's OS in byte 9 of the header:
 * zlib writes 3 (Unix) on Linux and 19 on macOS builds, so a Mac and the pipeline would synthesize different user
 * data, and an instance's user data must not change with who synthesized it. MTIME (bytes 4-7) is 0 already
 * (Node sets no gzip header); both are written here rather than trusted. XFL (byte 8) follows the level.
 */
export function deterministicGzip(content: string): Buffer {
  return normalizeGzipHeader(gzipSync(content, { level: 9 }));
}

/** RFC 1952 §2.3: MTIME = 0 ("no time stamp is available"), OS = 3 (Unix), whatever the host's zlib wrote. */
export function normalizeGzipHeader(gzipped: Buffer): Buffer {
  if (gzipped[0] !== 0x1f || gzipped[1] !== 0x8b) throw new Error("normalizeGzipHeader: not a gzip stream");
  const out = Buffer.from(gzipped);
  out.writeUInt32LE(0, 4);
  out[9] = 3;
  return out;
}

/** A write_files body cloud-init decompresses itself (encoding gz+b64). */
export function compressed(content: string): { readonly encoding: "gz+b64"; readonly content: string } {
  return { encoding: "gz+b64", content: deterministicGzip(content).toString("base64") };
}

export const DATA_DISK_SCRIPT_PATH = "/usr/local/sbin/packagecloud-data-disk";
export const INSTALL_SCRIPT_PATH = "/usr/local/sbin/packagecloud-install";
export const NETWORK_WAIT_SCRIPT_PATH = "/usr/local/sbin/packagecloud-wait-for-network";

/**
 * A quoted HCL string for a function argument, with every escape HCL's quoted templates define (backslash,
 * quote, newlines, tabs, and the template sequences `${` and `%{`). Fn.rawString escapes only newlines, quotes and
 * `${`: a backslash or a `%{` in a shell script would break the expression.
 */
export function hclLiteral(text: string): string {
  const quoted = `"${text
    .replace(/\\/g, () => "\\\\")
    .replace(/"/g, () => '\\"')
    .replace(/\n/g, () => "\\n")
    .replace(/\r/g, () => "\\r")
    .replace(/\t/g, () => "\\t")
    .replace(/\$\{/g, () => "$${")
    .replace(/%\{/g, () => "%%{")}"`;
  const literal: IResolvable = { creationStack: [], resolve: () => quoted, toString: () => quoted };
  return Token.asString(literal);
}
