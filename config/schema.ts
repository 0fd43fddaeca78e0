/**
 * The shape of an environment's configuration, and the checks it must pass before any stack is built.
 *
 * Every message names the field, says what is allowed, and the loader adds the environment and the value,
 * so `cdktf synth` fails with a sentence an operator can act on.
 */
import { z } from "zod";
import { backupJobSchema, maintenanceConflicts } from "./backup-job-schema";
import { existingObjectsSchema } from "./existing-objects";
import { checkKeyAliasName, checkSetupRegion } from "./places";
import { checkUrlSecrets } from "./url-secrets";
import { cloudSqlWindow, gkeWindows, GKE_MIN_HOURS_PER_32_DAYS, GKE_MIN_WINDOW_HOURS, parseRecurrence, worst32DayHours } from "./maintenance-window";
import { AWS_REGIONS, checkBucketName, checkCidr, cidrsOverlap, isPrivateRange, isWorldOpen, parseCidr, unroutableKind } from "./validators";

export const ENV_NAMES = ["pre", "ops"] as const;
export type EnvName = (typeof ENV_NAMES)[number];

export const TIERS = ["production", "non-production"] as const;
export type Tier = (typeof TIERS)[number];

export const PLATFORM_VARIANTS = ["vm", "gke"] as const;
export type PlatformVariant = (typeof PLATFORM_VARIANTS)[number];

export const OBJECT_LOCK_MODES = ["COMPLIANCE", "GOVERNANCE"] as const;

/**
 * Who receives an SNS https subscription: `pagerduty` confirms the subscription by itself; `webhook` (anything
 * else) does not, so Terraform must not wait for it (aws_sns_topic_subscription endpoint_auto_confirms).
 */
export const HTTPS_RECEIVERS = ["pagerduty", "webhook"] as const;
export type HttpsReceiver = (typeof HTTPS_RECEIVERS)[number];
export type ObjectLockMode = (typeof OBJECT_LOCK_MODES)[number];

const region = z.enum(AWS_REGIONS, {
  errorMap: () => ({ message: `must be an AWS region this project deploys to (${AWS_REGIONS.join(", ")})` }),
});

/** A zod refinement from a check that returns undefined or the sentence saying what is allowed. */
const refineWith = (check: (value: string) => string | undefined) => (value: string, ctx: z.RefinementCtx) => {
  const problem = check(value);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
};

const bucketName = z.string().superRefine((name, ctx) => {
  const problem = checkBucketName(name);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});

const days = (what: string, max = 36500) =>
  z.number().int(`${what} must be a whole number of days`).min(1, `${what} must be at least 1 day`).max(max, `${what} must be at most ${max} days`);

