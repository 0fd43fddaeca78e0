/**
 * A corpus of malformed environment configurations, as data: each case edits one valid environment with
 * `set`/`delete` operations and says which field the error must name and what it must say is allowed.
 * test/corpus.test.ts runs every case through the loader.
 */

export type Edit = { readonly set: string; readonly value: unknown } | { readonly delete: string };

export interface BadConfig {
  readonly id: string;
  readonly env: "pre" | "ops";
  readonly edits: readonly Edit[];
  /** The dotted field path the message must name. */
  readonly field: string;
  /** What the message must say is allowed (a regex source). */
  readonly allowed: string;
}

export const BAD_CONFIGS: readonly BadConfig[] = [
  // Wrong types
  { id: "retention-as-string", env: "ops", edits: [{ set: "storage.dailyBackups.expireAfterDays", value: "14" }], field: "storage.dailyBackups.expireAfterDays", allowed: "Expected number, received string" },
  { id: "admin-cidrs-not-a-list", env: "ops", edits: [{ set: "network.adminCidrs", value: "10.240.0.0/24" }], field: "network.adminCidrs", allowed: "Expected array, received string" },
  { id: "termination-protection-as-string", env: "ops", edits: [{ set: "vm.terminationProtection", value: "yes" }], field: "vm.terminationProtection", allowed: "Expected boolean" },
  { id: "proxied-as-number", env: "ops", edits: [{ set: "dns.proxied", value: 1 }], field: "dns.proxied", allowed: "Expected boolean" },
  // Unknown keys (typos are never silently ignored)
  { id: "unknown-top-level-key", env: "pre", edits: [{ set: "regions", value: ["us-west-1"] }], field: "(top level)", allowed: "Unrecognized key\\(s\\) in object: 'regions'" },
  { id: "misspelled-bucket-key", env: "ops", edits: [{ set: "storage.packages.bucketname", value: "x" }], field: "storage.packages", allowed: "Unrecognized key\\(s\\) in object: 'bucketname'" },
  { id: "unknown-lock-key", env: "ops", edits: [{ set: "storage.offsiteBackups.objectLock.years", value: 1 }], field: "storage.offsiteBackups.objectLock", allowed: "Unrecognized key" },
  // Impossible retention
  { id: "zero-day-retention", env: "pre", edits: [{ set: "storage.dailyBackups.expireAfterDays", value: 0 }], field: "storage.dailyBackups.expireAfterDays", allowed: "at least 1 day" },
  { id: "negative-noncurrent-days", env: "ops", edits: [{ set: "storage.packages.noncurrentVersionDays", value: -3 }], field: "storage.packages.noncurrentVersionDays", allowed: "at least 1 day" },
  { id: "lock-longer-than-100-years", env: "ops", edits: [{ set: "storage.offsiteBackups.objectLock.days", value: 40000 }, { set: "storage.offsiteBackups.expireAfterDays", value: 40001 }], field: "storage.offsiteBackups.objectLock.days", allowed: "at most 36500 days" },
  { id: "expiry-before-lock-lapses", env: "ops", edits: [{ set: "storage.offsiteBackups.expireAfterDays", value: 7 }], field: "storage.offsiteBackups.expireAfterDays", allowed: "at least objectLock.days \\(30\\)" },
  { id: "binlogs-outlive-backups", env: "ops", edits: [{ set: "gcp.sql.retainedBackups", value: 5 }], field: "gcp.sql.transactionLogRetentionDays", allowed: "fewer than sql.retainedBackups \\(5\\)" },
  { id: "snapshots-outside-vault-lock", env: "ops", edits: [{ set: "vm.snapshots.retainDays", value: 60 }], field: "vm.snapshots.retainDays", allowed: "within the vault lock's 14-35 days" },
  { id: "alarm-window-over-7-days", env: "ops", edits: [{ set: "monitoring.offsiteBackups.maxAgeHours", value: 200 }], field: "monitoring.offsiteBackups.maxAgeHours", allowed: "at most 168" },
  // CIDRs
  { id: "malformed-admin-cidr", env: "ops", edits: [{ set: "network.adminCidrs", value: ["10.240.0/24"] }], field: "network.adminCidrs.0", allowed: "IPv4 or IPv6 CIDR block" },
  { id: "admin-cidr-host-bits", env: "ops", edits: [{ set: "network.adminCidrs", value: ["10.240.0.7/24"] }], field: "network.adminCidrs.0", allowed: "network address" },
  { id: "world-open-ssh", env: "ops", edits: [{ set: "network.adminCidrs", value: ["0.0.0.0/0"] }], field: "network.adminCidrs.0", allowed: "must not be open to the whole internet" },
  { id: "world-open-exporters-ipv6", env: "pre", edits: [{ set: "network.prometheusCidrs", value: ["::/0"] }], field: "network.prometheusCidrs.0", allowed: "must not be open to the whole internet" },
  { id: "overlapping-gke-ranges", env: "ops", edits: [{ set: "gcp.network.podsCidr", value: "10.100.0.0/14" }], field: "gcp.network.podsCidr", allowed: "must not overlap gcp.network.subnetCidr" },
  { id: "subnet-outside-vpc", env: "pre", edits: [{ set: "vm.network.subnetCidr", value: "192.168.1.0/24" }], field: "vm.network.subnetCidr", allowed: "inside vm.network.vpcCidr" },
  { id: "world-open-control-plane", env: "ops", edits: [{ set: "gcp.cluster.masterAuthorizedNetworks", value: [{ name: "all", cidr: "0.0.0.0/0" }] }], field: "gcp.cluster.masterAuthorizedNetworks.0.cidr", allowed: "must not open the GKE control plane" },
  // Regions and replication
  { id: "unknown-region", env: "ops", edits: [{ set: "aws.region", value: "us-west-3" }], field: "aws.region", allowed: "must be an AWS region this project deploys to" },
  { id: "same-region-replication", env: "ops", edits: [{ set: "aws.replicaRegion", value: "us-west-1" }], field: "aws.replicaRegion", allowed: "must differ from aws.region" },
  { id: "vm-zone-in-replica-region", env: "ops", edits: [{ set: "vm.availabilityZone", value: "eu-central-1a" }], field: "vm.availabilityZone", allowed: "zone of aws.region" },
  // DNS
  { id: "proxied-record-with-ttl", env: "ops", edits: [{ set: "dns.ttl", value: 300 }], field: "dns.ttl", allowed: "must be 1 \\(automatic\\) for a proxied Cloudflare record" },
  { id: "record-outside-zone", env: "pre", edits: [{ set: "dns.recordName", value: "packages.gitlab.com" }], field: "dns.recordName", allowed: "must fall inside dns.zoneName" },
  { id: "unknown-dns-provider", env: "ops", edits: [{ set: "dns.provider", value: "route53" }], field: "dns.provider", allowed: "must be one of cloudflare, cloud-dns" },
  // Missing or malformed required values
  { id: "missing-ami", env: "ops", edits: [{ delete: "vm.amiId" }], field: "vm.amiId", allowed: "Required" },
  { id: "latest-ami-lookup", env: "ops", edits: [{ set: "vm.amiId", value: "latest" }], field: "vm.amiId", allowed: "ami-xxxxxxxx" },
  { id: "empty-bucket-name", env: "ops", edits: [{ set: "storage.packages.bucketName", value: "" }], field: "storage.packages.bucketName", allowed: "3-63 characters" },
  { id: "bucket-name-with-dots", env: "pre", edits: [{ set: "storage.packages.replicaBucketName", value: "packages.pre.replica" }], field: "storage.packages.replicaBucketName", allowed: "must not contain '\\.'" },
  { id: "shared-bucket-name", env: "ops", edits: [{ set: "storage.dailyBackups.bucketName", value: "packages-gitlab-com" }], field: "storage.dailyBackups.bucketName", allowed: "must be a bucket of its own" },
  { id: "apt-url-with-token", env: "ops", edits: [{ set: "vm.packagecloudApt.url", value: "https://secret:@packagecloud.io/x/" }], field: "vm.packagecloudApt.url", allowed: "must not contain credentials" },
  { id: "short-account-id", env: "ops", edits: [{ set: "aws.accountId", value: "12345" }], field: "aws.accountId", allowed: "12-digit AWS account id" },
  // Names that do not exist
  { id: "unknown-variant", env: "pre", edits: [{ set: "variant", value: "kubernetes" }], field: "variant", allowed: "must be one of vm, gke" },
  { id: "unknown-lock-mode", env: "ops", edits: [{ set: "storage.offsiteBackups.objectLock.mode", value: "LEGAL_HOLD" }], field: "storage.offsiteBackups.objectLock.mode", allowed: "must be one of COMPLIANCE, GOVERNANCE" },
  { id: "unknown-redis-tier", env: "ops", edits: [{ set: "gcp.redis.tier", value: "PREMIUM" }], field: "gcp.redis.tier", allowed: "must be STANDARD_HA or BASIC" },
  // Alerting that would go nowhere
  { id: "email-only-alerting", env: "ops", edits: [{ set: "monitoring.notifications.httpsEndpoints", value: [] }], field: "monitoring.notifications.httpsEndpoints", allowed: "at least one paging endpoint" },
  { id: "https-endpoint-unknown-receiver", env: "ops", edits: [{ set: "monitoring.notifications.httpsEndpoints", value: [{ variable: "pagerduty_cloudwatch_url", receiver: "opsgenie" }] }], field: "monitoring.notifications.httpsEndpoints.0.receiver", allowed: "must be one of pagerduty, webhook" },
  { id: "https-endpoint-without-receiver", env: "pre", edits: [{ set: "monitoring.notifications.httpsEndpoints", value: [{ variable: "alerts_webhook_url" }] }], field: "monitoring.notifications.httpsEndpoints.0.receiver", allowed: "must be one of pagerduty, webhook" },
  { id: "https-endpoint-variable-twice", env: "ops", edits: [{ set: "monitoring.notifications.httpsEndpoints", value: [{ variable: "pagerduty_cloudwatch_url", receiver: "pagerduty" }, { variable: "pagerduty_cloudwatch_url", receiver: "webhook" }] }], field: "monitoring.notifications.httpsEndpoints.1.variable", allowed: "is used twice" },
  { id: "channel-of-another-project", env: "ops", edits: [{ set: "monitoring.notifications.gcpChannels", value: ["projects/gitlab-pre/notificationChannels/1"] }], field: "monitoring.notifications.gcpChannels.0", allowed: "channel of gcp.project \\(gitlab-ops\\)" },
];

/** Applies a case's edits to a deep copy of an environment. */
export function applyEdits(input: unknown, edits: readonly Edit[]): unknown {
  const copy = structuredClone(input) as Record<string, any>;
  for (const edit of edits) {
    const path = "set" in edit ? edit.set : edit.delete;
    const keys = path.split(".");
    const last = keys.pop()!;
    let target: any = copy;
    for (const key of keys) target = target[key];
    if ("set" in edit) target[last] = edit.value;
    else delete target[last];
  }
  return copy;
}
