/**
 * How configuration reaches the packagecloud VM, on the first day and every day after: a small, stable cloud-init
 * bootstrap in user data, and everything that changes (the data disk's volume id, packagecloud's install, the
 * backup script, its units and env files, secrets) in one JSON bundle in S3 that the VM re-reads every few minutes
 * with its instance role (`packagecloud-config-sync`, constructs/vm-config-sync.py, run by a systemd timer).
 *
 * Why not user data: a change to `user_data`/`user_data_base64` makes the aws provider stop the instance, call
 * ModifyInstanceAttribute and start it again (terraform-provider-aws v5.100.0, internal/service/ec2/ec2_instance.go,
 * resourceInstanceUpdate → modifyInstanceAttributeWithStopStart), and cloud-init runs write_files and runcmd once
 * per instance id, which a stop/start keeps: the production VM would stop and still run the old script. With the
 * bundle, a changed script is one PutObject on one aws_s3_object (a new version of the object); the instance's
 * user data does not depend on the bundle, so the plan shows no instance change at all (test/constructs/vm-config
 * and the emulator test prove both).
 *
 * @example
 *   const bundle = vmConfigBundle({ dataDisk, apt, extensions, secrets });
 *   const userData = bootstrapCloudConfig({ bucket, key: VM_CONFIG_KEY, region, networkWait });
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Fn } from "cdktf";
import { stringify } from "yaml";
import {
  compressed,
  DATA_DISK_SCRIPT_PATH,
  dataDiskScript,
  hclLiteral,
  INSTALL_SCRIPT_PATH,
  installScript,
  NETWORK_WAIT_SCRIPT_PATH,
  networkWaitScript,
  type AptRepository,
  type DataDiskOptions,
  type FirstBootExtension,
  type NetworkWaitOptions,
} from "./first-boot";

/** The agent, shipped in user data as it is in the repository. */
export const SYNC_AGENT_SOURCE = path.join(__dirname, "vm-config-sync.py");
export const syncAgent = (): string => fs.readFileSync(SYNC_AGENT_SOURCE, "utf8");
export const SYNC_AGENT_PATH = "/usr/local/sbin/packagecloud-config-sync";
export const SYNC_UNIT = "packagecloud-config-sync";
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
}

export interface VmConfigBundle {
  readonly files: readonly BundleFile[];
  readonly secrets: readonly BundleSecret[];
  readonly commands: readonly BundleCommand[];
}

export interface VmConfigBundleOptions {
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
 * Everything the VM converges to, in order: the data disk mounted (packagecloud writes everything there), the
 * extensions' packages and units (the backup jobs), then packagecloud installed once its apt token is in place.
 * A missing token stops only the install: awscli and age are already there, and the agent retries every run.
 */
export function vmConfigBundle(options: VmConfigBundleOptions): VmConfigBundle {
  const extensions = options.extensions ?? [];
  const secrets = options.secrets ?? [];
  const packages = [...new Set(extensions.flatMap((e) => e.packages))];
  const apt = "DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=5";
  return {
    files: [
      { path: DATA_DISK_SCRIPT_PATH, owner: "root:root", permissions: "0755", content: dataDiskScript(options.dataDisk) },
      { path: NETWORK_WAIT_SCRIPT_PATH, owner: "root:root", permissions: "0755", content: networkWaitScript(options.networkWait) },
      { path: INSTALL_SCRIPT_PATH, owner: "root:root", permissions: "0755", content: installScript(options.apt) },
      ...extensions.flatMap((e) => e.writeFiles.map(plain)),
    ],
    secrets,
    commands: [
      { id: "data-disk", run: [DATA_DISK_SCRIPT_PATH], after: [DATA_DISK_SCRIPT_PATH] },
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

export interface BootstrapOptions {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  readonly networkWait: NetworkWaitOptions;
}

export function syncService(options: BootstrapOptions): string {
  return `[Unit]
Description=packagecloud: apply the VM's configuration bundle from s3://${options.bucket}/${options.key}
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart=${SYNC_AGENT_PATH} --bucket ${options.bucket} --key ${options.key} --region ${options.region}
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

/**
 * The whole user data: the agent and its units, then (after the bounded network wait) awscli from the Ubuntu
 * archive and the timer. Nothing in it changes when the bundle does: only the bucket, the key, the region and the
 * network wait's URLs, which are configuration that changes with a rebuild, not with a deploy.
 */
export function bootstrapCloudConfig(options: BootstrapOptions): string {
  const apt = "DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=5";
  const document = {
    write_files: [
      { path: NETWORK_WAIT_SCRIPT_PATH, owner: "root:root", permissions: "0755", ...compressed(networkWaitScript(options.networkWait)) },
      { path: SYNC_AGENT_PATH, owner: "root:root", permissions: "0755", ...compressed(syncAgent()) },
      { path: `/etc/systemd/system/${SYNC_UNIT}.service`, owner: "root:root", permissions: "0644", content: syncService(options) },
      { path: `/etc/systemd/system/${SYNC_UNIT}.timer`, owner: "root:root", permissions: "0644", content: syncTimer() },
    ],
    // One shell with &&: runcmd lines run without set -e. Only the Ubuntu archive is needed here (awscli); the
    // packagecloud repository and its token come later, from the bundle, and cannot block this.
    runcmd: [
      ["sh", "-c", `${NETWORK_WAIT_SCRIPT_PATH} && ${apt} update && ${apt} install -y awscli && systemctl daemon-reload && systemctl enable --now ${SYNC_UNIT}.timer && systemctl start --no-block ${SYNC_UNIT}.service`],
    ],
  };
  return `#cloud-config\n${stringify(document, { lineWidth: 0 })}`;
}