const cidrList = (what: string, allowWorld: boolean) =>
  z
    .array(
      z.string().superRefine((cidr, ctx) => {
        const problem = checkCidr(cidr);
        if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
        else if (!allowWorld && isWorldOpen(cidr)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${what} must not be open to the whole internet; list the specific networks` });
        }
      }),
    )
    .min(1, `${what} must list at least one CIDR block`);

/** An S3 key prefix: relative, ending in '/', so prefix filters cannot match `backups-old/` by accident. */
const keyPrefix = z
  .string()
  .regex(/^[a-zA-Z0-9!_.*'()-]+(\/[a-zA-Z0-9!_.*'()-]+)*\/$/, "must be a relative key prefix ending in '/', such as 'backups/'");

/** IAM names: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html */
const iamName = (max: number) => z.string().regex(new RegExp(`^[\\w+=,.@-]{1,${max}}$`), `must be 1-${max} characters of letters, digits and +=,.@_-`);

const awsSchema = z
  .object({
    /** The account every AWS provider of this environment is pinned to (`allowed_account_ids`). */
    accountId: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id"),
    /** Where the packages live (seed 000: us-west-1). */
    region,
    /** Where the package bucket replicates to (seed 001: eu-central-1). */
    replicaRegion: region,
  })
  .strict();

const storageSchema = z
  .object({
    packages: z
      .object({
        bucketName,
        replicaBucketName: bucketName,
        /** How long an overwritten or deleted package version stays recoverable. */
        noncurrentVersionDays: days("noncurrentVersionDays"),
        /**
         * Which bucket the application serves from. `replica` is the disaster-recovery switch for the loss of
         * aws.region: the application's rights move to the replica bucket (docs/disaster-recovery.md).
         */
        serveFrom: z.enum(["source", "replica"], { errorMap: () => ({ message: "must be source or replica" }) }),
      })
      .strict(),
    offsiteBackups: z
      .object({
        bucketName,
        prefix: keyPrefix,
        objectLock: z
          .object({
            mode: z.enum(OBJECT_LOCK_MODES, {
              errorMap: () => ({ message: `must be one of ${OBJECT_LOCK_MODES.join(", ")}` }),
            }),
            days: days("objectLock.days"),
          })
          .strict(),
        /** Backups are expired by lifecycle after this many days; must not be shorter than the lock. */
        expireAfterDays: days("expireAfterDays"),
      })
      .strict(),
    dailyBackups: z
      .object({
        bucketName,
        prefix: keyPrefix,
        /** Seed 000: daily backups are kept 14 days. */
        expireAfterDays: days("expireAfterDays"),
      })
      .strict(),
    accessLogs: z
      .object({
        /** Server access logs of the buckets in the primary region. */
        bucketName,
        /** Server access logs of the replica bucket (S3 only logs to a bucket in the same region). */
        replicaBucketName: bucketName,
        expireAfterDays: days("expireAfterDays"),
      })
      .strict(),
  })
  .strict();

const applicationSchema = z
  .object({
    /** Name of the IAM role the application creates for its Lambda@Edge functions; the only role it may pass. */
    edgeLambdaRoleName: iamName(64),
    /** Every Lambda@Edge function the application creates starts with this prefix. */
    edgeFunctionPrefix: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/, "must be 1-40 characters of letters, digits, '-' and '_'"),
    /**
     * What packagecloud's CloudFront setup creates in KMS, as recorded from CloudTrail of its first run in pre
     * (docs/storage.md, "Recording the CloudFront setup"): the region it creates its key in, and the alias it gives
     * it. The application's KMS rights reach only keys in that region carrying that alias (kms:ResourceAliases).
     */
    cdnSetup: z
      .object({
        region: z.string().superRefine(refineWith(checkSetupRegion)),
        keyAlias: z.string().superRefine(refineWith(checkKeyAliasName)),
      })
      .strict(),
  })
  .strict();

const networkSchema = z
  .object({
    /**
     * Networks allowed to reach SSH on the VM. Never the whole internet. Empty (the default): no port 22 at all;
     * administrators use AWS Systems Manager Session Manager.
     */
    adminCidrs: z.array(cidrList("adminCidrs", false).element).default([]),
    /** The Prometheus servers' networks: the only sources allowed to scrape the exporters. */
    prometheusCidrs: cidrList("prometheusCidrs", false),
  })
  .strict();

const awsId = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`), `must be an AWS id of the form ${prefix}-xxxxxxxx or ${prefix}-xxxxxxxxxxxxxxxxx`);

const httpsUrl = z
  .string()
  .url("must be a URL")
  .refine((u) => u.startsWith("https://"), "must be an https:// URL")
  // Credentials in a URL end up in EC2 user data and Terraform state, both readable by far more people
  // (config/url-secrets.ts: user info, credential-like query parameters, token-like path segments).
  .superRefine(refineWith(checkUrlSecrets));

/** The network the VM runs in: one the account already has, or a minimal one of its own (for a rebuild). */
const vmNetworkSchema = z.discriminatedUnion(
  "mode",
  [
    z.object({ mode: z.literal("existing"), vpcId: awsId("vpc"), subnetId: awsId("subnet") }).strict(),
    z
      .object({
        mode: z.literal("managed"),
        vpcCidr: z.string().superRefine((cidr, ctx) => {
          const problem = checkCidr(cidr);
          if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
          else if (parseCidr(cidr)!.family !== 4) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be an IPv4 CIDR block (AWS VPCs start from IPv4)" });
          else if (parseCidr(cidr)!.prefix < 16 || parseCidr(cidr)!.prefix > 28) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must have a prefix from /16 to /28 (the sizes AWS allows)" });
        }),
        subnetCidr: z.string().superRefine((cidr, ctx) => {
          const problem = checkCidr(cidr);
          if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
        }),
      })
      .strict(),
  ],
  { errorMap: (issue, ctx) => (issue.code === z.ZodIssueCode.invalid_union_discriminator ? { message: "must be one of existing, managed" } : { message: ctx.defaultError }) },
);

const vmSchema = z
  .object({
    /** Seed 000: c4.2xlarge. */
    instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type such as c4.2xlarge"),
    /** Pinned per environment: no "latest" lookups, so a rebuild gets the image that was reviewed. */
    amiId: awsId("ami"),
    /** The instance and its data volume live here; it must be in aws.region. */
    availabilityZone: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, "must be an availability zone such as us-west-1b"),
    /**
     * The physical zone the VM must be in: zone names map to different zones in each account, ids do not
     * (`aws ec2 describe-availability-zones` prints both). Plan fails unless availabilityZone is this zone here.
     */
    availabilityZoneId: z.string().regex(/^[a-z]{2,4}\d-az\d+$/, "must be an availability zone id such as usw1-az1"),
    /** Seed 000: 8 GB gp2 root. */
    rootVolumeGiB: z.number().int("rootVolumeGiB must be whole GiB").min(8, "rootVolumeGiB must be at least 8").max(1024, "rootVolumeGiB must be at most 1024"),
    /** Seed 000: 2 TB gp2 data disk. gp2 volumes hold at most 16 TiB. */
    dataVolumeGiB: z.number().int("dataVolumeGiB must be whole GiB").min(1, "dataVolumeGiB must be at least 1").max(16384, "dataVolumeGiB must be at most 16384 (the gp2 limit)"),
    /** The DR restore path: create the data volume from this snapshot instead of blank. */
    dataVolumeSnapshotId: awsId("snap").optional(),
    /** Refuse `TerminateInstances` until it is switched off (disable_api_termination). */
    terminationProtection: z.boolean(),
    network: vmNetworkSchema,
    /** Where packagecloud:enterprise's Debian packages come from (seed 000: the computology apt repository). */
    packagecloudApt: z
      .object({
        url: httpsUrl,
        distribution: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, "must be a Debian/Ubuntu distribution name such as jammy"),
        component: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "must be an apt component such as main"),
        signingKeyUrl: httpsUrl,
        /**
         * The packagecloud package version the VM installs and holds (`apt-get install packagecloud=<version>`,
         * `apt-mark hold`): a rebuild or a disaster recovery installs the version the data was written by, never
         * the newest. Upgrading is changing this value (docs/vm.md, "packagecloud's version").
         */
        version: z
          .string()
          .regex(
            /^(?:\d+:)?\d[A-Za-z0-9.+~]*(?:-[A-Za-z0-9.+~]+)*$/,
            "must be one exact Debian package version such as 2.0.5 or 2.0.5-1 (deb-version(7): a digit first, then letters, digits and . + ~ -), no wildcard: the VM installs exactly this version and holds it",
          ),
      })
      .strict(),
    /** Daily snapshots of the data disk with AWS Backup, copied to aws.replicaRegion. */
    snapshots: z
      .object({
        /** UTC hour the daily backup window opens. */
        startHourUtc: z.number().int().min(0, "startHourUtc must be 0-23").max(23, "startHourUtc must be 0-23"),
        /** Seed 000: keep 14. */
        retainDays: days("retainDays"),
        /**
         * Vault Lock: recovery points cannot be deleted before minRetentionDays (nor kept past maxRetentionDays).
         * With changeableForDays the lock becomes immutable (compliance mode) after that many days; without it the
         * lock can be removed by an administrator (governance mode).
         */
        vaultLock: z
          .object({
            minRetentionDays: days("vaultLock.minRetentionDays"),
            maxRetentionDays: days("vaultLock.maxRetentionDays"),
            changeableForDays: z.number().int().min(3, "vaultLock.changeableForDays must be at least 3 (the AWS minimum)").optional(),
          })
          .strict(),
      })
      .strict(),
  })
  .strict();

