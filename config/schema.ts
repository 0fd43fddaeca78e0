/**
 * The shape of an environment's configuration, and the checks it must pass before any stack is built.
 *
 * Every message names the field, says what is allowed, and the loader adds the environment and the value,
 * so `cdktf synth` fails with a sentence an operator can act on.
 */
import { z } from "zod";
import { AWS_REGIONS, checkBucketName, checkCidr, cidrsOverlap, isWorldOpen, parseCidr } from "./validators";

export const ENV_NAMES = ["pre", "ops"] as const;
export type EnvName = (typeof ENV_NAMES)[number];

export const PLATFORM_VARIANTS = ["vm", "gke"] as const;
export type PlatformVariant = (typeof PLATFORM_VARIANTS)[number];

export const OBJECT_LOCK_MODES = ["COMPLIANCE", "GOVERNANCE"] as const;
export type ObjectLockMode = (typeof OBJECT_LOCK_MODES)[number];

const region = z.enum(AWS_REGIONS, {
  errorMap: () => ({ message: `must be an AWS region this project deploys to (${AWS_REGIONS.join(", ")})` }),
});

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
  })
  .strict();

const networkSchema = z
  .object({
    /** Networks allowed to reach SSH. Never the whole internet. */
    adminCidrs: cidrList("adminCidrs", false),
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
  // Credentials in a URL end up in EC2 user data and Terraform state, both readable by far more people.
  .refine((u) => !/^https:\/\/[^/]*@/.test(u), "must not contain credentials (user:token@); deliver them to the host out of band");

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

const stateSchema = z
  .object({
    /** S3 bucket holding Terraform state; created outside this project (it must exist before any stack). */
    bucket: bucketName,
    region,
    /** Keys are `<keyPrefix><stack name>.tfstate`. */
    keyPrefix: keyPrefix,
  })
  .strict();

export const environmentSchema = z
  .object({
    name: z.enum(ENV_NAMES, { errorMap: () => ({ message: `must be one of ${ENV_NAMES.join(", ")}` }) }),
    /** The platform variant the environment runs today; DNS points at it. */
    variant: z.enum(PLATFORM_VARIANTS, { errorMap: () => ({ message: `must be one of ${PLATFORM_VARIANTS.join(", ")}` }) }),
    aws: awsSchema,
    storage: storageSchema,
    application: applicationSchema,
    network: networkSchema,
    vm: vmSchema,
    state: stateSchema,
  })
  .strict()
  .superRefine((env, ctx) => {
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
