/**
 * How configuration reaches the packagecloud VM, on the first day and every day after: a small, stable cloud-init
 * bootstrap in user data, and everything that changes in one JSON bundle in S3 that the VM re-reads every few
 * minutes with its instance role: the configuration agent itself (`packagecloud-config-sync`,
 * constructs/vm-config-sync.py), its systemd service and timer, the network wait, the data disk's volume id and
 * script, packagecloud's pinned install, the backup script, its units and env files, and the secrets to fetch.
 * The agent replaces itself from the bundle like any other file (checked before it is swapped in, then re-run).
 *
 * Why not user data: a change to `user_data`/`user_data_base64` makes the aws provider stop the instance, call
 * ModifyInstanceAttribute and start it again (terraform-provider-aws v5.100.0, internal/service/ec2/ec2_instance.go,
 * resourceInstanceUpdate → modifyInstanceAttributeWithStopStart), and cloud-init runs write_files and runcmd once
 * per instance id, which a stop/start keeps: the production VM would stop and still run the old script. With the
 * bundle, a changed script (the agent's own included) is one PutObject on one aws_s3_object (a new version of
 * the object); the instance's user data does not depend on the bundle, so the plan shows no instance change at all
 * (test/constructs/packagecloud-vm.test.ts and the emulator test prove both). The bootstrap is what user data
 * still holds: install awscli, fetch the bundle, install the agent and its units from it, start them. The
 * instance ignores changes to it (lifecycle.ignore_changes), so a changed bootstrap reaches new instances only.
 *
 * @example
 *   const location = { bucket, key: VM_CONFIG_KEY, region };
 *   const bundle = vmConfigBundle({ location, dataDisk, apt, networkWait, extensions, secrets });
 *   const userData = bootstrapUserData(location); // base64 of a gzipped #cloud-config, the same bytes on every host
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Fn } from "cdktf";
import { stringify } from "yaml";
import {
  DATA_DISK_SCRIPT_PATH,
  deterministicGzip,
  dataDiskScript,
  hclLiteral,
  INSTALL_SCRIPT_PATH,
  installScript,
  NETWORK_WAIT_SCRIPT_PATH,
  networkWaitScript,
  shellQuote,
  type AptRepository,
  type DataDiskOptions,
  type FirstBootExtension,
  type NetworkWaitOptions,
} from "./first-boot";

/** The agent, shipped in the bundle as it is in the repository. */
export const SYNC_AGENT_SOURCE = path.join(__dirname, "vm-config-sync.py");
export const syncAgent = (): string => readFileSync(SYNC_AGENT_SOURCE, "utf8");
export const SYNC_AGENT_PATH = "/usr/local/sbin/packagecloud-config-sync";
export const SYNC_UNIT = "packagecloud-config-sync";
export const SYNC_SERVICE_PATH = `/etc/systemd/system/${SYNC_UNIT}.service`;
export const SYNC_TIMER_PATH = `/etc/systemd/system/${SYNC_UNIT}.timer`;
/** The first boot's script, the one file user data writes. */
export const BOOTSTRAP_SCRIPT_PATH = "/usr/local/sbin/packagecloud-config-bootstrap";
/** Where the agent keeps the bundle it read and what it last applied. */
export const SYNC_STATE_DIR = "/var/lib/packagecloud-config";
/** The bundle's key in the config bucket: fixed, so the bootstrap never changes when the bundle does. */
export const VM_CONFIG_KEY = "vm/bundle.json";
/** Minutes between two runs of the agent: how long at most a change takes to reach the VM after the apply. */
export const SYNC_INTERVAL_MINUTES = 5;
/** Where apt reads repository credentials (apt_auth.conf(5)); the packagecloud token goes here, from SSM. */
export const APT_AUTH_FILE = "/etc/apt/auth.conf.d/packagecloud-enterprise.conf";

/** packagecloud's own configuration (seed 000; docs/disaster-recovery.md): a secret, read before the install. */
export const PACKAGECLOUD_CONFIG_FILE = "/etc/packagecloud/packagecloud.rb";

/** The SSM parameter of one of the VM's secrets: `/packagecloud/<env>/vm/<name>`. */
export const vmSecretParameter = (env: string, name: string): string => `/packagecloud/${env}/vm/${name}`;

export interface BundleFile {
  readonly path: string;
  readonly owner: string;
  readonly permissions: string;
  readonly content: string;
}

/** A secret the VM reads from SSM Parameter Store (SecureString) with its instance role, into a file. */
export interface BundleSecret {
  readonly parameter: string;
  readonly path: string;
  readonly owner: string;
  readonly permissions: string;
}

export interface BundleCommand {
  /** Stable id: the agent remembers per id which inputs last succeeded. */
  readonly id: string;
  readonly run: readonly string[];
  /** Files (or secret paths) whose change makes the command run again. */
  readonly after: readonly string[];
  /** Runs at every agent run, changed or not (it converges to the world, not to its inputs). @default false */
  readonly always?: boolean;
}