const gcpRegion = z.string().regex(/^[a-z]+-[a-z]+\d$/, "must be a Google Cloud region such as us-east1");
const ipv4Cidr = (what: string, minPrefix: number, maxPrefix: number) =>
  z.string().superRefine((cidr, ctx) => {
    const problem = checkCidr(cidr);
    const parsed = parseCidr(cidr);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    else if (parsed!.family !== 4) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${what} must be an IPv4 CIDR block` });
    else if (parsed!.prefix < minPrefix || parsed!.prefix > maxPrefix) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${what} must have a prefix from /${minPrefix} to /${maxPrefix}` });
    }
  });

/** GKE node pools: one per workload class, sized per environment. */
const nodePoolSchema = z
  .object({
    machineType: z.string().regex(/^[a-z0-9]+-[a-z0-9-]+$/, "must be a Compute Engine machine type such as n2-standard-4"),
    minNodes: z.number().int().min(0, "minNodes must be at least 0"),
    maxNodes: z.number().int().min(1, "maxNodes must be at least 1").max(100, "maxNodes must be at most 100"),
    diskGb: z.number().int().min(20, "diskGb must be at least 20").max(1000, "diskGb must be at most 1000"),
  })
  .strict()
  .refine((p) => p.minNodes <= p.maxNodes, { message: "minNodes must not exceed maxNodes", path: ["minNodes"] });

const gkeLocation = z.string().regex(/^[a-z]+-[a-z]+\d(-[a-z])?$/, "must be a Google Cloud region or zone");

/** Node counts are totals across the cluster's zones, whatever the location (per-zone counts are derived). */
const nodePoolsSchema = z
  .object({
    /** web (nginx + unicorn) and rainbows (uploads): latency-sensitive serving. */
    serving: nodePoolSchema,
    /** resque (indexing) and toolbox (ad-hoc): background work that must not starve serving. */
    background: nodePoolSchema,
  })
  .strict()
  // With 0 the autoscaler may remove every serving node when traffic is low, and packages.gitlab.com answers
  // nothing until it scales up again (issue 22 item 8).
  .refine((p) => p.serving.minNodes >= 1, { message: "must be at least 1: the serving pool is all web and rainbows run on (set serving.minNodes to 1 or more)", path: ["serving", "minNodes"] });

