/**
 * Checks that run on a schema-valid environment, and across environments: the rules that keep a configuration
 * from hurting production even when every field is well formed.
 *
 * Each check is a plain function returning problems with their field paths; the loader adds the environment and
 * the value. To add one, write the function and list it in ENVIRONMENT_CHECKS, or add a claim to `claimsOf`.
 */
import { LAYERS, gkeClusterName, resourceName, stackName, stateKey } from "./naming";
import { checkBackupJob } from "./backup-job-checks";
import { checkCidrSet, touchesPublic } from "./cidr-sets";
import { checkCanary } from "./canary-query";
import { checkExistingObjects } from "./existing-objects";
import { checkIdentities } from "./identities";
import { checkPlaces } from "./places";
import { AWS_ZONES, EC2_INSTANCE_TYPES, GCE_MACHINE_TYPES, GCP_ZONES, gcpZonesOf, notInCatalog } from "./catalog/cloud-catalog";
import { PRODUCTION_INVARIANTS } from "./catalog/production";
import type { EnvName, EnvironmentConfig } from "./schema";
import { looksSecret } from "./redact";
import { parseCidr } from "./validators";

export interface Problem {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

const at = (field: string, message: string, index?: number): Problem => ({
  path: [...field.split("."), ...(index === undefined ? [] : [index])],
  message,
});

/** Lists whose entries must be distinct: a repeated entry is a slip, and some become duplicate Terraform ids. */
const UNIQUE_LISTS: ReadonlyArray<{ field: string; items: (e: EnvironmentConfig) => readonly string[]; normalize?: (s: string) => string }> = [
  { field: "monitoring.notifications.emails", items: (e) => e.monitoring.notifications.emails, normalize: (s) => s.toLowerCase() },
  { field: "monitoring.notifications.httpsEndpoints", items: (e) => e.monitoring.notifications.httpsEndpoints.map((endpoint) => endpoint.variable) },
  { field: "backupJob.verify.tables", items: (e) => e.backupJob.verify.tables },
  { field: "backupJob.verify.nonEmptyTables", items: (e) => e.backupJob.verify.nonEmptyTables },
  { field: "monitoring.notifications.gcpChannels", items: (e) => e.monitoring.notifications.gcpChannels },
  { field: "gcp.cluster.masterAuthorizedNetworks", items: (e) => authorizedNetworks(e).map((n) => n.name) },
];

function uniqueEntries(env: EnvironmentConfig): Problem[] {
  const problems: Problem[] = [];
  for (const list of UNIQUE_LISTS) {
    const seen = new Map<string, number>();
    list.items(env).forEach((item, i) => {
      const key = list.normalize ? list.normalize(item) : item;
      const first = seen.get(key);
      if (first !== undefined) problems.push(at(list.field, `repeats entry ${first} (${JSON.stringify(list.items(env)[first])}): list each once`, i));
      else seen.set(key, i);
    });
  }
  return problems;
}

/** The control plane's authorized networks: only a dedicated cluster has them here (an existing one is read). */
function authorizedNetworks(env: EnvironmentConfig): ReadonlyArray<{ name: string; cidr: string; allowPublicRange?: true }> {
  return env.gcp.cluster.mode === "dedicated" ? env.gcp.cluster.masterAuthorizedNetworks : [];
}

/** Admin, Prometheus and control-plane ranges, each checked as a set (cidr-sets.ts). */
function cidrSets(env: EnvironmentConfig): Problem[] {
  const sets: Array<[string, readonly string[], string, string]> = [
    ["network.adminCidrs", env.network.adminCidrs, "SSH", ""],
    ["network.prometheusCidrs", env.network.prometheusCidrs, "the exporters", ""],
    ["gcp.cluster.masterAuthorizedNetworks", authorizedNetworks(env).map((n) => n.cidr), "the GKE control plane", "cidr"],
  ];
  const problems: Problem[] = [];
  for (const [field, cidrs, what, leaf] of sets) {
    for (const p of checkCidrSet(cidrs, what)) {
      problems.push({ path: [...field.split("."), ...(p.index === undefined ? [] : leaf ? [p.index, leaf] : [p.index])], message: p.message });
    }
  }
  authorizedNetworks(env).forEach((n, i) => {
    if (!n.allowPublicRange && touchesPublic(n.cidr)) {
      problems.push({
        path: ["gcp", "cluster", "masterAuthorizedNetworks", i, "cidr"],
        message:
          "is a public range: the control plane accepts only private networks (RFC 1918 and other non-public space) unless the entry says allowPublicRange: true, which a reviewer then sees",
      });
    }
  });
  return problems;
}

function production(env: EnvironmentConfig): Problem[] {
  if (env.tier !== "production") return [];
  return PRODUCTION_INVARIANTS.filter((i) => !i.holds(env)).map((i) =>
    at(i.field, `must be ${i.required} in a production environment (tier: "production"): ${i.reason}`),
  );
}

/**
 * Pod addresses GKE reserves per node: the smallest power of two holding twice the node's max pods (GKE's default
 * of 110 gives a /24). https://cloud.google.com/kubernetes-engine/docs/how-to/flexible-pod-cidr
 */
export function podAddressesPerNode(maxPodsPerNode = 110): number {
  return 2 ** Math.ceil(Math.log2(2 * maxPodsPerNode));
}

/** Freshness alarms wait for one backup interval plus this margin (the backup's own duration, its upload). */
const BACKUP_MARGIN_HOURS = 6;

/**
 * Each freshness alarm and the interval of the backups it watches. All are daily today; a schedule in config
 * (a cron for a backup job) would derive its interval here.
 */
const FRESHNESS_ALARMS: ReadonlyArray<{ field: "offsiteBackups" | "dailyBackups" | "cloudSqlBackups"; intervalHours: (env: EnvironmentConfig) => number }> = [
  { field: "offsiteBackups", intervalHours: () => 24 },
  { field: "dailyBackups", intervalHours: () => 24 },
  { field: "cloudSqlBackups", intervalHours: () => 24 },
];

/**
 * Values each cloud refuses at apply time (or that would fire every day), refused at synth instead. Sources:
 * - AWS subnets are /16 to /28: https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
 * - GKE pod ranges: a /24 per node at the default 110 max pods per node; a pool's min/max node counts are "per zone
 *   in the node pool" (google provider schema, autoscaling.max_node_count); surge upgrades add maxSurge (1) nodes,
 *   counted per zone here (the conservative reading):
 *   https://cloud.google.com/kubernetes-engine/docs/how-to/flexible-pod-cidr,
 *   https://cloud.google.com/kubernetes-engine/docs/concepts/node-pool-upgrade-strategies
 * - Cloud SQL custom tiers db-custom-<vCPU>-<MB>: 1 or an even number of vCPUs up to 96, memory a multiple of
 *   256 MB, 0.9 to 6.5 GB per vCPU, at least 3840 MB: https://cloud.google.com/sql/docs/mysql/instance-settings
 */
function cloudLimits(env: EnvironmentConfig): Problem[] {
  const problems: Problem[] = [];
  const net = env.vm.network;
  if (net.mode === "managed") {
    const subnet = parseCidr(net.subnetCidr);
    if (subnet && (subnet.family !== 4 || subnet.prefix < 16 || subnet.prefix > 28)) {
      problems.push(at("vm.network.subnetCidr", "must be an IPv4 block from /16 to /28: the subnet sizes AWS accepts"));
    }
  }

  if (gcpZonesOf(env.gcp.region).length === 0) problems.push(at("gcp.region", notInCatalog("Google Cloud regions (regions whose zones are listed)", GCP_ZONES)));
  const cluster = env.gcp.cluster;
  const regional = cluster.location === env.gcp.region;
  if (!regional && !cluster.location.startsWith(`${env.gcp.region}-`)) {
    problems.push(at("gcp.cluster.location", `must be gcp.region (${env.gcp.region}) or one of its zones: the cluster's subnet, Cloud SQL and Memorystore are in ${env.gcp.region}`));
  } else if (!regional && !GCP_ZONES.names.has(cluster.location)) {
    problems.push(at("gcp.cluster.location", notInCatalog("Google Cloud zones", GCP_ZONES)));
  }
  const zones = regional ? Math.max(gcpZonesOf(env.gcp.region).length, 3) : 1;
  const pools = Object.values(cluster.nodePools);
  const maxNodes = pools.reduce((sum, p) => sum + (p.maxNodes + 1) * zones, 0);
  const perNode = podAddressesPerNode();
  const pods = parseCidr(env.gcp.network.podsCidr);
  if (pods && pods.family === 4) {
    const capacity = 2 ** (32 - pods.prefix) / perNode;
    if (capacity < maxNodes) {
      const needed = 32 - Math.ceil(Math.log2(maxNodes * perNode));
      problems.push(
        at(
          "gcp.network.podsCidr",
          `holds ${capacity} nodes' pod ranges (a /24 each at GKE's default 110 pods per node), but the pools can reach ${maxNodes} nodes (maxNodes + 1 surge, per zone × ${zones} zone${zones > 1 ? "s" : ""}): use a /${needed} or larger`,
        ),
      );
    }
  }
  for (const [name, pool] of Object.entries(cluster.nodePools)) {
    if (!GCE_MACHINE_TYPES.names.has(pool.machineType)) problems.push(at(`gcp.cluster.nodePools.${name}.machineType`, notInCatalog("Compute Engine machine types", GCE_MACHINE_TYPES)));
  }

  const tierProblem = checkSqlTier(env.gcp.sql.tier);
  if (tierProblem) problems.push(at("gcp.sql.tier", tierProblem));

  if (!EC2_INSTANCE_TYPES.names.has(env.vm.instanceType)) problems.push(at("vm.instanceType", notInCatalog("EC2 instance types", EC2_INSTANCE_TYPES)));
  if (env.vm.availabilityZone.startsWith(env.aws.region) && !AWS_ZONES.names.has(env.vm.availabilityZone)) {
    problems.push(at("vm.availabilityZone", notInCatalog("AWS availability zones", AWS_ZONES)));
  }

  for (const alarm of FRESHNESS_ALARMS) {
    const interval = alarm.intervalHours(env);
    const minAge = interval + BACKUP_MARGIN_HOURS;
    if (env.monitoring[alarm.field].maxAgeHours < minAge) {
      problems.push(
        at(
          `monitoring.${alarm.field}.maxAgeHours`,
          `must be at least ${minAge} hours: backups arrive every ${interval} h and take time to finish, so a shorter window pages every day before each backup lands (interval + ${BACKUP_MARGIN_HOURS} h margin)`,
        ),
      );
    }
  }
  return problems;
}

/** Why a Cloud SQL tier would be refused, or undefined. */
export function checkSqlTier(tier: string): string | undefined {
  const n1 = /^db-n1-(standard|highmem)-(\d+)$/.exec(tier);
  if (n1) {
    const allowed = n1[1] === "standard" ? [1, 2, 4, 8, 16, 32, 64, 96] : [2, 4, 8, 16, 32, 64, 96];
    return allowed.includes(Number(n1[2])) ? undefined : `is not a legacy db-n1-${n1[1]} size (${allowed.join(", ")} vCPUs); prefer db-custom-<vCPUs>-<MB>`;
  }
  const custom = /^db-custom-(\d+)-(\d+)$/.exec(tier);
  if (!custom) return undefined; // Shared-core tiers are checked by the schema's pattern.
  const cpus = Number(custom[1]);
  const mb = Number(custom[2]);
  const rule = "(Cloud SQL custom tiers: 1 or an even number of vCPUs up to 96; memory a multiple of 256 MB, 0.9-6.5 GB per vCPU, at least 3840 MB)";
  if (!(cpus === 1 || (cpus % 2 === 0 && cpus >= 2 && cpus <= 96))) return `has ${cpus} vCPUs ${rule}`;
  if (mb % 256 !== 0) return `has ${mb} MB of memory, not a multiple of 256 ${rule}`;
  const perCpu = mb / 1024 / cpus;
  if (mb < 3840 || perCpu < 0.9 || perCpu > 6.5) return `has ${(perCpu).toFixed(2)} GB per vCPU (${mb} MB for ${cpus}) ${rule}`;
  return undefined;
}

/** The Cloudflare ids an environment's DNS names: its zone, and the record it adopts. */
function cloudflareIds(env: EnvironmentConfig): { zoneId?: string; recordId?: string } {
  return { zoneId: env.dns.provider === "cloudflare" ? env.dns.zoneId : undefined, recordId: env.adopt?.dnsRecord?.cloudflareRecordId };
}

/** A record id is never a zone id: the import would name the zone as its own record. */
function adoption(env: EnvironmentConfig): Problem[] {
  const { zoneId, recordId } = cloudflareIds(env);
  return recordId !== undefined && recordId === zoneId
    ? [at("adopt.dnsRecord.cloudflareRecordId", `is dns.zoneId, the zone's id: give the id of the ${env.dns.recordName} record in it (GET /zones/${zoneId}/dns_records?name=${env.dns.recordName})`)]
    : [];
}

/**
 * A Cloudflare record must be proxied: an unproxied A record publishes the origin's address and leaves it
 * without Cloudflare's protection (the policy pack's PC_DNS_RECORDS refuses the stack; said here first, as
 * the field).
 */
function publicRecord(env: EnvironmentConfig): Problem[] {
  return env.dns.provider === "cloudflare" && !env.dns.proxied
    ? [at("dns.proxied", "must be true for a Cloudflare record (with ttl 1): unproxied, the record publishes the origin's address and leaves it unprotected")]
    : [];
}

/**
 * No value that looks secret (config/redact.ts): configuration is committed to git and printed in plans. Keys
 * belong in Terraform variables (TF_VAR_…) or Kubernetes Secrets, which the configuration only names.
 */
function noSecrets(env: EnvironmentConfig): Problem[] {
  const problems: Problem[] = [];
  const walk = (value: unknown, path: Array<string | number>) => {
    if (typeof value === "string") {
      if (looksSecret(value)) {
        problems.push({ path, message: "looks like a secret (a key, token or URL carrying one): configuration is committed to git; keep it in a Terraform variable or a Kubernetes Secret and name that here" });
      }
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(env, []);
  return problems;
}

/** The checks run on every schema-valid environment, in order. */
export const ENVIRONMENT_CHECKS: ReadonlyArray<(env: EnvironmentConfig) => Problem[]> = [
  uniqueEntries, cidrSets, production, cloudLimits, checkBackupJob, adoption, (env) => checkExistingObjects(env.adopt), publicRecord, noSecrets,
  // Issue 29 §4: values that name the wrong place, identities that must stay apart, one read (each in its own file).
  checkPlaces, checkIdentities, checkCanary,
];

export function checkEnvironment(env: EnvironmentConfig): Problem[] {
  return ENVIRONMENT_CHECKS.flatMap((check) => check(env));
}

/**
 * A name an environment takes from a shared namespace: `scope` says which namespace (S3 bucket names are global,
 * IAM names are per account), so two environments claiming the same (kind, scope, value) collide.
 */
export interface Claim {
  readonly kind: string;
  readonly scope: string;
  readonly value: string;
  readonly field: string;
}

/**
 * The IAM roles, users, groups, policies and instance profiles the constructs name with resourceName(env,
 * component); test/guardrails.test.ts fails when a synthesized stack has one not listed here.
 */
const IAM_COMPONENTS = [
  "app", "app-packages", "app-cdn", "edge-boundary", "app-gke", "offsite-backup-gke", "restore-verify-gke", "offsite-backups-reader", "offsite-backups-uploader", "daily-backups-uploader", "packages-replication", "vm", "vm-data-backup",
] as const;

export function claimsOf(env: EnvironmentConfig): Claim[] {
  const s = env.storage;
  const account = `in AWS account ${env.aws.accountId}`;
  const buckets: Array<[string, string]> = [
    ["storage.packages.bucketName", s.packages.bucketName],
    ["storage.packages.replicaBucketName", s.packages.replicaBucketName],
    ["storage.offsiteBackups.bucketName", s.offsiteBackups.bucketName],
    ["storage.dailyBackups.bucketName", s.dailyBackups.bucketName],
    ["storage.accessLogs.bucketName", s.accessLogs.bucketName],
    ["storage.accessLogs.replicaBucketName", s.accessLogs.replicaBucketName],
    ["state.bucket", env.state.bucket],
  ];
  return [
    ...buckets.map(([field, value]) => ({ kind: "S3 bucket name", scope: "globally", value, field })),
    { kind: "GCS bucket name", scope: "globally", value: env.state.gcsBucket, field: "state.gcsBucket" },
    { kind: "public DNS name", scope: "globally", value: env.dns.recordName, field: "dns.recordName" },
    { kind: "Google Cloud project", scope: "globally", value: env.gcp.project, field: "gcp.project" },
    // Adopting another environment's record would import and rewrite it on this environment's first apply.
    ...(env.adopt?.dnsRecord?.cloudflareRecordId
      ? [{ kind: "adopted Cloudflare record id", scope: "across environments", value: env.adopt.dnsRecord.cloudflareRecordId, field: "adopt.dnsRecord.cloudflareRecordId" }]
      : []),
    // One key per environment: production's identity must never be needed, so never held, outside production.
    { kind: "age recipient for backups", scope: "across environments", value: env.backupJob.ageRecipient, field: "backupJob.ageRecipient" },
    {
      kind: "GKE cluster name",
      scope: "across environments",
      value: gkeClusterName(env),
      field: env.gcp.cluster.mode === "existing" ? "gcp.cluster.name" : `(derived from name: ${gkeClusterName(env)})`,
    },
    { kind: "IAM name", scope: account, value: env.application.edgeLambdaRoleName, field: "application.edgeLambdaRoleName" },
    // The storage stack creates the CloudFront setup's key under this alias; KMS alias names are unique per account
    // and region, so a second environment in the account would fail its apply (AlreadyExistsException).
    { kind: "KMS alias", scope: `in AWS account ${env.aws.accountId}, region ${env.application.cdnSetup.region}`, value: env.application.cdnSetup.keyAlias, field: "application.cdnSetup.keyAlias" },
    ...IAM_COMPONENTS.map((c) => ({ kind: "IAM name", scope: account, value: resourceName(env.name, c), field: `(derived from name: ${resourceName(env.name, c)})` })),
    ...LAYERS.map((layer) => ({
      kind: "Terraform state key",
      scope: `in state bucket ${layer === "storage" || layer === "vm" ? env.state.bucket : env.state.gcsBucket}`,
      value: stateKey(env, stackName(env.name, layer)),
      field: "state.keyPrefix",
    })),
  ];
}

export interface CrossProblem extends Problem {
  readonly environment: EnvName;
}

/** Names two environments both claim, a public name under another's, and Lambda prefixes that overlap. */
export function checkAcrossEnvironments(envs: readonly EnvironmentConfig[]): CrossProblem[] {
  const problems: CrossProblem[] = [];
  const owners = new Map<string, { env: EnvironmentConfig; claim: Claim }>();
  for (const env of envs) {
    for (const claim of safely(() => claimsOf(env), []).filter((c) => typeof c.value === "string")) {
      const key = `${claim.kind}\u0000${claim.scope}\u0000${claim.value}`;
      const owner = owners.get(key);
      if (owner && owner.env.name !== env.name) {
        // Reported on both sides: the copy may have been made in either environment.
        for (const [mine, theirs] of [[{ env, claim }, owner], [owner, { env, claim }]] as const) {
          const field = mine.claim.field.startsWith("(") ? "name" : mine.claim.field;
          problems.push({
            environment: mine.env.name,
            path: field.split("."),
            message: `${claim.kind} ${JSON.stringify(claim.value)} is also used by environment "${theirs.env.name}" (its ${theirs.claim.field}): each ${claim.kind} must be unique ${claim.scope}, give each environment its own`,
          });
        }
      } else if (!owner) owners.set(key, { env, claim });
    }
  }
  envs.forEach((env, i) => {
    for (const other of envs.slice(0, i)) safely(() => comparePair(env, other, problems), undefined);
  });
  return problems;
}

/**
 * `read()`, or `fallback` when it throws: an environment the schema refused is compared from its plain data,
 * where a value may be missing or of the wrong type (its own error already says so).
 */
function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** The checks between two environments other than shared names. */
function comparePair(env: EnvironmentConfig, other: EnvironmentConfig, problems: CrossProblem[]): void {
  // An environment's public name must not sit under another's: pre must never answer for ops's name.
  for (const [a, b] of [[env, other], [other, env]] as const) {
    if (a.dns.recordName.endsWith(`.${b.dns.recordName}`)) {
      problems.push({ environment: a.name, path: ["dns", "recordName"], message: `lies under environment "${b.name}"'s public name (${b.dns.recordName}): each environment answers only for its own name` });
    }
  }
  // A record id is never a zone id, in either direction between environments.
  for (const [a, b] of [[env, other], [other, env]] as const) {
    const recordId = cloudflareIds(a).recordId;
    if (recordId !== undefined && recordId === cloudflareIds(b).zoneId) {
      problems.push({
        environment: a.name,
        path: ["adopt", "dnsRecord", "cloudflareRecordId"],
        message: `is environment "${b.name}"'s dns.zoneId, a zone's id: give the id of this environment's ${a.dns.recordName} record`,
      });
    }
  }
  // One Cloudflare zone id is one zone: two environments may share it only under the same zone name.
  if (env.dns.provider === "cloudflare" && other.dns.provider === "cloudflare" && env.dns.zoneId === other.dns.zoneId && env.dns.zoneName !== other.dns.zoneName) {
    for (const [mine, theirs] of [[env, other], [other, env]] as const) {
      problems.push({
        environment: mine.name,
        path: ["dns", "zoneName"],
        message: `differs from environment "${theirs.name}"'s zone name (${theirs.dns.zoneName}) for the same Cloudflare zone id: one of them names the wrong zone`,
      });
    }
  }
  if (env.aws.accountId === other.aws.accountId) {
    const [p, q] = [env.application.edgeFunctionPrefix, other.application.edgeFunctionPrefix];
    if (p.startsWith(q) || q.startsWith(p)) {
      for (const [mine, theirs] of [[env, other], [other, env]] as const) {
        problems.push({
          environment: mine.name,
          path: ["application", "edgeFunctionPrefix"],
          message: `overlaps environment "${theirs.name}"'s prefix (${theirs.application.edgeFunctionPrefix}) in the shared AWS account ${env.aws.accountId}: each application could manage the other's Lambda@Edge functions`,
        });
      }
    }
  }
}
