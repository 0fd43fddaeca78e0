/**
 * A construct's own check, said in terms of the configuration. Constructs validate their props (they are reusable
 * and cannot trust their callers), and speak of props (`PackagecloudVm …: adminCidrs entry …`); an operator edits
 * config fields. This table says which field feeds which prop, so a construct's refusal reaches the operator as a
 * ConfigError naming the environment and the field, like every other configuration error.
 *
 * Add a row when a construct gains a check on a prop that comes from configuration.
 */
import { ConfigError } from "./index";
import { formatValue } from "./format";
import type { EnvironmentConfig } from "./schema";

export interface ConstructField {
  /** The construct class whose message starts with its name. */
  readonly construct: string;
  /** The prop the message names. */
  readonly prop: string;
  /** The config field that feeds it. */
  readonly field: string;
}

export const CONSTRUCT_FIELDS: readonly ConstructField[] = [
  { construct: "PackagecloudVm", prop: "adminCidrs", field: "network.adminCidrs" },
  { construct: "PackagecloudVm", prop: "prometheusCidrs", field: "network.prometheusCidrs" },
  { construct: "DataDiskBackup", prop: "retainDays", field: "vm.snapshots.retainDays" },
  { construct: "DataDiskBackup", prop: "startHourUtc", field: "vm.snapshots.startHourUtc" },
  { construct: "ReplicatedBucket", prop: "replicaRegion", field: "aws.replicaRegion" },
  { construct: "CloudSqlMysql", prop: "transactionLogRetentionDays", field: "gcp.sql.transactionLogRetentionDays" },
  { construct: "AlertTopic", prop: "httpsEndpoints", field: "monitoring.notifications.httpsEndpoints" },
  { construct: "CloudSqlBackupAlerts", prop: "channels", field: "monitoring.notifications.gcpChannels" },
  { construct: "BackupAlarms", prop: "maxAgeHours", field: "monitoring.offsiteBackups.maxAgeHours or monitoring.dailyBackups.maxAgeHours" },
  { construct: "ObjectLockRetention", prop: "days", field: "storage.offsiteBackups.objectLock.days" },
  { construct: "SecureBucket", prop: "bucketName", field: "storage (one of the bucket names)" },
];

/**
 * The policy rules (policy/rules/) a configuration value can break, and the field that feeds the resource they
 * check: PackagecloudStack#runAllValidations turns such a violation into a ConfigError naming the environment and
 * this field. The loader refuses the values it knows of first; this row is the backstop, so that no refusal a
 * configuration value causes reaches the operator as a stack's raw failure. Add a row with each rule that reads a
 * configured value.
 */
export const POLICY_FIELDS: Readonly<Record<string, string>> = {
  // The record's proxied flag and TTL come from dns.proxied and dns.ttl.
  PC_DNS_RECORDS: "dns.proxied or dns.ttl",
  // The offsite bucket's lock mode and days.
  PC_S3_OBJECT_LOCK_MODE: "storage.offsiteBackups.objectLock",
  // Which bucket CloudFront reads: storage.packages names both.
  PC_S3_CDN_ORIGIN_NOT_KMS: "storage.packages (bucketName, replicaBucketName, serveFrom)",
  // The control plane's networks.
  PC_GKE_AUTHORIZED_NETWORKS: "gcp.cluster.masterAuthorizedNetworks",
  // A pool's location and sizes: gcp.cluster.location and nodePools.
  PC_GKE_REGIONAL_POOL_TOTALS: "gcp.cluster.location or gcp.cluster.nodePools",
  // The security groups' sources.
  PC_SG_NO_WORLD_ADMIN: "network.adminCidrs",
  PC_SG_WORLD_HTTP: "network.prometheusCidrs",
};

/** constructs' "There is already a Construct with name 'x' in AlertTopic [Alerts]": a list entry used twice. */
const DUPLICATE_ID = /There is already a Construct with name '([^']*)' in (\w+)/;

/** The ConfigError for a construct's refusal, or undefined when the error is not about configuration. */
export function configErrorFromConstruct(env: EnvironmentConfig, error: unknown): ConfigError | undefined {
  if (!(error instanceof Error)) return undefined;
  const message = error.message.split("\n")[0];
  const duplicate = DUPLICATE_ID.exec(message);
  if (duplicate) {
    const row = CONSTRUCT_FIELDS.find((r) => r.construct === duplicate[2]);
    const field = row?.field ?? `(a list feeding ${duplicate[2]})`;
    return new ConfigError(env.name, [`${field}: lists ${formatValue(duplicate[1])} twice; list each entry once (${duplicate[2]} refused it: ${message.slice(0, 200)})`]);
  }
  const row = CONSTRUCT_FIELDS.find((r) => message.startsWith(r.construct) && new RegExp(`\\b${r.prop}\\b`).test(message));
  if (!row) return undefined;
  return new ConfigError(env.name, [`${row.field}: ${message.slice(0, 300)}`]);
}