const gcpSchema = z
  .object({
    /** Seed 001: most components run in GCP/GKE; only S3 and CloudFront stay in AWS. */
    project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be a Google Cloud project id (6-30 lowercase letters, digits, hyphens)"),
    region: gcpRegion,
    network: z
      .object({
        subnetCidr: ipv4Cidr("subnetCidr", 8, 29),
        podsCidr: ipv4Cidr("podsCidr", 8, 24),
        servicesCidr: ipv4Cidr("servicesCidr", 8, 27),
        /** The GKE control plane's private range: exactly a /28. */
        masterCidr: ipv4Cidr("masterCidr", 28, 28),
        /** Private service access (Cloud SQL, Memorystore): reserved for Google's peered network. */
        privateServiceCidr: ipv4Cidr("privateServiceCidr", 8, 24),
      })
      .strict(),
    /**
     * Where packagecloud's pods run (issue 11, item 11): a cluster of its own, named packagecloud-<env>-gke so it
     * cannot collide with the shared pre-gitlab-gke/ops-gitlab-gke (seed 001), or an existing cluster the stack
     * only reads and adds its node pools to.
     */
    cluster: z.discriminatedUnion(
      "mode",
      [
        z
          .object({
            mode: z.literal("dedicated"),
            /** A region (regional cluster: control plane in three zones) or a zone. */
            location: gkeLocation,
            releaseChannel: z.enum(["RAPID", "REGULAR", "STABLE"], { errorMap: () => ({ message: "must be one of RAPID, REGULAR, STABLE" }) }),
            /**
             * How CI and operators reach the control plane. "dns-endpoint": GKE's DNS-based endpoint, every request
             * authorized by IAM (container.clusters.connect) before it reaches the API server, from anywhere;
             * "authorized-networks": the IP endpoint from masterAuthorizedNetworks, which must then hold a range
             * with a route to it (a public egress range: private ranges have no route into this new network).
             */
            controlPlaneAccess: z.enum(["dns-endpoint", "authorized-networks"], { errorMap: () => ({ message: "must be dns-endpoint or authorized-networks" }) }),
            masterAuthorizedNetworks: z
              .array(
                z
                  .object({
                    name: z.string().min(1, "name must not be empty"),
                    cidr: z.string(),
                    /** The named opt-out for a public range (config/guardrails.ts refuses public ranges without it). */
                    allowPublicRange: z.literal(true, { errorMap: () => ({ message: "must be true or left out" }) }).optional(),
                  })
                  .strict(),
              )
              .min(1, "masterAuthorizedNetworks must list at least one network: the control plane is never open to the internet"),
            /** RFC 5545 recurrence of the maintenance window (FREQ=DAILY, or FREQ=WEEKLY;BYDAY=...), UTC. */
            maintenanceRecurrence: z.string().superRefine((rule, ctx) => {
              const parsed = parseRecurrence(rule);
              if (typeof parsed === "string") ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed });
            }),
            /** Window start, UTC, as HH:MM. */
            maintenanceStartUtc: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (UTC)"),
            /** Window length in whole hours; a window across midnight ends on the next day. */
            maintenanceHours: z
              .number()
              .int("maintenanceHours must be a whole number of hours")
              .min(GKE_MIN_WINDOW_HOURS, `maintenanceHours must be at least ${GKE_MIN_WINDOW_HOURS}: GKE counts only windows of at least ${GKE_MIN_WINDOW_HOURS} hours`)
              .max(24, "maintenanceHours must be at most 24"),
            nodePools: nodePoolsSchema,
          })
          .strict(),
        z
          .object({
            mode: z.literal("existing"),
            /** Seed 001: pre-gitlab-gke, ops-gitlab-gke. Read, never managed: its owners keep its settings. */
            name: z.string().regex(/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/, "must be 1-40 lowercase letters, digits and hyphens, starting with a letter"),
            location: gkeLocation,
            nodePools: nodePoolsSchema,
          })
          .strict(),
      ],
      { errorMap: (issue, ctx) => ({ message: issue.code === "invalid_union_discriminator" ? "mode must be dedicated or existing" : ctx.defaultError }) },
    ),
    /** The application's Kubernetes service account, bound to its Google service account. */
    workload: z
      .object({
        namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a Kubernetes namespace name"),
        serviceAccount: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a Kubernetes service account name"),
      })
      .strict(),
    sql: z
      .object({
        tier: z.string().regex(/^db-(custom-\d+-\d+|n1-[a-z]+-\d+|g1-small|f1-micro)$/, "must be a Cloud SQL machine tier such as db-custom-4-16384"),
        availability: z.enum(["REGIONAL", "ZONAL"], { errorMap: () => ({ message: "must be REGIONAL or ZONAL" }) }),
        /**
         * The size a new instance starts with. Autoresize grows a running instance's disk by itself, and the stack
         * ignores later changes here (the provider's docs: disk_size "will override the resizing from
         * disk_autoresize ... set lifecycle.ignore_changes"; a value below the grown size would plan a replacement,
         * ForceNewIfChange on shrinkage): raising it on a running instance plans nothing (test/corpus/routine-edits.ts).
         */
        diskGb: z.number().int().min(10, "diskGb must be at least 10").max(65536, "diskGb must be at most 65536"),
        /** Seed 001: daily automated backups, 30 kept. */
        retainedBackups: z.number().int().min(1, "retainedBackups must be at least 1").max(365, "retainedBackups must be at most 365"),
        /** Binary logs for point-in-time recovery: 1-7 days (Enterprise edition), fewer than retainedBackups. */
        transactionLogRetentionDays: z.number().int().min(1, "transactionLogRetentionDays must be 1-7").max(7, "transactionLogRetentionDays must be 1-7"),
        backupStartUtc: z.string().regex(/^([01]\d|2[0-3]):00$/, "must be a whole hour HH:00 (UTC)"),
        /** 1 = Monday … 7 = Sunday. */
        maintenanceDay: z.number().int().min(1, "maintenanceDay must be 1 (Monday) to 7 (Sunday)").max(7, "maintenanceDay must be 1 (Monday) to 7 (Sunday)"),
        maintenanceHourUtc: z.number().int().min(0, "maintenanceHourUtc must be 0-23").max(23, "maintenanceHourUtc must be 0-23"),
        /**
         * Which instance of the environment this is: 1 is `packagecloud-<env>-mysql`, n > 1 `packagecloud-<env>-mysql-<n>`.
         * Bump it to rebuild a lost instance in the same project: "after a name is used, it cannot be reused for up
         * to one week" (google v6.50.0, services/sql/resource_sql_database_instance.go:866-871, where `name` is
         * ForceNew), so the rebuild needs a new one (docs/disaster-recovery.md, "Cloud SQL rebuilt in the same
         * project"). On an instance that still exists a bump plans a replacement, which prevent_destroy refuses.
         * @default - 1: the name every deployed instance has, so nothing is replaced
         */
        instanceGeneration: z
          .number()
          .int("instanceGeneration must be a whole number")
          .min(1, "instanceGeneration must be at least 1 (1 is packagecloud-<env>-mysql)")
          .max(99, "instanceGeneration must be at most 99")
          .default(1),
      })
      .strict(),
    /**
     * How often Cloud KMS rotates each customer key (Cloud SQL, Redis, GKE secrets): a new key version, the old ones
     * kept for decryption. The provider takes at least one day (google v6.50.0, services/kms/kms_utils.go:138, validateKmsCryptoKeyRotationPeriod).
     * @default - 90 days
     */
    kmsRotationDays: z.number().int("kmsRotationDays must be whole days").min(1, "kmsRotationDays must be at least 1 (Cloud KMS's minimum is a day)").max(36500, "kmsRotationDays must be at most 36500").default(90),
    redis: z
      .object({
        tier: z.enum(["STANDARD_HA", "BASIC"], { errorMap: () => ({ message: "must be STANDARD_HA or BASIC" }) }),
        memoryGb: z.number().int().min(1, "memoryGb must be at least 1").max(300, "memoryGb must be at most 300"),
        version: z.enum(["REDIS_6_X", "REDIS_7_0", "REDIS_7_2"], { errorMap: () => ({ message: "must be REDIS_6_X, REDIS_7_0 or REDIS_7_2" }) }),
      })
      .strict(),
  })
  .strict();

const dnsName = z.string().regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a lowercase DNS name without a trailing dot, such as packages.gitlab.com");

/** Where the service's public name lives: Cloudflare (ops) or an existing Cloud DNS zone (pre). */
const dnsSchema = z.discriminatedUnion(
  "provider",
  [
    z
      .object({
        provider: z.literal("cloudflare"),
        zoneId: z.string().regex(/^[0-9a-f]{32}$/, "must be a Cloudflare zone id (32 hex characters)"),
        zoneName: dnsName,
        recordName: dnsName,
        proxied: z.boolean(),
        /** Seconds; 1 means automatic and is the only value Cloudflare accepts for proxied records. */
        ttl: z.number().int(),
      })
      .strict(),
    z
      .object({
        provider: z.literal("cloud-dns"),
        /** The existing managed zone's resource name. */
        managedZone: z.string().regex(/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a Cloud DNS managed zone name"),
        zoneName: dnsName,
        recordName: dnsName,
        ttl: z.number().int(),
      })
      .strict(),
  ],
  { errorMap: (issue, ctx) => (issue.code === z.ZodIssueCode.invalid_union_discriminator ? { message: "must be one of cloudflare, cloud-dns" } : { message: ctx.defaultError }) },
);

/** A first backup's due date (YYYY-MM-DD, UTC): after it an absent backup pages whatever firstBackupPending says. */
const firstBackupDueBy = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD (UTC)")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "must be a calendar date YYYY-MM-DD (UTC)")
  .optional();

/** firstBackupDueBy is required while firstBackupPending is true, so that the pending state ends by itself. */
function dueWhilePending(value: { firstBackupPending: boolean; firstBackupDueBy?: string }, ctx: z.RefinementCtx): void {
  if (value.firstBackupPending && value.firstBackupDueBy === undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["firstBackupDueBy"],
      message:
        "is required while firstBackupPending is true: the date (YYYY-MM-DD, UTC) by which the first backup must have landed, after which an absent backup pages even if nobody set firstBackupPending to false",
    });
  }
}

