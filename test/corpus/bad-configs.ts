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
  /** Load every environment together (the case is about one environment colliding with another). */
  readonly across?: boolean;
  /** A secret the case pastes somewhere: the message must not repeat it. */
  readonly secret?: string;
  /** Another field the same message must also name (an error that must not hide another). */
  readonly alsoField?: string;
}

/** An array that contains itself. */
function cyclicList(): unknown[] {
  const list: unknown[] = ["10.240.0.0/24"];
  list.push(list);
  return list;
}

/** An object whose field is a getter that throws when read. */
function throwingGetter(): object {
  return Object.defineProperty({}, "name", { enumerable: true, get: () => { throw new Error("boom"); } });
}

/** A null-prototype copy of ops's package settings with a wrong type in it. */
function nullPrototypePackages(): object {
  return Object.assign(Object.create(null), { bucketName: 5, replicaBucketName: "packages-gitlab-com-replica", noncurrentVersionDays: 30, serveFrom: "source" });
}

// Values of config/environments.ts the round-three cases collide with.
const OPS_ZONE_ID = "0123456789abcdef0123456789abcdef";
const OPS_RECORD_ID = "fedcba9876543210fedcba9876543210";
const OPS_AGE_RECIPIENT = "age1ff9knpa9m0dv5ed30m8es5euwcrxeutgkk8yxkxjhgvq0gmngaysqunk6g";
const PRE_AGE_RECIPIENT = "age1wrfpuua6duya5ct8uj9yh0jjhhkprdzpxj8a9ppegk60us2es46qxv7evy";
/** pre's record in ops's Cloudflare zone, under a name of its own. */
const PRE_IN_OPS_ZONE = { provider: "cloudflare", zoneId: OPS_ZONE_ID, zoneName: "gitlab.com", recordName: "packages-pre.gitlab.com", proxied: true, ttl: 1 };
/** Shaped like the real thing; none of them is anyone's. */
const AGE_IDENTITY = `AGE-SECRET-KEY-1${"QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGP9X"}`;
const PAGERDUTY_URL = "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue";
const SLACK_WEBHOOK = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";

/** The whole internet, spelled as halves of the IPv4 space. */
const HALVES = ["0.0.0.0/1", "128.0.0.0/1"];
const PUBLIC_NET = (name: string, cidr: string, allowPublicRange?: boolean) => ({ name, cidr, ...(allowPublicRange === undefined ? {} : { allowPublicRange }) });

