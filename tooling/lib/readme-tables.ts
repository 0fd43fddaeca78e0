/**
 * The documentation tables that restate code (environments, policy rules), generated from the code itself so a
 * test (test/readme.test.ts) can hold the docs to them. `npm run docs:tables` prints each with the page and
 * section it belongs in, for pasting.
 */
import { ENV_NAMES, loadEnvironments, type EnvironmentConfig, type EnvName } from "../../config";
import { RULES } from "../../policy";

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function environmentTable(envs: Record<EnvName, EnvironmentConfig>): string {
  const row = (label: string, value: (e: EnvironmentConfig) => string) => [label, ...ENV_NAMES.map((n) => value(envs[n]))];
  const code = (s: string) => `\`${s}\``;
  return table(
    ["setting", ...ENV_NAMES.map(code)],
    [
      row("platform variant today", (e) => e.variant),
      row("AWS account", (e) => code(e.aws.accountId)),
      row("regions (packages → replica)", (e) => `${e.aws.region} → ${e.aws.replicaRegion}`),
      row("package bucket", (e) => code(e.storage.packages.bucketName)),
      row("replica bucket", (e) => code(e.storage.packages.replicaBucketName)),
      row("old package versions kept", (e) => `${e.storage.packages.noncurrentVersionDays} days`),
      row("offsite backup bucket", (e) => code(e.storage.offsiteBackups.bucketName)),
      row("offsite Object Lock", (e) => `${e.storage.offsiteBackups.objectLock.mode}, ${e.storage.offsiteBackups.objectLock.days} days`),
      row("offsite backups expire after", (e) => `${e.storage.offsiteBackups.expireAfterDays} days`),
      row("daily backup bucket (VM)", (e) => code(e.storage.dailyBackups.bucketName)),
      row("daily backups kept", (e) => `${e.storage.dailyBackups.expireAfterDays} days`),
      row("access logs kept", (e) => `${e.storage.accessLogs.expireAfterDays} days`),
      row("admin CIDRs (SSH)", (e) => (e.network.adminCidrs.length > 0 ? e.network.adminCidrs.map(code).join(", ") : "none: Session Manager")),
      row("Prometheus CIDRs", (e) => e.network.prometheusCidrs.map(code).join(", ")),
      row("VM instance type", (e) => e.vm.instanceType),
      row("VM AMI (pinned)", (e) => code(e.vm.amiId)),
      row("VM zone", (e) => e.vm.availabilityZone),
      row("VM root / data disk", (e) => `${e.vm.rootVolumeGiB} GiB / ${e.vm.dataVolumeGiB} GiB gp2`),
      row("VM packagecloud version (pinned, held)", (e) => code(e.vm.packagecloudApt.version)),
      row("VM data disk restored from", (e) => (e.vm.dataVolumeSnapshotId ? code(e.vm.dataVolumeSnapshotId) : "(blank volume)")),
      row("VM network", (e) => (e.vm.network.mode === "managed" ? `own VPC ${code(e.vm.network.vpcCidr)}` : `existing ${code(e.vm.network.subnetId)}`)),
      row("VM termination protection", (e) => (e.vm.terminationProtection ? "on" : "off")),
      row("VM snapshots kept", (e) => `${e.vm.snapshots.retainDays} days, copy in ${e.aws.replicaRegion}`),
      row(
        "VM snapshot vault lock",
        (e) =>
          `${e.vm.snapshots.vaultLock.minRetentionDays}-${e.vm.snapshots.vaultLock.maxRetentionDays} days, ` +
          (e.vm.snapshots.vaultLock.changeableForDays !== undefined ? `compliance after ${e.vm.snapshots.vaultLock.changeableForDays} days` : "governance"),
      ),
      row("GCP project / region", (e) => `${code(e.gcp.project)} / ${e.gcp.region}`),
      row("GKE cluster (location)", (e) =>
        e.gcp.cluster.mode === "dedicated" ? `own ${code(`packagecloud-${e.name}-gke`)} (${e.gcp.cluster.location})` : `existing ${code(e.gcp.cluster.name)} (${e.gcp.cluster.location})`,
      ),
      row("GKE release channel", (e) => (e.gcp.cluster.mode === "dedicated" ? e.gcp.cluster.releaseChannel : "(the cluster owners')")),
      row("GKE control plane access", (e) => (e.gcp.cluster.mode === "dedicated" ? e.gcp.cluster.controlPlaneAccess : "(the cluster owners')")),
      row("GKE maintenance window", (e) =>
        e.gcp.cluster.mode === "dedicated"
          ? `${code(e.gcp.cluster.maintenanceRecurrence)} ${e.gcp.cluster.maintenanceStartUtc} UTC, ${e.gcp.cluster.maintenanceHours} h`
          : "(the cluster owners')",
      ),
      row(
        "GKE pools serving / background",
        (e) =>
          (["serving", "background"] as const)
            .map((p) => `${e.gcp.cluster.nodePools[p].machineType} ${e.gcp.cluster.nodePools[p].minNodes}-${e.gcp.cluster.nodePools[p].maxNodes}`)
            .join(" / "),
      ),
      row("Cloud SQL tier, availability", (e) => `${e.gcp.sql.tier}, ${e.gcp.sql.availability}`),
      row("Cloud SQL backups kept", (e) => `${e.gcp.sql.retainedBackups} (binary logs ${e.gcp.sql.transactionLogRetentionDays} days)`),
      row("Memorystore tier, size", (e) => `${e.gcp.redis.tier}, ${e.gcp.redis.memoryGb} GB`),
      row("public name", (e) => code(e.dns.recordName)),
      row("DNS provider", (e) => (e.dns.provider === "cloudflare" ? `Cloudflare${e.dns.proxied ? ", proxied" : ""}, TTL ${e.dns.ttl === 1 ? "auto" : e.dns.ttl}` : `Cloud DNS zone ${code(e.dns.managedZone)}, TTL ${e.dns.ttl}`)),
      row("state bucket", (e) => code(e.state.bucket)),
      row("state bucket (GCS, Google and DNS stacks)", (e) => code(e.state.gcsBucket)),
    ],
  );
}

export function rulesTable(): string {
  return table(
    ["rule", "checkov / trivy", "requires"],
    RULES.map((r) => [`\`${r.id}\``, r.maps.length > 0 ? r.maps.join(", ") : "(none)", r.title]),
  );
}

/** Where each generated table lives: the page (from the repository root) and the section that holds it. */
export const GENERATED_TABLES: ReadonlyArray<{ name: string; file: string; section: string; render: () => string }> = [
  {
    name: "environment table",
    file: "docs/configuration.md",
    section: "The environment table",
    render: () => environmentTable(loadEnvironments()),
  },
  { name: "policy rules table", file: "docs/policy-pack.md", section: "Rules", render: rulesTable },
];