const backupThresholds = z
  .object({
    /**
     * Alert when no new backup arrived for this many hours (also when there is no data at all). Whole hours,
     * at most 168: CloudWatch evaluates at most 7 days of hourly periods.
     */
    maxAgeHours: z.number().int("maxAgeHours must be whole hours").min(1, "maxAgeHours must be at least 1").max(168, "maxAgeHours must be at most 168 (CloudWatch's 7-day evaluation limit)"),
    /** Alert when the newest backup is smaller than this. */
    minSizeBytes: z.number().int().min(0, "minSizeBytes must be at least 0"),
    /**
     * True from the first deploy until the first backup has landed in the bucket: the CloudWatch alarms exist (their
     * state is visible) but notify nobody, because "no backup for N hours" is true of a bucket no backup has reached
     * yet. Set it to false, and deploy, as soon as the first backup is listed (`aws s3 ls s3://<bucket>/<prefix>`).
     */
    firstBackupPending: z.boolean({ errorMap: () => ({ message: "must be true (no backup has landed yet) or false" }) }),
    /**
     * The date (UTC, YYYY-MM-DD) by which the first backup must have landed; required while firstBackupPending is
     * true, so that the pending state ends by itself. The Prometheus rules treat an absent metric as "first backup
     * pending" (a ticket) only while it was never reported and this date has not passed: the first reported backup
     * ends the pending state at once, and from this date on an absence pages whatever the flag says
     * (monitoring/prometheus-rules.ts).
     */
    firstBackupDueBy: firstBackupDueBy,
  })
  .strict()
  .superRefine(dueWhilePending);

const monitoringSchema = z
  .object({
    /** Where the alerts' runbook lives; every alert links to it. */
    runbookUrl: httpsUrl,
    offsiteBackups: backupThresholds,
    dailyBackups: backupThresholds,
    /** Cloud SQL's automated backups (GKE variant): alert when none succeeded in this many hours. */
    cloudSqlBackups: z
      .object({
        maxAgeHours: z.number().int().min(25, "maxAgeHours must be at least 25 (backups are daily)").max(168, "maxAgeHours must be at most 168"),
        /**
         * As the CloudWatch alarms' (monitoring.offsiteBackups.firstBackupPending): true from the first deploy until
         * the instance's first automated backup succeeded; the "no successful backup" policy exists but notifies
         * nobody (absent_over_time is true of an instance no backup has run on yet). Set false once
         * `gcloud sql backups list --instance <name>` lists a SUCCESSFUL backup, and deploy.
         */
        firstBackupPending: z.boolean({ errorMap: () => ({ message: "must be true (no automated backup has succeeded yet) or false" }) }),
        /**
         * As monitoring.offsiteBackups.firstBackupDueBy: the date (YYYY-MM-DD, UTC) from which the policy notifies even
         * if nobody set firstBackupPending to false (the first plan on or after it turns its channels on; the drift
         * job reports that change until it is deployed). Required while firstBackupPending is true.
         */
        firstBackupDueBy: firstBackupDueBy,
      })
      .strict()
      .superRefine(dueWhilePending),
    replication: z
      .object({ maxLatencySeconds: z.number().int().min(60, "maxLatencySeconds must be at least 60").max(86400, "maxLatencySeconds must be at most 86400") })
      .strict(),
    notifications: z
      .object({
        /** E-mail recipients (seed 002: e-mail alone went nowhere; it is never the only channel). */
        emails: z.array(z.string().regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/, "must be an e-mail address")),
        /**
         * HTTPS endpoints, each held in a Terraform variable (a PagerDuty CloudWatch integration URL carries its
         * key): set as TF_VAR_<variable> at deploy time, so no secret is in code or config. `receiver` says who
         * answers SNS's subscription confirmation: PagerDuty confirms by itself, a generic webhook does not (and
         * Terraform would wait for a confirmation that never comes if told it would).
         */
        httpsEndpoints: z
          .array(
            z
              .object({
                variable: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "must be a Terraform variable name (lowercase letters, digits, _)"),
                receiver: z.enum(HTTPS_RECEIVERS, { errorMap: () => ({ message: `must be one of ${HTTPS_RECEIVERS.join(", ")}` }) }),
              })
              .strict(),
          )
          .min(1, "httpsEndpoints must name at least one paging endpoint: e-mail alone is not an alerting channel (seed 002)")
          .superRefine((endpoints, ctx) => {
            endpoints.forEach((e, i) => {
              if (endpoints.findIndex((other) => other.variable === e.variable) < i) {
                ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, "variable"], message: `"${e.variable}" is used twice: one Terraform variable per endpoint` });
              }
            });
          }),
        /** Existing Cloud Monitoring notification channels (created outside: they hold credentials). */
        gcpChannels: z
          .array(z.string().regex(/^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/notificationChannels\/\d+$/, "must be projects/<project>/notificationChannels/<id>"))
          .min(1, "gcpChannels must list at least one channel"),
      })
      .strict(),
  })
  .strict();

const stateSchema = z
  .object({
    /** S3 bucket holding Terraform state; created outside this project (it must exist before any stack). */
    bucket: bucketName,
    region,
    /** Keys are `<keyPrefix><env>/<stack name>.tfstate`. */
    keyPrefix: keyPrefix,
    /** GCS bucket for the state of the Google and Cloudflare stacks (prefix `<keyPrefix><env>/<stack name>`). */
    gcsBucket: z.string().regex(/^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/, "must be a GCS bucket name"),
  })
  .strict();