export const BAD_CONFIGS: readonly BadConfig[] = [
  // Wrong types
  { id: "retention-as-string", env: "ops", edits: [{ set: "storage.dailyBackups.expireAfterDays", value: "14" }], field: "storage.dailyBackups.expireAfterDays", allowed: "Expected number, received string" },
  { id: "admin-cidrs-not-a-list", env: "ops", edits: [{ set: "network.adminCidrs", value: "10.240.0.0/24" }], field: "network.adminCidrs", allowed: "Expected array, received string" },
  { id: "termination-protection-as-string", env: "ops", edits: [{ set: "vm.terminationProtection", value: "yes" }], field: "vm.terminationProtection", allowed: "Expected boolean" },
  { id: "proxied-as-number", env: "ops", edits: [{ set: "dns.proxied", value: 1 }], field: "dns.proxied", allowed: "Expected boolean" },
  // Unknown keys (typos are never silently ignored)
  { id: "unknown-top-level-key", env: "pre", edits: [{ set: "regions", value: ["us-west-1"] }], field: "regions", allowed: "Unrecognized key\\(s\\) in object: 'regions'\\); allowed: name, tier, variant" },
  { id: "misspelled-bucket-key", env: "ops", edits: [{ set: "storage.packages.bucketname", value: "x" }], field: "storage.packages.bucketname", allowed: "Unrecognized key\\(s\\) in object: 'bucketname'\\); allowed: bucketName," },
  { id: "unknown-lock-key", env: "ops", edits: [{ set: "storage.offsiteBackups.objectLock.years", value: 1 }], field: "storage.offsiteBackups.objectLock.years", allowed: "Unrecognized key.*allowed: mode, days" },
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
  // Issue 28 §3: a rebuild must install the version the data was written by, never "the newest" or a range.
  { id: "packagecloud-version-wildcard", env: "ops", edits: [{ set: "vm.packagecloudApt.version", value: "2.0.*" }], field: "vm.packagecloudApt.version", allowed: "one exact Debian package version such as 2\\.0\\.5" },
  { id: "packagecloud-version-latest", env: "pre", edits: [{ set: "vm.packagecloudApt.version", value: "latest" }], field: "vm.packagecloudApt.version", allowed: "no wildcard: the VM installs exactly this version and holds it" },
  { id: "packagecloud-version-missing", env: "ops", edits: [{ delete: "vm.packagecloudApt.version" }], field: "vm.packagecloudApt.version", allowed: "Required" },
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
  // ---- Round two (issue 14) ----
  // 1. Never a crash: any value ends in a ConfigError naming the field, printed readably.
  { id: "bigint-retention", env: "ops", edits: [{ set: "storage.dailyBackups.expireAfterDays", value: 14n }], field: "storage.dailyBackups.expireAfterDays", allowed: "= 14n: Expected number, received bigint" },
  { id: "function-as-bucket", env: "ops", edits: [{ set: "storage.packages.bucketName", value: () => "x" }], field: "storage.packages.bucketName", allowed: "= a function: Expected string, received function" },
  { id: "symbol-as-region", env: "ops", edits: [{ set: "aws.region", value: Symbol("us") }], field: "aws.region", allowed: "= a symbol \\(us\\): must be an AWS region" },
  { id: "nan-disk-size", env: "ops", edits: [{ set: "vm.dataVolumeGiB", value: NaN }], field: "vm.dataVolumeGiB", allowed: "= NaN: Expected number, received nan" },
  { id: "infinite-backups", env: "ops", edits: [{ set: "gcp.sql.retainedBackups", value: Infinity }], field: "gcp.sql.retainedBackups", allowed: "= Infinity: .*" },
  { id: "huge-record-name", env: "pre", edits: [{ set: "dns.recordName", value: "a".repeat(1_000_000) }], field: "dns.recordName", allowed: "= \"a{80}\"… \\(1000000 characters\\): must be at most 2048 characters" },
  { id: "cyclic-cidr-list", env: "ops", edits: [{ set: "network.adminCidrs", value: cyclicList() }], field: "network.adminCidrs.1", allowed: "refers back to an enclosing object" },
  { id: "throwing-getter", env: "ops", edits: [{ set: "gcp.cluster.masterAuthorizedNetworks", value: [throwingGetter()] }], field: "gcp.cluster.masterAuthorizedNetworks.0.name", allowed: "= \\(a getter\\): is a getter: configuration must be plain data" },
  { id: "null-prototype-object", env: "ops", edits: [{ set: "storage.packages", value: nullPrototypePackages() }], field: "storage.packages.bucketName", allowed: "= 5: Expected string, received number" },
  { id: "unknown-key-shows-its-value-only", env: "ops", edits: [{ set: "gcp.cluster.nodePools.serving.maxPods", value: 64 }], field: "gcp.cluster.nodePools.serving.maxPods", allowed: "= 64: is not a field here.*allowed: machineType, minNodes, maxNodes, diskGb$" },
  { id: "oversized-list", env: "ops", edits: [{ set: "network.prometheusCidrs", value: Array(1000).fill("10.241.0.0/24") }], field: "network.prometheusCidrs", allowed: "must list at most 256 entries \\(got 1000\\)" },
  { id: "duplicate-admin-cidr", env: "ops", edits: [{ set: "network.adminCidrs", value: ["198.51.100.0/24", "198.51.100.0/24"] }], field: "network.adminCidrs.1", allowed: "is entry 0 \\(198\\.51\\.100\\.0/24\\) again.*list each network once" },
  { id: "duplicate-email-any-case", env: "ops", edits: [{ set: "monitoring.notifications.emails", value: ["packagecloud-alerts@gitlab.com", "Packagecloud-Alerts@gitlab.com"] }], field: "monitoring.notifications.emails.1", allowed: "repeats entry 0.*list each once" },
  { id: "duplicate-authorized-network-name", env: "ops", edits: [{ set: "gcp.cluster.masterAuthorizedNetworks", value: [PUBLIC_NET("admins", "10.240.0.0/24"), PUBLIC_NET("admins", "10.242.0.0/24")] }], field: "gcp.cluster.masterAuthorizedNetworks.1", allowed: "repeats entry 0 \\(\"admins\"\\)" },
  // 2. Environments cannot collide or impersonate each other.
  { id: "pre-copies-ops-dns", env: "pre", across: true, edits: [{ delete: "adopt" }, { set: "dns", value: { provider: "cloudflare", zoneId: "0123456789abcdef0123456789abcdef", zoneName: "gitlab.com", recordName: "packages.gitlab.com", proxied: true, ttl: 1 } }], field: "dns.recordName", allowed: "public DNS name \"packages\\.gitlab\\.com\" is also used by environment \"ops\"" },
  { id: "pre-under-ops-name", env: "pre", across: true, edits: [{ set: "dns", value: { provider: "cloud-dns", managedZone: "gitlab-com", zoneName: "gitlab.com", recordName: "pre.packages.gitlab.com", ttl: 300 } }], field: "dns.recordName", allowed: "lies under environment \"ops\"'s public name \\(packages\\.gitlab\\.com\\)" },
  { id: "shared-state-bucket", env: "ops", across: true, edits: [{ set: "state.bucket", value: "packagecloud-pre-terraform-state" }], field: "state.bucket", allowed: "S3 bucket name \"packagecloud-pre-terraform-state\" is also used by environment \"(pre|ops)\" \\(its state\\.bucket\\)" },
  { id: "shared-gcs-state-bucket", env: "pre", across: true, edits: [{ set: "state.gcsBucket", value: "gitlab-ops-terraform-state" }], field: "state.gcsBucket", allowed: "GCS bucket name .* is also used by environment \"ops\"" },
  { id: "shared-access-log-bucket", env: "pre", across: true, edits: [{ set: "storage.accessLogs.replicaBucketName", value: "packagecloud-ops-access-logs-euc1" }], field: "storage.accessLogs.replicaBucketName", allowed: "must be unique globally" },
  { id: "shared-gcp-project", env: "pre", across: true, edits: [{ set: "gcp.project", value: "gitlab-ops" }, { set: "monitoring.notifications.gcpChannels", value: ["projects/gitlab-ops/notificationChannels/1"] }], field: "gcp.project", allowed: "Google Cloud project \"gitlab-ops\" is also used by environment \"ops\"" },
  { id: "pre-pools-in-ops-cluster", env: "pre", across: true, edits: [{ set: "gcp.cluster", value: { mode: "existing", name: "packagecloud-ops-gke", location: "us-east1", nodePools: { serving: { machineType: "n2-standard-2", minNodes: 1, maxNodes: 3, diskGb: 50 }, background: { machineType: "n2-standard-2", minNodes: 1, maxNodes: 2, diskGb: 50 } } } }], field: "gcp.cluster.name", allowed: "GKE cluster name \"packagecloud-ops-gke\" is also used by environment \"ops\"" },
  { id: "iam-role-collision-in-shared-account", env: "pre", across: true, edits: [{ set: "aws.accountId", value: "855261479204" }, { set: "application.edgeLambdaRoleName", value: "packagecloud-ops-edge-lambda" }], field: "application.edgeLambdaRoleName", allowed: "IAM name .* must be unique in AWS account 855261479204" },
  { id: "iam-role-impersonates-derived-name", env: "pre", across: true, edits: [{ set: "aws.accountId", value: "855261479204" }, { set: "application.edgeLambdaRoleName", value: "packagecloud-ops-app" }], field: "application.edgeLambdaRoleName", allowed: "is also used by environment \"ops\" \\(its \\(derived from name: packagecloud-ops-app\\)\\)" },
  { id: "lambda-prefix-overlap-in-shared-account", env: "pre", across: true, edits: [{ set: "aws.accountId", value: "855261479204" }, { set: "application.edgeFunctionPrefix", value: "packagecloud_cloudfront_auth" }], field: "application.edgeFunctionPrefix", allowed: "overlaps environment \"ops\"'s prefix" },
  // 3. "The whole internet" in any spelling.
  { id: "ssh-world-as-two-halves", env: "ops", edits: [{ set: "network.adminCidrs", value: HALVES }], field: "network.adminCidrs", allowed: "together open SSH to 100% of the public IPv4 internet; at most 1/256" },
  { id: "ssh-world-as-ipv4-mapped-ipv6", env: "ops", edits: [{ set: "network.adminCidrs", value: ["::ffff:0:0/96"] }], field: "network.adminCidrs", allowed: "together open SSH to 100% of the public IPv4" },
  { id: "exporters-public-slash-8", env: "ops", edits: [{ set: "network.prometheusCidrs", value: ["4.0.0.0/8"] }], field: "network.prometheusCidrs", allowed: "together open the exporters to 0\\.45\\d% of the public IPv4" },
  { id: "exporters-two-public-slash-9s", env: "pre", edits: [{ set: "network.prometheusCidrs", value: ["4.0.0.0/9", "8.0.0.0/9"] }], field: "network.prometheusCidrs", allowed: "at most 1/256 of the public IPv4 space" },
  { id: "ssh-ipv6-world-as-halves", env: "ops", edits: [{ set: "network.adminCidrs", value: ["::/1", "8000::/1"] }], field: "network.adminCidrs", allowed: "100% of the public IPv6 internet" },
  { id: "ssh-ipv6-global-unicast", env: "pre", edits: [{ set: "network.adminCidrs", value: ["2000::/3"] }], field: "network.adminCidrs", allowed: "at most 1/65536 of global unicast IPv6" },
  { id: "ipv6-same-network-two-spellings", env: "ops", edits: [{ set: "network.adminCidrs", value: ["2001:db8::/48", "2001:0DB8:0:0::/48"] }], field: "network.adminCidrs.1", allowed: "again, spelled differently" },
  { id: "ipv4-and-its-mapped-spelling", env: "ops", edits: [{ set: "network.prometheusCidrs", value: ["198.51.100.0/24", "::ffff:c633:6400/120"] }], field: "network.prometheusCidrs.1", allowed: "is entry 0 \\(198\\.51\\.100\\.0/24\\) again, spelled differently" },
  { id: "range-inside-another", env: "ops", edits: [{ set: "network.adminCidrs", value: ["198.51.100.0/24", "198.51.0.0/16"] }], field: "network.adminCidrs.1", allowed: "contains entry 0" },
  { id: "control-plane-public-range", env: "ops", edits: [{ set: "gcp.cluster.masterAuthorizedNetworks", value: [PUBLIC_NET("office", "8.8.8.0/24")] }], field: "gcp.cluster.masterAuthorizedNetworks.0.cidr", allowed: "is a public range.*allowPublicRange: true" },
  { id: "control-plane-halves-despite-opt-out", env: "ops", edits: [{ set: "gcp.cluster.masterAuthorizedNetworks", value: HALVES.map((c, i) => PUBLIC_NET(`half${i}`, c, true)) }], field: "gcp.cluster.masterAuthorizedNetworks", allowed: "together open the GKE control plane to 100%" },
  { id: "control-plane-opt-out-not-true", env: "ops", edits: [{ set: "gcp.cluster.masterAuthorizedNetworks", value: [PUBLIC_NET("office", "8.8.8.0/24", false)] }], field: "gcp.cluster.masterAuthorizedNetworks.0.allowPublicRange", allowed: "must be true or left out" },
  { id: "ipv4-leading-zeros", env: "ops", edits: [{ set: "network.adminCidrs", value: ["010.240.000.000/24"] }], field: "network.adminCidrs.0", allowed: "must not have leading zeros.*write 10\\.0\\.0\\.0/8" },
  { id: "cloudflare-zone-id-with-another-name", env: "pre", across: true, edits: [{ delete: "adopt" }, { set: "dns", value: { provider: "cloudflare", zoneId: "0123456789abcdef0123456789abcdef", zoneName: "gitlab.net", recordName: "packages.pre.gitlab.net", proxied: true, ttl: 1 } }], field: "dns.zoneName", allowed: "for the same Cloudflare zone id: one of them names the wrong zone" },
  // 4. Production invariants.
  { id: "production-governance-lock", env: "ops", edits: [{ set: "storage.offsiteBackups.objectLock.mode", value: "GOVERNANCE" }], field: "storage.offsiteBackups.objectLock.mode", allowed: "must be COMPLIANCE in a production environment.*BypassGovernanceRetention" },
  { id: "production-without-termination-protection", env: "ops", edits: [{ set: "vm.terminationProtection", value: false }], field: "vm.terminationProtection", allowed: "must be true in a production environment" },
  { id: "production-zonal-sql", env: "ops", edits: [{ set: "gcp.sql.availability", value: "ZONAL" }], field: "gcp.sql.availability", allowed: "must be REGIONAL in a production environment" },
  { id: "production-basic-redis", env: "ops", edits: [{ set: "gcp.redis.tier", value: "BASIC" }], field: "gcp.redis.tier", allowed: "must be STANDARD_HA in a production environment" },
  { id: "production-zonal-cluster", env: "ops", edits: [{ set: "gcp.cluster.location", value: "us-east1-b" }], field: "gcp.cluster.location", allowed: "must be a region \\(a regional cluster\\)" },
  { id: "production-governance-vault-lock", env: "ops", edits: [{ delete: "vm.snapshots.vaultLock.changeableForDays" }], field: "vm.snapshots.vaultLock.changeableForDays", allowed: "compliance-mode vault lock" },
  { id: "production-short-object-lock", env: "ops", edits: [{ set: "storage.offsiteBackups.objectLock.days", value: 7 }, { set: "storage.offsiteBackups.expireAfterDays", value: 8 }], field: "storage.offsiteBackups.objectLock.days", allowed: "must be at least 30 in a production environment" },
  { id: "production-webhook-only", env: "ops", edits: [{ set: "monitoring.notifications.httpsEndpoints", value: [{ variable: "alerts_webhook_url", receiver: "webhook" }] }], field: "monitoring.notifications.httpsEndpoints", allowed: "at least one endpoint with receiver pagerduty in a production environment" },
  { id: "tier-missing", env: "ops", edits: [{ delete: "tier" }], field: "tier", allowed: "must be one of production, non-production" },
  // 5. Values the cloud refuses, refused at synth.
  { id: "aws-subnet-too-small", env: "pre", edits: [{ set: "vm.network.subnetCidr", value: "10.60.1.0/29" }], field: "vm.network.subnetCidr", allowed: "from /16 to /28: the subnet sizes AWS accepts" },
  { id: "pod-range-too-small-for-pools", env: "ops", edits: [{ set: "gcp.network.podsCidr", value: "10.104.0.0/20" }], field: "gcp.network.podsCidr", allowed: "holds 16 nodes' pod ranges.*can reach 36 nodes.*use a /18 or larger" },
  { id: "cluster-outside-region", env: "pre", edits: [{ set: "gcp.cluster.location", value: "us-central1-a" }], field: "gcp.cluster.location", allowed: "must be gcp.region \\(us-east1\\) or one of its zones" },
  { id: "cluster-zone-that-does-not-exist", env: "pre", edits: [{ set: "gcp.cluster.location", value: "us-east1-a" }], field: "gcp.cluster.location", allowed: "not in the repository's list of Google Cloud zones \\(config/catalog/cloud-catalog\\.ts, from .*, checked 2026-11-24\\)" },
  { id: "sql-odd-vcpus", env: "ops", edits: [{ set: "gcp.sql.tier", value: "db-custom-3-12288" }], field: "gcp.sql.tier", allowed: "has 3 vCPUs.*1 or an even number of vCPUs" },
  { id: "sql-memory-not-256-multiple", env: "ops", edits: [{ set: "gcp.sql.tier", value: "db-custom-8-30700" }], field: "gcp.sql.tier", allowed: "not a multiple of 256" },
  { id: "sql-memory-per-vcpu", env: "pre", edits: [{ set: "gcp.sql.tier", value: "db-custom-8-4096" }], field: "gcp.sql.tier", allowed: "0\\.50 GB per vCPU.*0\\.9-6\\.5 GB per vCPU" },
  { id: "sql-n1-size-that-does-not-exist", env: "pre", edits: [{ set: "gcp.sql.tier", value: "db-n1-standard-3" }], field: "gcp.sql.tier", allowed: "not a legacy db-n1-standard size" },
  { id: "gcp-region-not-in-catalog", env: "pre", edits: [{ set: "gcp.region", value: "us-nowhere9" }, { set: "gcp.cluster.location", value: "us-nowhere9-b" }], field: "gcp.region", allowed: "not in the repository's list of Google Cloud regions" },
  { id: "freshness-alarm-pages-daily", env: "ops", edits: [{ set: "monitoring.dailyBackups.maxAgeHours", value: 24 }], field: "monitoring.dailyBackups.maxAgeHours", allowed: "must be at least 30 hours.*pages every day" },
  { id: "unknown-instance-type", env: "ops", edits: [{ set: "vm.instanceType", value: "c4.3xlarge" }], field: "vm.instanceType", allowed: "not in the repository's list of EC2 instance types .*checked 2026-11-24" },
  { id: "unknown-machine-type", env: "ops", edits: [{ set: "gcp.cluster.nodePools.serving.machineType", value: "n2-standard-3" }], field: "gcp.cluster.nodePools.serving.machineType", allowed: "not in the repository's list of Compute Engine machine types" },
  { id: "zone-that-does-not-exist", env: "ops", edits: [{ set: "vm.availabilityZone", value: "us-west-1d" }], field: "vm.availabilityZone", allowed: "not in the repository's list of AWS availability zones" },
  // 6. Look-alikes.
  { id: "cyrillic-letter-in-email-domain", env: "ops", edits: [{ set: "monitoring.notifications.emails", value: ["packagecloud-alerts@gitl\u0430b.com"] }], field: "monitoring.notifications.emails.0", allowed: "U\\+0430 \\(Cyrillic\\) among Latin letters: a look-alike" },
  { id: "punycode-look-alike-email-domain", env: "ops", edits: [{ set: "monitoring.notifications.emails", value: ["packagecloud-alerts@xn--gitlb-7ve.com"] }], field: "monitoring.notifications.emails.0", allowed: "mixes Latin and Cyrillic letters: a look-alike \\(homoglyph\\) domain" },
  { id: "greek-letter-in-public-name", env: "ops", edits: [{ set: "dns.recordName", value: "packages.gitlab.c\u03bfm" }], field: "dns.recordName", allowed: "U\\+03BF \\(Greek\\) among Latin letters" },
  { id: "invisible-character-in-bucket", env: "ops", edits: [{ set: "storage.packages.bucketName", value: "packages-gitlab\u200b-com" }], field: "storage.packages.bucketName", allowed: "invisible character U\\+200B" },
  { id: "non-ascii-in-runbook-url", env: "pre", edits: [{ set: "monitoring.runbookUrl", value: "https://runbooks.gitlab.net/packagecloud/back\u00fcps" }], field: "monitoring.runbookUrl", allowed: "non-ASCII character U\\+00FC: configuration values are ASCII only" },
  // ---- Round three (issue 23) ----
  // 1. One environment cannot take over another's public name through adoption.
  { id: "pre-adopts-ops-record", env: "pre", across: true, edits: [{ set: "dns", value: PRE_IN_OPS_ZONE }, { set: "adopt", value: { dnsRecord: { cloudflareRecordId: OPS_RECORD_ID } } }], field: "adopt.dnsRecord.cloudflareRecordId", allowed: `adopted Cloudflare record id "${OPS_RECORD_ID}" is also used by environment "ops"` },
  { id: "pre-adopts-ops-zone-as-record", env: "pre", across: true, edits: [{ set: "dns", value: { provider: "cloudflare", zoneId: "aaaabbbbccccddddeeeeffff00001111", zoneName: "gitlab.net", recordName: "packages.gitlab.net", proxied: true, ttl: 1 } }, { set: "adopt", value: { dnsRecord: { cloudflareRecordId: OPS_ZONE_ID } } }], field: "adopt.dnsRecord.cloudflareRecordId", allowed: "is environment \"ops\"'s dns.zoneId, a zone's id" },
  { id: "record-id-is-own-zone-id", env: "ops", edits: [{ set: "adopt.dnsRecord.cloudflareRecordId", value: OPS_ZONE_ID }], field: "adopt.dnsRecord.cloudflareRecordId", allowed: "is dns.zoneId, the zone's id: give the id of the packages\\.gitlab\\.com record" },
  { id: "pre-adopts-ops-bucket", env: "pre", across: true, edits: [{ set: "storage.packages.bucketName", value: "packages-gitlab-com" }, { set: "adopt", value: { buckets: { packages: ["versioning"] } } }], field: "storage.packages.bucketName", allowed: "S3 bucket name \"packages-gitlab-com\" is also used by environment \"ops\"" },
  // 2. Secrets: not shared across environments, never in configuration, never repeated in a message.
  { id: "pre-encrypts-to-ops-key", env: "pre", across: true, edits: [{ set: "backupJob.ageRecipient", value: OPS_AGE_RECIPIENT }], field: "backupJob.ageRecipient", allowed: "age recipient for backups \"age1ff9.*\" is also used by environment \"ops\"" },
  { id: "age-identity-pasted-as-recipient", env: "ops", edits: [{ set: "backupJob.ageRecipient", value: AGE_IDENTITY }], field: "backupJob.ageRecipient", allowed: "AGE-SECRET-KEY-1…\\(redacted\\)\"?: must be an age X25519 public key", secret: AGE_IDENTITY.slice(16) },
  { id: "pagerduty-url-as-runbook", env: "pre", edits: [{ set: "monitoring.runbookUrl", value: PAGERDUTY_URL }], field: "monitoring.runbookUrl", allowed: "https://events\\.pagerduty\\.com/…\\(redacted\\)\": must not carry a token in its path", secret: "0123456789abcdef0123456789abcdef" },
  { id: "slack-webhook-as-variable", env: "ops", edits: [{ set: "monitoring.notifications.httpsEndpoints", value: [{ variable: SLACK_WEBHOOK, receiver: "webhook" }] }], field: "monitoring.notifications.httpsEndpoints.0.variable", allowed: "hooks\\.slack\\.com/…\\(redacted\\)\": must be a Terraform variable name", secret: "XXXXXXXXXXXXXXXXXXXXXXXX" },
  { id: "gitlab-token-in-apt-url", env: "ops", edits: [{ set: "vm.packagecloudApt.url", value: "https://glpat-abcdefghij0123456789@packagecloud.io/gitlab/pkgs/" }], field: "vm.packagecloudApt.url", allowed: "glpat-…\\(redacted\\)", secret: "abcdefghij0123456789" },
  { id: "access-key-as-role-name", env: "pre", edits: [{ set: "application.edgeLambdaRoleName", value: "AKIAIOSFODNN7EXAMPLE" }], field: "application.edgeLambdaRoleName", allowed: "AKIA…\\(redacted\\)\": looks like a secret", secret: "IOSFODNN7EXAMPLE" },
  // 3. The backup job's settings, together.
  { id: "binary-path-is-directory", env: "ops", edits: [{ set: "backupJob.vm.binaries.xbstream", value: "/opt/packagecloud/embedded/bin" }], field: "backupJob.vm.binaries.xbstream", allowed: "must name the xbstream program \\(a file called xbstream or mbstream\\), not a directory" },
  { id: "binary-path-trailing-slash", env: "pre", edits: [{ set: "backupJob.vm.binaries.mysqld", value: "/opt/packagecloud/embedded/bin/mysqld/" }], field: "backupJob.vm.binaries.mysqld", allowed: "no trailing /" },
  { id: "binary-is-another-program", env: "ops", edits: [{ set: "backupJob.vm.binaries.xtrabackup", value: "/opt/packagecloud/embedded/bin/mysqld" }], field: "backupJob.vm.binaries.xtrabackup", allowed: "must name the xtrabackup program" },
  { id: "canary-reads-nothing", env: "ops", edits: [{ set: "backupJob.verify.canary", value: { query: "SELECT 1", expected: "1" } }], field: "backupJob.verify.canary.query", allowed: "must read one of verify\\.tables .*passes with an empty restore" },
  { id: "canary-reads-information-schema", env: "pre", edits: [{ set: "backupJob.verify.canary", value: { query: "SELECT COUNT(*) FROM information_schema.tables", expected: "61" } }], field: "backupJob.verify.canary.query", allowed: "not MySQL's own schemas" },
  { id: "canary-reads-unverified-table", env: "ops", edits: [{ set: "backupJob.verify.canary.query", value: "SELECT name FROM repositories_archive LIMIT 1" }], field: "backupJob.verify.canary.query", allowed: "must read one of verify\\.tables \\(schema_migrations, users, repositories, packages\\)" },
  { id: "canary-reads-other-database", env: "ops", edits: [{ set: "backupJob.verify.canary.query", value: "SELECT name FROM staging.repositories WHERE name = 'gitlab-ce'" }], field: "backupJob.verify.canary.query", allowed: "with FROM or JOIN in packages_onpremise" },
  { id: "age-recipient-bad-checksum", env: "ops", edits: [{ set: "backupJob.ageRecipient", value: `${OPS_AGE_RECIPIENT.slice(0, -1)}q` }], field: "backupJob.ageRecipient", allowed: "wrong Bech32 checksum" },
  { id: "backup-outlasts-its-interval", env: "ops", edits: [{ set: "backupJob.timeouts.dumpMinutes", value: 240 }, { set: "backupJob.timeouts.uploadMinutes", value: 720 }], field: "backupJob.timeouts", allowed: "backup run take up to [0-9.]+ h .*longer than the 24 h until the next daily run" },
  { id: "verification-outlasts-its-interval", env: "pre", edits: [{ set: "backupJob.timeouts.restoreMinutes", value: 720 }], field: "backupJob.timeouts", allowed: "restore verification take up to 32\\.5 h" },
  // 4. Refusals name the field, and one refusal does not hide another.
  { id: "unproxied-cloudflare-record", env: "ops", edits: [{ set: "dns.proxied", value: false }, { set: "dns.ttl", value: 300 }], field: "dns.proxied", allowed: "must be true for a Cloudflare record" },
  { id: "own-error-does-not-hide-collision", env: "pre", across: true, edits: [{ set: "monitoring.dailyBackups.maxAgeHours", value: 24 }, { set: "state.bucket", value: "packagecloud-ops-terraform-state" }], field: "monitoring.dailyBackups.maxAgeHours", alsoField: "state.bucket", allowed: "is also used by environment \"(pre|ops)\"" },
  { id: "schema-error-does-not-hide-collision", env: "pre", across: true, edits: [{ set: "storage.packages.bucketname", value: "x" }, { set: "state.gcsBucket", value: "gitlab-ops-terraform-state" }], field: "storage.packages.bucketname", alsoField: "state.gcsBucket", allowed: "GCS bucket name \"gitlab-ops-terraform-state\" is also used by environment \"(pre|ops)\"" },
  { id: "one-environment-does-not-hide-the-other", env: "ops", across: true, edits: [{ set: "dns.proxied", value: false }, { set: "dns.ttl", value: 300 }, { set: "backupJob.ageRecipient", value: PRE_AGE_RECIPIENT }], field: "dns.proxied", alsoField: "backupJob.ageRecipient", allowed: "environment \"pre\":[\\s\\S]*environment \"ops\":\\n  - dns\\.proxied = false[\\s\\S]*\\n  - backupJob\\.ageRecipient = .*also used by environment \"pre\"" },

  // ---- Round four (issue 29 §4) ----
  // 1. Values that name the wrong place.
  { id: "az-id-of-us-east-1", env: "ops", edits: [{ set: "vm.availabilityZoneId", value: "use1-az1" }], field: "vm.availabilityZoneId", allowed: "is a zone id of us-east-1, not of aws\\.region \\(us-west-1\\): AZ ids carry their region \\(usw1-az\\* for us-west-1\\); use the id of vm\\.availabilityZone" },
  { id: "az-id-of-replica-region", env: "ops", edits: [{ set: "vm.availabilityZoneId", value: "euc1-az2" }], field: "vm.availabilityZoneId", allowed: "is a zone id of eu-central-1, not of aws\\.region \\(us-west-1\\)" },
  { id: "az-id-of-us-west-2", env: "pre", edits: [{ set: "vm.availabilityZoneId", value: "usw2-az1" }], field: "vm.availabilityZoneId", allowed: "is a zone id of us-west-2.*aws ec2 describe-availability-zones --region us-west-1" },
  { id: "az-id-of-singapore", env: "pre", edits: [{ set: "vm.availabilityZoneId", value: "apse1-az1" }], field: "vm.availabilityZoneId", allowed: "is a zone id of ap-southeast-1" },
  { id: "az-id-of-no-region", env: "ops", edits: [{ set: "vm.availabilityZoneId", value: "usw9-az1" }], field: "vm.availabilityZoneId", allowed: "is not an availability zone id of any AWS region.*usw1-az\\* for us-west-1" },
  { id: "az-name-as-az-id", env: "ops", edits: [{ set: "vm.availabilityZoneId", value: "us-west-1b" }], field: "vm.availabilityZoneId", allowed: "must be an availability zone id such as usw1-az1" },
  { id: "az-id-left-behind-by-region-move", env: "pre", edits: [{ set: "aws.region", value: "us-east-2" }, { set: "vm.availabilityZone", value: "us-east-2a" }], field: "vm.availabilityZoneId", allowed: "is a zone id of us-west-1, not of aws\\.region \\(us-east-2\\).*use2-az<N>" },
  { id: "setup-region-that-does-not-exist", env: "ops", edits: [{ set: "application.cdnSetup.region", value: "us-east-9" }], field: "application.cdnSetup.region", allowed: "is not an AWS region this project knows .*the CloudFront setup's KMS key is created there" },
  { id: "setup-region-is-a-zone", env: "ops", edits: [{ set: "application.cdnSetup.region", value: "us-east-1a" }], field: "application.cdnSetup.region", allowed: "is not an AWS region this project knows" },
  { id: "setup-region-google-spelling", env: "pre", edits: [{ set: "application.cdnSetup.region", value: "us-east1" }], field: "application.cdnSetup.region", allowed: "is not an AWS region this project knows" },
  { id: "setup-region-upper-case", env: "pre", edits: [{ set: "application.cdnSetup.region", value: "US-EAST-1" }], field: "application.cdnSetup.region", allowed: "is not an AWS region this project knows" },
  { id: "setup-region-empty", env: "ops", edits: [{ set: "application.cdnSetup.region", value: "" }], field: "application.cdnSetup.region", allowed: "is not an AWS region this project knows" },
  { id: "key-alias-with-its-prefix", env: "ops", edits: [{ set: "application.cdnSetup.keyAlias", value: "alias/packagecloud_cloudfront_auth_key" }], field: "application.cdnSetup.keyAlias", allowed: "must be written without the alias/ prefix, which Terraform adds: write \"packagecloud_cloudfront_auth_key\"" },
  { id: "key-alias-with-capital-prefix", env: "pre", edits: [{ set: "application.cdnSetup.keyAlias", value: "Alias/packagecloud_key" }], field: "application.cdnSetup.keyAlias", allowed: "without the alias/ prefix.*write \"packagecloud_key\"" },
  { id: "key-alias-reserved-for-aws", env: "ops", edits: [{ set: "application.cdnSetup.keyAlias", value: "aws/lambda" }], field: "application.cdnSetup.keyAlias", allowed: "must not start with aws/: KMS reserves those" },
  { id: "key-alias-with-space", env: "pre", edits: [{ set: "application.cdnSetup.keyAlias", value: "packagecloud key" }], field: "application.cdnSetup.keyAlias", allowed: "must be a KMS alias name: 1-250 letters" },
  { id: "key-alias-as-arn", env: "ops", edits: [{ set: "application.cdnSetup.keyAlias", value: "arn:aws:kms:us-east-1:855261479204:alias/packagecloud" }], field: "application.cdnSetup.keyAlias", allowed: "must be a KMS alias name" },
  { id: "key-alias-trailing-slash", env: "ops", edits: [{ set: "application.cdnSetup.keyAlias", value: "packagecloud/" }], field: "application.cdnSetup.keyAlias", allowed: "must not end with '/'" },
  { id: "setup-alias-collides-in-shared-account", env: "pre", across: true, edits: [{ set: "aws.accountId", value: "855261479204" }], field: "application.cdnSetup.keyAlias", allowed: "KMS alias \"packagecloud_cloudfront_auth_key\" is also used by environment \"(pre|ops)\".*must be unique in AWS account 855261479204, region us-east-1" },
  { id: "record-is-zone-apex", env: "ops", edits: [{ set: "dns.recordName", value: "gitlab.com" }], field: "dns.recordName", allowed: "is the apex of dns\\.zoneName \\(gitlab\\.com\\) itself.*e\\.g\\. packages\\.gitlab\\.com" },
  { id: "record-is-zone-apex-cloud-dns", env: "pre", edits: [{ set: "dns.recordName", value: "pre.gke.gitlab.net" }], field: "dns.recordName", allowed: "is the apex of dns\\.zoneName" },
  { id: "proxied-record-two-levels-down", env: "ops", edits: [{ set: "dns.recordName", value: "packages.ops.gitlab.com" }], field: "dns.recordName", allowed: "is 2 labels below dns\\.zoneName \\(gitlab\\.com\\): Cloudflare's Universal SSL certificate covers the apex and first-level subdomains only" },
  { id: "record-shares-only-a-suffix", env: "pre", edits: [{ set: "dns.recordName", value: "packagespre.gke.gitlab.net" }], field: "dns.recordName", allowed: "must fall inside dns\\.zoneName \\(pre\\.gke\\.gitlab\\.net\\): a zone holds only names under it" },
  { id: "record-in-parent-zone", env: "pre", edits: [{ set: "dns.recordName", value: "packages.gke.gitlab.net" }], field: "dns.recordName", allowed: "must fall inside dns\\.zoneName.*or set dns\\.zoneName" },
  { id: "zone-of-another-domain", env: "ops", edits: [{ set: "dns.zoneName", value: "gitlab.net" }], field: "dns.recordName", allowed: "must fall inside dns\\.zoneName \\(gitlab\\.net\\)" },
  { id: "record-with-trailing-dot", env: "ops", edits: [{ set: "dns.recordName", value: "packages.gitlab.com." }], field: "dns.recordName", allowed: "without a trailing dot" },
  // 2. Secrets pasted where they do not belong: refused, never repeated.
  { id: "apt-read-token-as-user", env: "ops", edits: [{ set: "vm.packagecloudApt.url", value: "https://0123456789abcdef0123456789abcdef0123456789abcdef:@packagecloud.io/computology/packagecloud-enterprise/ubuntu/" }], field: "vm.packagecloudApt.url", allowed: "= \"https://…\\(redacted\\)@packagecloud\\.io/computology/packagecloud-enterprise/ubuntu/\": must not contain credentials.*its SSM parameter, docs/vm\\.md", secret: "0123456789abcdef0123456789abcdef0123456789abcdef" },
  { id: "apt-token-user-without-colon", env: "pre", edits: [{ set: "vm.packagecloudApt.url", value: "https://s3cr3tT0k3nValue@packagecloud.io/computology/packagecloud-enterprise/ubuntu/" }], field: "vm.packagecloudApt.url", allowed: "must not contain credentials", secret: "s3cr3tT0k3nValue" },
  { id: "apt-token-in-query", env: "ops", edits: [{ set: "vm.packagecloudApt.url", value: "https://packagecloud.io/computology/packagecloud-enterprise/ubuntu/?token=abc123def456ghi789" }], field: "vm.packagecloudApt.url", allowed: "must not carry a credential in its query string", secret: "abc123def456ghi789" },
  { id: "apt-token-in-unnamed-query", env: "ops", edits: [{ set: "vm.packagecloudApt.url", value: "https://packagecloud.io/computology/packagecloud-enterprise/ubuntu/?t=9f8e7d6c5b4a39281706f5e4d3c2b1a0" }], field: "vm.packagecloudApt.url", allowed: "\\?t=…\\(redacted.*: must not carry a credential in its query string", secret: "9f8e7d6c5b4a39281706f5e4d3c2b1a0" },
  { id: "apt-token-in-priv-path", env: "pre", edits: [{ set: "vm.packagecloudApt.url", value: "https://packagecloud.io/priv/5up3rS3cr3t/computology/packagecloud-enterprise/ubuntu/" }], field: "vm.packagecloudApt.url", allowed: "/priv/…\\(redacted\\)/computology.*must not carry a token in its path", secret: "5up3rS3cr3t" },
  { id: "apt-token-as-path-segment", env: "ops", edits: [{ set: "vm.packagecloudApt.url", value: "https://packagecloud.io/0f1e2d3c4b5a69788796a5b4c3d2e1f0/computology/packagecloud-enterprise/ubuntu/" }], field: "vm.packagecloudApt.url", allowed: "packagecloud\\.io/…\\(redacted\\)/computology.*must not carry a token in its path", secret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0" },
  { id: "apt-password-in-signing-key-url", env: "ops", edits: [{ set: "vm.packagecloudApt.signingKeyUrl", value: "https://deploy:hunter2hunter2@packagecloud.io/computology/packagecloud-enterprise/gpgkey" }], field: "vm.packagecloudApt.signingKeyUrl", allowed: "must not contain credentials", secret: "hunter2hunter2" },
  { id: "apt-url-percent-encoded-token", env: "pre", edits: [{ set: "vm.packagecloudApt.url", value: "https://packagecloud.io/computology/packagecloud-enterprise/ubuntu/?access%5Fkey=Q1w2E3r4T5y6U7i8O9p0" }], field: "vm.packagecloudApt.url", allowed: "must not carry a credential in its query string", secret: "Q1w2E3r4T5y6U7i8O9p0" },
  { id: "pushgateway-user-and-password", env: "ops", edits: [{ set: "backupJob.kubernetes.pushgatewayUrl", value: "http://admin:pushgatewayS3cret@prometheus-pushgateway.monitoring.svc:9091" }], field: "backupJob.kubernetes.pushgatewayUrl", allowed: "= \"http://…\\(redacted\\)@prometheus-pushgateway\\.monitoring\\.svc:9091\": must not contain credentials.*the Pushgateway takes no credentials from this URL", secret: "pushgatewayS3cret" },
  { id: "pushgateway-token-as-user", env: "pre", edits: [{ set: "backupJob.kubernetes.pushgatewayUrl", value: "http://3c6e0b8a9c15224a8228b9a98ca1531d@prometheus-pushgateway.monitoring.svc:9091" }], field: "backupJob.kubernetes.pushgatewayUrl", allowed: "must not contain credentials", secret: "3c6e0b8a9c15224a8228b9a98ca1531d" },
  { id: "pushgateway-password-only", env: "ops", edits: [{ set: "backupJob.kubernetes.pushgatewayUrl", value: "http://:s3cretpass@prometheus-pushgateway.monitoring.svc:9091" }], field: "backupJob.kubernetes.pushgatewayUrl", allowed: "must not contain credentials", secret: "s3cretpass" },
  { id: "pushgateway-token-in-query", env: "ops", edits: [{ set: "backupJob.kubernetes.pushgatewayUrl", value: "http://prometheus-pushgateway.monitoring.svc:9091/?access_token=Zm9vYmFyYmF6cXV4" }], field: "backupJob.kubernetes.pushgatewayUrl", allowed: "must not carry a credential in its query string", secret: "Zm9vYmFyYmF6cXV4" },
  { id: "pushgateway-https-with-credentials", env: "pre", edits: [{ set: "backupJob.kubernetes.pushgatewayUrl", value: "https://metrics:Pa55w0rdPa55w0rd@pushgateway.example.com" }], field: "backupJob.kubernetes.pushgatewayUrl", allowed: "must not contain credentials", secret: "Pa55w0rdPa55w0rd" },
  { id: "runbook-with-private-token", env: "ops", edits: [{ set: "monitoring.runbookUrl", value: "https://runbooks.gitlab.net/packagecloud/backups?private_token=abcdEFGH12345678" }], field: "monitoring.runbookUrl", allowed: "must not carry a credential in its query string", secret: "abcdEFGH12345678" },
  { id: "runbook-with-oauth-user", env: "pre", edits: [{ set: "monitoring.runbookUrl", value: "https://oauth2:abcdef123456@runbooks.gitlab.net/packagecloud/backups" }], field: "monitoring.runbookUrl", allowed: "must not contain credentials", secret: "abcdef123456" },
  // 3. Identities that must stay apart, refused by the loader naming the fields.
  { id: "restore-runs-as-backup", env: "ops", edits: [{ set: "backupJob.kubernetes.restoreServiceAccount", value: "packagecloud-offsite-backup" }], field: "backupJob.kubernetes.restoreServiceAccount", allowed: "is backupJob\\.kubernetes\\.backupServiceAccount too \\(packagecloud/packagecloud-offsite-backup\\): the restore verification .* and the backup .* must run as different service accounts" },
  { id: "backup-runs-as-application", env: "ops", edits: [{ set: "backupJob.kubernetes.backupServiceAccount", value: "packagecloud" }], field: "backupJob.kubernetes.backupServiceAccount", allowed: "is gcp\\.workload\\.serviceAccount too \\(packagecloud/packagecloud\\)" },
  { id: "restore-runs-as-application", env: "pre", edits: [{ set: "backupJob.kubernetes.restoreServiceAccount", value: "packagecloud" }], field: "backupJob.kubernetes.restoreServiceAccount", allowed: "is gcp\\.workload\\.serviceAccount too" },
  { id: "all-three-one-account", env: "ops", edits: [{ set: "backupJob.kubernetes.backupServiceAccount", value: "packagecloud" }, { set: "backupJob.kubernetes.restoreServiceAccount", value: "packagecloud" }], field: "backupJob.kubernetes.backupServiceAccount", alsoField: "backupJob.kubernetes.restoreServiceAccount", allowed: "is gcp\\.workload\\.serviceAccount too" },
  { id: "application-moves-into-backup-account", env: "pre", edits: [{ set: "gcp.workload.serviceAccount", value: "packagecloud-restore-verify" }], field: "backupJob.kubernetes.restoreServiceAccount", allowed: "is gcp\\.workload\\.serviceAccount too \\(packagecloud/packagecloud-restore-verify\\)" },
  { id: "backup-as-default-account", env: "ops", edits: [{ set: "backupJob.kubernetes.backupServiceAccount", value: "default" }], field: "backupJob.kubernetes.backupServiceAccount", allowed: "must not be \"default\": every pod in packagecloud that names no service account runs as default" },
  { id: "restore-as-default-account", env: "pre", edits: [{ set: "backupJob.kubernetes.restoreServiceAccount", value: "default" }], field: "backupJob.kubernetes.restoreServiceAccount", allowed: "must not be \"default\"" },
  { id: "application-as-default-account", env: "ops", edits: [{ set: "gcp.workload.serviceAccount", value: "default" }], field: "gcp.workload.serviceAccount", allowed: "must not be \"default\".*the application" },
  { id: "aws-keys-in-age-identity-secret", env: "ops", edits: [{ set: "backupJob.kubernetes.awsAuth", value: { mode: "access-key", secretName: "packagecloud-backup-age-identity" } }], field: "backupJob.kubernetes.awsAuth.secretName", allowed: "is backupJob\\.kubernetes\\.ageIdentitySecret too.*would hold the age identity that decrypts every backup" },
  // 4. One read, not a script.
  { id: "canary-two-statements", env: "ops", edits: [{ set: "backupJob.verify.canary.query", value: "SELECT name FROM repositories WHERE name = 'gitlab-ce'; DROP TABLE users" }], field: "backupJob.verify.canary.query", allowed: "must be one statement with no ';'.*mysql -e runs every ;-separated statement" },
  { id: "canary-trailing-semicolon", env: "pre", edits: [{ set: "backupJob.verify.canary.query", value: "SELECT name FROM repositories WHERE name = 'gitlab-ce';" }], field: "backupJob.verify.canary.query", allowed: "must be one statement with no ';' \\(not even a trailing one\\)" },
  { id: "canary-update", env: "ops", edits: [{ set: "backupJob.verify.canary.query", value: "UPDATE repositories SET name = 'gitlab-ce'" }], field: "backupJob.verify.canary.query", allowed: "must be a SELECT statement" },
  { id: "canary-delete", env: "pre", edits: [{ set: "backupJob.verify.canary.query", value: "DELETE FROM users" }], field: "backupJob.verify.canary.query", allowed: "must be a SELECT statement" },
  { id: "canary-line-comment-hides-condition", env: "ops", edits: [{ set: "backupJob.verify.canary.query", value: "SELECT name FROM repositories WHERE name = 'gitlab-ce' -- AND 1 = 0" }], field: "backupJob.verify.canary.query", allowed: "must not contain comments \\(--, #, /\\* \\*/\\)" },
  { id: "canary-executable-comment", env: "ops", edits: [{ set: "backupJob.verify.canary.query", value: "SELECT name FROM repositories /*!50000 WHERE 1 = 1 */" }], field: "backupJob.verify.canary.query", allowed: "MySQL runs /\\*! \\.\\.\\. \\*/ comments as code" },
  { id: "canary-hash-comment", env: "pre", edits: [{ set: "backupJob.verify.canary.query", value: "SELECT name FROM repositories # WHERE name = 'x'" }], field: "backupJob.verify.canary.query", allowed: "must not contain comments" },
  { id: "canary-leading-comment", env: "ops", edits: [{ set: "backupJob.verify.canary.query", value: "/* check */ SELECT name FROM repositories WHERE name = 'gitlab-ce'" }], field: "backupJob.verify.canary.query", allowed: "must be a SELECT statement" },
  { id: "canary-shell-escape", env: "ops", edits: [{ set: "backupJob.verify.canary.query", value: "SELECT name FROM repositories \\! rm -rf /var/lib/mysql" }], field: "backupJob.verify.canary.query", allowed: "must not contain a backslash: the mysql client runs backslash commands" },
  { id: "canary-into-outfile", env: "pre", edits: [{ set: "backupJob.verify.canary.query", value: "SELECT name FROM repositories INTO OUTFILE '/tmp/repositories'" }], field: "backupJob.verify.canary.query", allowed: "must not contain INTO" },
  { id: "canary-reads-a-file", env: "ops", edits: [{ set: "backupJob.verify.canary.query", value: "SELECT LOAD_FILE('/etc/shadow') FROM users LIMIT 1" }], field: "backupJob.verify.canary.query", allowed: "must not call LOAD_FILE\\(\\)" },
  { id: "canary-sleeps", env: "ops", edits: [{ set: "backupJob.verify.canary.query", value: "SELECT SLEEP(86400) FROM repositories LIMIT 1" }], field: "backupJob.verify.canary.query", allowed: "must not call SLEEP\\(\\)" },
  { id: "canary-locks-rows", env: "pre", edits: [{ set: "backupJob.verify.canary.query", value: "SELECT name FROM repositories WHERE name = 'gitlab-ce' FOR UPDATE" }], field: "backupJob.verify.canary.query", allowed: "must not lock rows" },
  { id: "canary-second-statement-on-next-line", env: "ops", edits: [{ set: "backupJob.verify.canary.query", value: "SELECT name FROM repositories\nDROP TABLE users" }], field: "backupJob.verify.canary.query", allowed: "control character U\\+000A" },
  { id: "canary-common-table-expression", env: "ops", edits: [{ set: "backupJob.verify.canary.query", value: "WITH r AS (SELECT name FROM repositories) SELECT name FROM r" }], field: "backupJob.verify.canary.query", allowed: "must be a SELECT statement" },
];

/**
 * Legitimate input that was refused (issue 23 §3): each must load, and with `synth` synthesize every stack; `check`
 * looks at the loaded environments.
 */
export interface GoodConfig {
  readonly id: string;
  readonly env: "pre" | "ops";
  readonly edits: readonly Edit[];
  readonly synth?: boolean;
  readonly check?: (loaded: Record<"pre" | "ops", any>) => void;
}

export const GOOD_CONFIGS: readonly GoodConfig[] = [
  { id: "two-emails-one-sanitized-id", env: "ops", synth: true, edits: [{ set: "monitoring.notifications.emails", value: ["alerts.ops@gitlab.com", "alerts-ops@gitlab.com"] }] },
  { id: "two-emails-one-terraform-name", env: "pre", synth: true, edits: [{ set: "monitoring.notifications.emails", value: ["opsAlerts@gitlab.com", "ops-alerts@gitlab.com"] }] },
  { id: "two-networks-one-slug", env: "pre", synth: true, edits: [{ set: "network.prometheusCidrs", value: ["2a00:1450::a/128", "2a00:1450:a::/128"] }] },
  { id: "image-with-tag-and-digest", env: "ops", edits: [{ set: "backupJob.kubernetes.images.scratchMysql", value: `docker.io/library/mysql:8.0.39@sha256:${"0a".repeat(32)}` }] },
  { id: "registry-port-tag-and-digest", env: "pre", edits: [{ set: "backupJob.kubernetes.images.backup", value: `registry.example.com:5000/gl-infra/backup:v1.2.3-rc.1@sha256:${"1b".repeat(32)}` }] },
  { id: "packagecloud-version-with-epoch-and-revision", env: "ops", edits: [{ set: "vm.packagecloudApt.version", value: "1:2.0.5-1~jammy1" }] },
  { id: "lock-shorter-than-the-repository-s", env: "pre", synth: true, edits: [{ set: "storage.offsiteBackups.objectLock.days", value: 1 }, { set: "storage.offsiteBackups.expireAfterDays", value: 1 }] },
  // Issue 29 §4: what the new checks must not refuse.
  { id: "runbook-with-plain-query", env: "ops", edits: [{ set: "monitoring.runbookUrl", value: "https://runbooks.gitlab.net/packagecloud/backups?view=restore#first-backup" }] },
  { id: "same-account-name-in-another-namespace", env: "pre", edits: [{ set: "backupJob.kubernetes.namespace", value: "packagecloud-backup" }, { set: "backupJob.kubernetes.backupServiceAccount", value: "packagecloud" }] },
  { id: "setup-region-not-us-east-1", env: "pre", check: (loaded) => expect(loaded.pre.application.cdnSetup.region).toBe("eu-west-1"), edits: [{ set: "application.cdnSetup.region", value: "eu-west-1" }] },
  { id: "key-alias-with-a-path", env: "ops", edits: [{ set: "application.cdnSetup.keyAlias", value: "packagecloud/cloudfront-auth" }] },
  { id: "canary-with-join-and-string-holding-a-keyword", env: "ops", edits: [{ set: "backupJob.verify.canary.query", value: "SELECT r.name FROM repositories r JOIN users u ON u.id = r.user_id WHERE r.name = 'gitlab-ce' LIMIT 1" }] },
  { id: "az-id-of-own-region-other-zone", env: "ops", edits: [{ set: "vm.availabilityZoneId", value: "usw1-az3" }] },
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