export interface VmConfigBundle {
  /** Which of the files is the agent itself: installed first, checked, and run again at once when it changed. */
  readonly agent: string;
  readonly files: readonly BundleFile[];
  readonly secrets: readonly BundleSecret[];
  readonly commands: readonly BundleCommand[];
}

/** Where the VM reads its bundle: fixed for the life of an instance (the bucket is named after the account). */
export interface ConfigLocation {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
}

export interface VmConfigBundleOptions {
  /** Named in the agent's service unit. */
  readonly location: ConfigLocation;
  readonly dataDisk: DataDiskOptions;
  readonly apt: AptRepository;
  readonly networkWait: NetworkWaitOptions;
  /** @default - none */
  readonly extensions?: readonly FirstBootExtension[];
  /** @default - none */
  readonly secrets?: readonly BundleSecret[];
}

const plain = (file: FirstBootExtension["writeFiles"][number]): BundleFile => {
  if (file.encoding) throw new Error(`vmConfigBundle: ${file.path} is pre-encoded (${file.encoding}); the bundle carries plain text`);
  return { path: file.path, owner: file.owner, permissions: file.permissions, content: file.content };
};

/**
 * Everything the VM converges to, in order: the agent and its units (so a fix to the agent lands even when a later
 * step fails), the data disk mounted and as large as its volume (packagecloud writes everything there; run every
 * time: a restored snapshot or a grown volume changes the disk, not the script), the extensions' packages and
 * units (the backup jobs), then packagecloud installed at its pinned version once its apt token is in place.
 * A missing token stops only the install: awscli and age are already there, and the agent retries every run.
 */
export function vmConfigBundle(options: VmConfigBundleOptions): VmConfigBundle {
  const extensions = options.extensions ?? [];
  const secrets = options.secrets ?? [];
  const packages = [...new Set(extensions.flatMap((e) => e.packages))];
  const apt = "DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=5";
  return {
    agent: SYNC_AGENT_PATH,
    files: [
      { path: SYNC_AGENT_PATH, owner: "root:root", permissions: "0755", content: syncAgent() },
      { path: SYNC_SERVICE_PATH, owner: "root:root", permissions: "0644", content: syncService(options.location) },
      { path: SYNC_TIMER_PATH, owner: "root:root", permissions: "0644", content: syncTimer() },
      { path: DATA_DISK_SCRIPT_PATH, owner: "root:root", permissions: "0755", content: dataDiskScript(options.dataDisk) },
      { path: NETWORK_WAIT_SCRIPT_PATH, owner: "root:root", permissions: "0755", content: networkWaitScript(options.networkWait) },
      { path: INSTALL_SCRIPT_PATH, owner: "root:root", permissions: "0755", content: installScript(options.apt) },
      ...extensions.flatMap((e) => e.writeFiles.map(plain)),
    ],
    secrets,
    commands: [
      // Restarting the timer applies a changed schedule; the service that runs this is not interrupted (a oneshot
      // unit is never started twice at once).
      { id: "config-sync-units", run: ["sh", "-c", `systemctl daemon-reload && systemctl enable ${SYNC_UNIT}.timer && systemctl restart ${SYNC_UNIT}.timer`], after: [SYNC_SERVICE_PATH, SYNC_TIMER_PATH] },
      { id: "data-disk", run: [DATA_DISK_SCRIPT_PATH], after: [DATA_DISK_SCRIPT_PATH], always: true },
      ...(packages.length > 0 ? [{ id: "packages", run: ["sh", "-c", `${apt} update && ${apt} install -y ${packages.join(" ")}`], after: [] }] : []),
      ...extensions.flatMap((e, i) =>
        e.runcmd.map((run, j) => ({ id: `extension-${i}-${j}`, run: [...run], after: e.writeFiles.map((f) => f.path) })),
      ),
      {
        id: "packagecloud",
        run: ["sh", "-c", `${NETWORK_WAIT_SCRIPT_PATH} && ${INSTALL_SCRIPT_PATH}`],
        after: [NETWORK_WAIT_SCRIPT_PATH, INSTALL_SCRIPT_PATH, ...secrets.filter((s) => [APT_AUTH_FILE, PACKAGECLOUD_CONFIG_FILE].includes(s.path)).map((s) => s.path)],
      },
    ],
  };
}

/** The bundle as the object's body. */
export const bundleJson = (bundle: VmConfigBundle): string => `${JSON.stringify(bundle, null, 1)}\n`;

/**
 * The bundle as a Terraform expression: the data volume id is only known at apply, so the JSON is
 * `join("", [literal, id, literal, ...])` (the id needs no JSON escaping: letters, digits and '-').
 */
export function bundleForTerraform(options: VmConfigBundleOptions): string {
  const placeholder = "packagecloud-volume-id-placeholder";
  const rendered = bundleJson(vmConfigBundle({ ...options, dataDisk: { ...options.dataDisk, volumeId: placeholder } }));
  const parts = rendered.split(placeholder).flatMap((literal, i) => (i === 0 ? [hclLiteral(literal)] : [options.dataDisk.volumeId, hclLiteral(literal)]));
  return Fn.join("", parts);
}