/** The buckets of an environment that may already exist, by their role in storage. */
export const ADOPTABLE_BUCKETS = ["packages", "replica", "offsiteBackups", "dailyBackups"] as const;
export type AdoptableBucket = (typeof ADOPTABLE_BUCKETS)[number];

/**
 * A bucket's configuration parts, each its own Terraform resource with its own import. Only parts that exist are
 * imported (importing one that does not exist fails the plan); the others are created, which for these
 * Put-style APIs overwrites nothing that is there.
 */
export const BUCKET_PARTS = ["versioning", "encryption", "publicAccessBlock", "ownershipControls", "policy", "lifecycle", "logging", "objectLock", "replication"] as const;
export type BucketPart = (typeof BUCKET_PARTS)[number];

const bucketParts = z.array(z.enum(BUCKET_PARTS, { errorMap: () => ({ message: `must be one of ${BUCKET_PARTS.join(", ")}` }) })).optional();

/**
 * What exists before this project's first apply and must be adopted (Terraform `import` blocks), not created:
 * creating an existing bucket fails (BucketAlreadyOwnedByYou), and a second Cloudflare A record would silently
 * round-robin between the old origin and the new. Once the first apply has imported them, remove the entries.
 */
const adoptSchema = z
  .object({
    /** The bucket exists; the listed parts of its configuration exist too. */
    buckets: z
      .object({ packages: bucketParts, replica: bucketParts, offsiteBackups: bucketParts, dailyBackups: bucketParts })
      .strict()
      .optional(),
    /**
     * The public DNS record exists. Cloudflare needs its record id (GET /zones/<zone>/dns_records?name=<record>):
     * the import id is <zone_id>/<record_id>. A Cloud DNS record set is identified by zone, name and type, so it
     * takes no id.
     */
    dnsRecord: z
      .object({ cloudflareRecordId: z.string().regex(/^[0-9a-f]{32}$/, "must be a Cloudflare DNS record id (32 hex characters)").optional() })
      .strict()
      .optional(),
    /**
     * Per adopted bucket: may the lifecycle expire the objects already in it? @default - "keep" for every adopted
     * bucket: its lifecycle never expires an object version (config/existing-objects.ts). Stays after the first
     * apply: it is the record of that decision, not only of the import.
     */
    existingObjects: existingObjectsSchema,
    /**
     * Why each adopted resource is known to exist (a seed, a runbook, `aws s3api head-bucket` output): importing
     * what does not exist fails the plan ("Cannot import non-existent remote object"). Required for every entry.
     */
    evidence: z
      .object({
        packages: z.string().min(10).optional(),
        replica: z.string().min(10).optional(),
        offsiteBackups: z.string().min(10).optional(),
        dailyBackups: z.string().min(10).optional(),
        dnsRecord: z.string().min(10).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type AdoptConfig = z.infer<typeof adoptSchema>;

export const environmentSchema = z
  .object({
    name: z.enum(ENV_NAMES, { errorMap: () => ({ message: `must be one of ${ENV_NAMES.join(", ")}` }) }),
    /** "production" turns on the invariants of config/catalog/production.ts, enforced at load. */
    tier: z.enum(TIERS, { errorMap: () => ({ message: `must be one of ${TIERS.join(", ")}` }) }),
    /** The platform variant the environment runs today; DNS points at it. */
    variant: z.enum(PLATFORM_VARIANTS, { errorMap: () => ({ message: `must be one of ${PLATFORM_VARIANTS.join(", ")}` }) }),
    aws: awsSchema,
    storage: storageSchema,
    application: applicationSchema,
    network: networkSchema,
    vm: vmSchema,
    gcp: gcpSchema,
    dns: dnsSchema,
    monitoring: monitoringSchema,
    state: stateSchema,
    backupJob: backupJobSchema,
    /** @default - nothing is adopted: every resource is created */
    adopt: adoptSchema.optional(),
  })
  .strict()
  .superRefine((env, ctx) => {
    checkAdoption(env, ctx);
    if (env.aws.replicaRegion === env.aws.region) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["aws", "replicaRegion"],
        message: `must differ from aws.region (${env.aws.region}): a replica in the same region does not survive the loss of that region`,
      });
    }
    const offsite = env.storage.offsiteBackups;
    if (offsite.expireAfterDays < offsite.objectLock.days) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["storage", "offsiteBackups", "expireAfterDays"],
        message: `must be at least objectLock.days (${offsite.objectLock.days}): backups cannot expire while they are still locked`,
      });
    }
    if (!env.vm.availabilityZone.startsWith(env.aws.region)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["vm", "availabilityZone"],
        message: `must be a zone of aws.region (${env.aws.region}), e.g. ${env.aws.region}b`,
      });
    }
    const net = env.vm.network;
    if (net.mode === "managed" && !checkCidr(net.vpcCidr) && !checkCidr(net.subnetCidr)) {
      const vpc = parseCidr(net.vpcCidr)!;
      const subnet = parseCidr(net.subnetCidr)!;
      if (!cidrsOverlap(net.vpcCidr, net.subnetCidr) || subnet.prefix < vpc.prefix) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["vm", "network", "subnetCidr"], message: `must lie inside vm.network.vpcCidr (${net.vpcCidr})` });
      }
    }
    if (net.mode === "managed") {
      // A managed VPC has an internet gateway and nothing else: no peering, VPN or Direct Connect route, so a
      // private source can never open a connection to the VM. Peered networks use vm.network.mode "existing".
      for (const field of ["adminCidrs", "prometheusCidrs"] as const) {
        env.network[field].forEach((cidr, i) => {
          const kind = checkCidr(cidr) ? undefined : unroutableKind(cidr);
          if (kind) {
            ctx.addIssue({
              code: z.ZodIssueCode.custom,
              path: ["network", field, i],
              message:
                `is a ${kind} range, but vm.network.mode is "managed": that VPC reaches only the internet (through its internet gateway), so nothing in this range can ever connect. ` +
                `List public addresses${field === "prometheusCidrs" ? " (the Prometheus servers' egress IPs)" : ""}, or deploy into a peered VPC with vm.network.mode "existing"`,
            });
          }
        });
      }
    }
    const snapshots = env.vm.snapshots;
    if (snapshots.vaultLock.minRetentionDays > snapshots.vaultLock.maxRetentionDays) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["vm", "snapshots", "vaultLock", "maxRetentionDays"],
        message: `must be at least vaultLock.minRetentionDays (${snapshots.vaultLock.minRetentionDays})`,
      });
    } else if (snapshots.retainDays < snapshots.vaultLock.minRetentionDays || snapshots.retainDays > snapshots.vaultLock.maxRetentionDays) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["vm", "snapshots", "retainDays"],
        message: `must lie within the vault lock's ${snapshots.vaultLock.minRetentionDays}-${snapshots.vaultLock.maxRetentionDays} days, or AWS Backup refuses the recovery points`,
      });
    }
    const dns = env.dns;
    if (!(dns.recordName === dns.zoneName || dns.recordName.endsWith(`.${dns.zoneName}`))) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["dns", "recordName"],
        message: `must fall inside dns.zoneName (${dns.zoneName}): a zone holds only names under it; name the record <label>.${dns.zoneName}, or set dns.zoneName (and its zone id) to the zone that holds ${dns.recordName}`,
      });
    }
    if (dns.provider === "cloudflare" && dns.proxied && dns.ttl !== 1) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["dns", "ttl"], message: "must be 1 (automatic) for a proxied Cloudflare record: Cloudflare rejects any other TTL" });
    } else if (dns.ttl !== 1 && (dns.ttl < 30 || dns.ttl > 86400)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["dns", "ttl"], message: "must be 30-86400 seconds (or 1 for Cloudflare's automatic TTL)" });
    }
    if (dns.provider === "cloud-dns" && dns.ttl === 1) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["dns", "ttl"], message: "must be 30-86400 seconds: Cloud DNS has no automatic TTL" });
    }
    const sql = env.gcp.sql;
    if (sql.transactionLogRetentionDays >= sql.retainedBackups) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["gcp", "sql", "transactionLogRetentionDays"],
        message: `must be fewer than sql.retainedBackups (${sql.retainedBackups}): Cloud SQL refuses to keep binary logs longer than the backups they replay onto`,
      });
    }
    const gcpNet = env.gcp.network;
    const ranges: Array<[string, string]> = [
      ["gcp.network.subnetCidr", gcpNet.subnetCidr],
      ["gcp.network.podsCidr", gcpNet.podsCidr],
      ["gcp.network.servicesCidr", gcpNet.servicesCidr],
      ["gcp.network.masterCidr", gcpNet.masterCidr],
      ["gcp.network.privateServiceCidr", gcpNet.privateServiceCidr],
    ];
    ranges.forEach(([field, cidr], i) => {
      for (const [otherField, other] of ranges.slice(0, i)) {
        if (!checkCidr(cidr) && !checkCidr(other) && cidrsOverlap(cidr, other)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: field.split("."), message: `must not overlap ${otherField} (${other})` });
        }
      }
    });
    const cluster = env.gcp.cluster;
    if (cluster.mode === "dedicated") {
      cluster.masterAuthorizedNetworks.forEach((n, i) => {
        const problem = checkCidr(n.cidr);
        const path = ["gcp", "cluster", "masterAuthorizedNetworks", i, "cidr"];
        if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: problem });
        else if (isWorldOpen(n.cidr)) ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: "must not open the GKE control plane to the whole internet" });
      });
      if (cluster.controlPlaneAccess === "authorized-networks" && cluster.masterAuthorizedNetworks.every((n) => checkCidr(n.cidr) || isPrivateRange(n.cidr))) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["gcp", "cluster", "controlPlaneAccess"],
          message:
            "leaves no way to reach the control plane: masterAuthorizedNetworks holds only private ranges, which have no route into this stack's new network; use dns-endpoint, or list the CI runners' public egress ranges",
        });
      }
      const recurrence = parseRecurrence(cluster.maintenanceRecurrence);
      if (typeof recurrence !== "string" && /^([01]\d|2[0-3]):[0-5]\d$/.test(cluster.maintenanceStartUtc) && Number.isInteger(cluster.maintenanceHours) && cluster.maintenanceHours >= GKE_MIN_WINDOW_HOURS) {
        const [h, m] = cluster.maintenanceStartUtc.split(":").map(Number);
        const hours = worst32DayHours(recurrence, h * 60 + m, cluster.maintenanceHours);
        if (hours < GKE_MIN_HOURS_PER_32_DAYS) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ["gcp", "cluster", "maintenanceRecurrence"],
            message: `allows only ${hours} h of maintenance in the worst 32-day period; GKE requires at least ${GKE_MIN_HOURS_PER_32_DAYS} h (from windows of at least ${GKE_MIN_WINDOW_HOURS} h) and refuses the cluster: add days or lengthen maintenanceHours`,
          });
        }
      }
    }
    // Issue 29 §2: the jobs' metrics reach a Pushgateway that a Prometheus scrapes. A dedicated cluster gets this
    // repository's (monitoring/pushgateway.ts); a shared cluster's is a prerequisite, named by its URL.
    const jobK8s = env.backupJob.kubernetes;
    if (cluster.mode === "existing" && jobK8s.pushgatewayUrl === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["backupJob", "kubernetes", "pushgatewayUrl"],
        message: `is required when gcp.cluster.mode is "existing": the shared cluster ${cluster.name} must already run a Pushgateway that its Prometheus scrapes (a prerequisite, docs/first-deploy.md); name its in-cluster Service URL, e.g. http://prometheus-pushgateway.monitoring.svc:9091`,
      });
    }
    if (cluster.mode === "dedicated" && jobK8s.pushgatewayUrl !== undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["backupJob", "kubernetes", "pushgatewayUrl"],
        message: 'must be left out when gcp.cluster.mode is "dedicated": this repository runs the Pushgateway in that cluster (http://prometheus-pushgateway.monitoring.svc:9091, scraped by Managed Service for Prometheus) and points the jobs at it',
      });
    }
    if (jobK8s.restoreDataDiskGiB !== undefined && jobK8s.restoreDataDiskGiB < env.gcp.sql.diskGb) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["backupJob", "kubernetes", "restoreDataDiskGiB"],
        message: `must be at least gcp.sql.diskGb (${env.gcp.sql.diskGb}): the restore verification loads the whole database into it, and the source instance's disk is the bound on that size known at synth (leave it out to use gcp.sql.diskGb)`,
      });
    }
    // The backup's dump outside the GKE and Cloud SQL maintenance windows (config/backup-job-schema.ts).
    {
      const recurrence = cluster.mode === "dedicated" ? parseRecurrence(cluster.maintenanceRecurrence) : "existing cluster";
      const gke = cluster.mode === "dedicated" && typeof recurrence !== "string" && /^([01]\d|2[0-3]):[0-5]\d$/.test(cluster.maintenanceStartUtc)
        ? { gke: gkeWindows(recurrence, Number(cluster.maintenanceStartUtc.slice(0, 2)) * 60 + Number(cluster.maintenanceStartUtc.slice(3, 5)), cluster.maintenanceHours), gkeText: `${cluster.maintenanceRecurrence} ${cluster.maintenanceStartUtc} UTC + ${cluster.maintenanceHours} h` }
        : {};
      const days = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
      for (const [field, message] of maintenanceConflicts(env.backupJob, { ...gke, cloudSql: cloudSqlWindow(env.gcp.sql.maintenanceDay, env.gcp.sql.maintenanceHourUtc), cloudSqlText: `${days[env.gcp.sql.maintenanceDay]} ${String(env.gcp.sql.maintenanceHourUtc).padStart(2, "0")}:00 UTC + 1 h` })) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: field.split("."), message });
      }
    }
    env.monitoring.notifications.gcpChannels.forEach((channel, i) => {
      if (!channel.startsWith(`projects/${env.gcp.project}/`)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["monitoring", "notifications", "gcpChannels", i], message: `must be a channel of gcp.project (${env.gcp.project})` });
      }
    });
    const buckets: Array<[string, string]> = [
      ["storage.packages.bucketName", env.storage.packages.bucketName],
      ["storage.packages.replicaBucketName", env.storage.packages.replicaBucketName],
      ["storage.offsiteBackups.bucketName", env.storage.offsiteBackups.bucketName],
      ["storage.dailyBackups.bucketName", env.storage.dailyBackups.bucketName],
      ["storage.accessLogs.bucketName", env.storage.accessLogs.bucketName],
      ["storage.accessLogs.replicaBucketName", env.storage.accessLogs.replicaBucketName],
      ["state.bucket", env.state.bucket],
    ];
    const seen = new Map<string, string>();
    for (const [field, name] of buckets) {
      const first = seen.get(name);
      if (first) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: field.split("."),
          message: `must be a bucket of its own, but ${first} uses the same name`,
        });
      } else seen.set(name, field);
    }
  });

