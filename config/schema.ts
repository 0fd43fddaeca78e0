/**
 * The shape of an environment's configuration, and the checks it must pass before any stack is built.
 *
 * Every message names the field, says what is allowed, and the loader adds the environment and the value,
 * so `cdktf synth` fails with a sentence an operator can act on.
 */
import { z } from "zod";
import { AWS_REGIONS, checkBucketName, checkCidr, isWorldOpen } from "./validators";

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