export function syncService(location: ConfigLocation): string {
  return `[Unit]
Description=packagecloud: apply the VM's configuration bundle from s3://${location.bucket}/${location.key}
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart=${SYNC_AGENT_PATH} --bucket ${location.bucket} --key ${location.key} --region ${location.region}
# The first run installs packagecloud (apt, reconfigure): allow it an hour; later runs take seconds.
TimeoutStartSec=3600
`;
}

export function syncTimer(): string {
  return `[Unit]
Description=packagecloud: re-read the VM's configuration bundle every ${SYNC_INTERVAL_MINUTES} minutes

[Timer]
OnBootSec=1min
# Counted from the end of the last run: runs never overlap.
OnUnitInactiveSec=${SYNC_INTERVAL_MINUTES}min
AccuracySec=30s
Unit=${SYNC_UNIT}.service

[Install]
WantedBy=timers.target
`;
}

/** How long the bootstrap retries each step (awscli, the bundle) before it gives up, naming the step. */
export const BOOTSTRAP_TIMEOUT_SECONDS = 600;

/**
 * The first boot's script: awscli from the Ubuntu archive, the bundle from S3 (both retried, bounded: the address,
 * the route or the role's credentials may arrive a little after boot), then the agent and its two units taken from
 * the bundle and started. It runs once per instance (cloud-init runcmd); the agent does everything else, every
 * few minutes, and keeps itself up to date. Run it again by hand (Session Manager) if it gave up.
 */
export function bootstrapScript(location: ConfigLocation): string {
  const q = shellQuote;
  return `#!/bin/bash
# packagecloud-config-bootstrap: installs the configuration agent from its bundle and starts it (constructs/vm-config.ts).
set -euo pipefail

BUCKET=${q(location.bucket)}
KEY=${q(location.key)}
REGION=${q(location.region)}
STATE=${SYNC_STATE_DIR}
TIMEOUT=${BOOTSTRAP_TIMEOUT_SECONDS}

log() { echo "packagecloud-config-bootstrap: $*" >&2; }

# retry <what> <command...>: every 10 s, for at most TIMEOUT seconds.
retry() {
  local what=$1 started=$SECONDS
  shift
  until "$@"; do
    if (( SECONDS - started >= TIMEOUT )); then
      log "gave up $what after \${TIMEOUT}s: check the Elastic IP, the route, the security group's egress and the instance role; then run $0 again"
      return 1
    fi
    log "$what failed; retrying in 10 s"
    sleep 10
  done
}

install_awscli() {
  DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=5 update &&
    DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=5 install -y awscli
}

if ! command -v aws >/dev/null; then retry "installing awscli" install_awscli; fi
mkdir -p "$STATE" && chmod 0700 "$STATE"
retry "reading s3://$BUCKET/$KEY" aws --region "$REGION" s3api get-object --bucket "$BUCKET" --key "$KEY" "$STATE/bundle.json" >/dev/null

# The agent and its units, exactly as the bundle has them (the agent keeps them up to date from then on).
python3 - "$STATE/bundle.json" ${SYNC_SERVICE_PATH} ${SYNC_TIMER_PATH} <<'PYTHON'
import json, os, sys
with open(sys.argv[1], encoding="utf-8") as f:
    bundle = json.load(f)
wanted = {bundle["agent"], *sys.argv[2:]}
for item in bundle["files"]:
    if item["path"] in wanted:
        tmp = item["path"] + ".bootstrap"
        with open(tmp, "w", encoding="utf-8") as out:
            out.write(item["content"])
        os.chmod(tmp, int(item["permissions"], 8))
        os.replace(tmp, item["path"])
        wanted.discard(item["path"])
if wanted:
    sys.exit("packagecloud-config-bootstrap: the bundle lacks " + ", ".join(sorted(wanted)))
PYTHON

systemctl daemon-reload
systemctl enable --now ${SYNC_UNIT}.timer
systemctl start --no-block ${SYNC_UNIT}.service
log "started ${SYNC_UNIT}: it applies the bundle now and every ${SYNC_INTERVAL_MINUTES} minutes"
`;
}

/**
 * The whole user data: the bootstrap script and one command to run it. Nothing in it changes with a deploy: only
 * the bucket, the key and the region, which are fixed for the life of an instance.
 */
export function bootstrapCloudConfig(location: ConfigLocation): string {
  const document = {
    write_files: [{ path: BOOTSTRAP_SCRIPT_PATH, owner: "root:root", permissions: "0755", content: bootstrapScript(location) }],
    runcmd: [[BOOTSTRAP_SCRIPT_PATH]],
  };
  return `#cloud-config\n${stringify(document, { lineWidth: 0 })}`;
}

/**
 * The user data as `user_data_base64` takes it: gzipped (cloud-init unpacks gzip itself, cloud-init docs "User data
 * formats"), with a header that is the same on every synth host (first-boot.ts, deterministicGzip), base64.
 */
export function bootstrapUserData(location: ConfigLocation): string {
  return deterministicGzip(bootstrapCloudConfig(location)).toString("base64");
}