/** What an environment file declares (before defaults). */
export type EnvironmentInput = z.input<typeof environmentSchema>;
/** A validated environment. */
export type EnvironmentConfig = z.output<typeof environmentSchema>;

/** Adoption entries must name parts these buckets have, and the id each import needs. */
function checkAdoption(env: { readonly adopt?: AdoptConfig; readonly dns: z.infer<typeof dnsSchema> }, ctx: z.RefinementCtx): void {
  const adopt = env.adopt;
  if (!adopt) return;
  const partsOf: Record<AdoptableBucket, readonly BucketPart[]> = {
    packages: BUCKET_PARTS.filter((p) => p !== "objectLock"),
    replica: BUCKET_PARTS.filter((p) => p !== "objectLock" && p !== "replication"),
    offsiteBackups: BUCKET_PARTS.filter((p) => p !== "replication"),
    dailyBackups: BUCKET_PARTS.filter((p) => p !== "objectLock" && p !== "replication"),
  };
  const evidenceFor = (what: AdoptableBucket | "dnsRecord", path: (string | number)[]) => {
    if (!adopt.evidence?.[what]) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["adopt", "evidence", what],
        message: `must name the evidence that ${path.join(".")} exists (a seed, a runbook, the output of a describe call), or drop ${path.join(".")}: importing what does not exist fails the plan ("Cannot import non-existent remote object")`,
      });
    }
  };
  for (const bucket of ADOPTABLE_BUCKETS) {
    if (adopt.buckets?.[bucket]) evidenceFor(bucket, ["adopt", "buckets", bucket]);
  }
  if (adopt.dnsRecord) evidenceFor("dnsRecord", ["adopt", "dnsRecord"]);
  for (const bucket of ADOPTABLE_BUCKETS) {
    const parts = adopt.buckets?.[bucket] ?? [];
    parts.forEach((part, i) => {
      const path = ["adopt", "buckets", bucket, i];
      if (!partsOf[bucket].includes(part)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: `must not be ${part}: the ${bucket} bucket has no ${part} in this configuration (its parts: ${partsOf[bucket].join(", ")})` });
      } else if (parts.indexOf(part) !== i) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: `lists ${part} twice` });
      }
    });
  }
  if (adopt.dnsRecord) {
    const path = ["adopt", "dnsRecord", "cloudflareRecordId"];
    if (env.dns.provider === "cloudflare" && !adopt.dnsRecord.cloudflareRecordId) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: `is required to adopt a Cloudflare record: the import id is <zone_id>/<record_id>; find it with GET /zones/${env.dns.zoneId}/dns_records?name=${env.dns.recordName}` });
    } else if (env.dns.provider === "cloud-dns" && adopt.dnsRecord.cloudflareRecordId) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: "must not be set: dns.provider is cloud-dns, whose record sets are imported by zone, name and type" });
    }
  }
}
