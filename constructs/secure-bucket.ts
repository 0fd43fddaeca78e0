/**
 * An S3 bucket with the baseline every bucket of this project carries: versioning, default encryption,
 * all four public-access blocks, bucket-owner-enforced ownership (no ACLs), a TLS-only bucket policy,
 * a lifecycle configuration that cleans up noncurrent versions and incomplete multipart uploads,
 * and `prevent_destroy`. Object Lock and access logging are options.
 *
 * @example
 *   const bucket = new SecureBucket(this, "Backups", {
 *     bucketName: "gitlab-packagecloud-db-backups",
 *     encryption: BucketEncryption.kms(key),
 *     lifecycle: { noncurrentVersionDays: 7, expireAfterDays: 14 },
 *   });
 *   bucket.addToResourcePolicy({ Sid: "…", … });
 */
import { Construct } from "constructs";
import { Lazy, type TerraformProvider, type TerraformResource } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration, type S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { checkBucketName } from "../config/validators";
import type { BucketPart, ObjectLockMode } from "../config";
import type { EncryptionKey } from "./encryption-key";
import { denyInsecureTransport, policyDocument, type PolicyStatement } from "./policy-document";

/** How objects are encrypted at rest. */
export class BucketEncryption {
  /** SSE-KMS with a customer-managed key (CKV_AWS_145). The default for every data bucket. */
  static kms(key: EncryptionKey): BucketEncryption {
    return new BucketEncryption(key, undefined);
  }
  /**
   * SSE-S3. Only for what AWS cannot deliver into SSE-KMS buckets (server access logs); the reason is required
   * so that a reviewer sees it.
   */
  static s3Managed(reason: string): BucketEncryption {
    if (reason.trim().length === 0) throw new Error("BucketEncryption.s3Managed needs a reason");
    return new BucketEncryption(undefined, reason);
  }
  private constructor(readonly key: EncryptionKey | undefined, readonly s3ManagedReason: string | undefined) {}
}

/** Default Object Lock retention applied to every new object version. */
export class ObjectLockRetention {
  /** No one, not even the root user, can delete a version or shorten its retention before it lapses. */
  static compliance(days: number): ObjectLockRetention {
    return new ObjectLockRetention("COMPLIANCE", days);
  }
  /** Principals with s3:BypassGovernanceRetention can delete early; for non-production data. */
  static governance(days: number): ObjectLockRetention {
    return new ObjectLockRetention("GOVERNANCE", days);
  }
  static of(mode: ObjectLockMode, days: number): ObjectLockRetention {
    return new ObjectLockRetention(mode, days);
  }
  private constructor(readonly mode: ObjectLockMode, readonly days: number) {
    // The range S3 accepts for a default retention in days (AWS CDK checks the same).
    if (!Number.isInteger(days) || days < 1 || days > 36500) {
      throw new Error(`ObjectLockRetention: days must be a whole number from 1 to 36500 (got ${days})`);
    }
  }
}

export interface BucketLifecycleProps {
  /** Days an overwritten or deleted version is kept before it is removed. */
  readonly noncurrentVersionDays: number;
  /**
   * Days after which current objects expire (become noncurrent, then removed after `noncurrentVersionDays`).
   * @default - objects never expire
   */
  readonly expireAfterDays?: number;
  /**
   * Days after which an unfinished multipart upload is aborted (CKV_AWS_300).
   * @default - 7 days
   */
  readonly abortIncompleteMultipartDays?: number;
}

export interface SecureBucketProps {
  readonly bucketName: string;
  readonly encryption: BucketEncryption;
  readonly lifecycle: BucketLifecycleProps;
  /** @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /**
   * Enables Object Lock at creation (it cannot be enabled later without replacing the bucket) and sets the
   * default retention.
   * @default - no Object Lock
   */
  readonly objectLock?: ObjectLockRetention;
  /**
   * Where S3 writes this bucket's server access logs (CKV_AWS_18).
   * @default - no access logging; the stack must say why in the policy suppressions
   */
  readonly accessLogs?: { readonly target: SecureBucket; readonly prefix: string };
  /**
   * `exclusive`: Terraform owns the whole bucket policy and reverts any statement added outside it.
   * `shared`: Terraform writes the policy when the bucket is created and never rewrites it afterwards, so a
   * statement another system adds (packagecloud writes its CloudFront access into the package bucket's policy)
   * survives every apply. The cost: later changes to this construct's statements must be merged by hand.
   * @default - exclusive
   */
  readonly policyOwnership?: "exclusive" | "shared";
}

export class SecureBucket extends Construct {
  /** The raw bucket, as an escape hatch. */
  readonly bucket: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  readonly policy: S3BucketPolicy;
  readonly lifecycleConfiguration: S3BucketLifecycleConfiguration;
  readonly objectLockConfiguration?: S3BucketObjectLockConfigurationA;
  readonly bucketName: string;
  /** The configured name as a literal (bucketName is a Terraform reference); import ids need literals. */
  readonly configuredBucketName: string;
  readonly arn: string;
  readonly encryptionKey?: EncryptionKey;
  private readonly statements: PolicyStatement[] = [];
  private readonly logSources: string[] = [];
  /** The configuration parts, by the name adoption uses (config `adopt.buckets`). */
  private readonly parts = new Map<BucketPart, TerraformResource>();
  private readonly provider?: TerraformProvider;
  private readonly lifecycleProps: BucketLifecycleProps;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const where = `SecureBucket ${this.node.path}`;
    const nameProblem = checkBucketName(props.bucketName);
    if (nameProblem) throw new Error(`${where}: bucketName "${props.bucketName}" ${nameProblem}`);
    validateLifecycle(where, props.lifecycle, props.objectLock);
    const provider = props.provider;
    this.provider = provider;
    this.lifecycleProps = props.lifecycle;

    this.bucket = new S3Bucket(this, "Default", {
      provider,
      bucket: props.bucketName,
      // Object Lock can only be switched on when the bucket is created.
      objectLockEnabled: props.objectLock ? true : undefined,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    this.bucketName = this.bucket.bucket;
    this.configuredBucketName = props.bucketName;
    this.arn = this.bucket.arn;
    this.encryptionKey = props.encryption.key;

    const ownership = new S3BucketOwnershipControls(this, "Ownership", {
      provider,
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      provider,
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.versioning = new S3BucketVersioningA(this, "Versioning", {
      provider,
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    const encryption = new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      provider,
      bucket: this.bucket.id,
      rule: [
        props.encryption.key
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.encryption.key.arn },
              // An S3 Bucket Key cuts KMS requests (and their cost and throttling) by orders of magnitude.
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });

    this.statements.push(denyInsecureTransport(this.arn));
    this.policy = new S3BucketPolicy(this, "Policy", {
      provider,
      bucket: this.bucket.id,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
      // The public access block must exist first, so the policy is never evaluated on an unprotected bucket.
      dependsOn: [publicAccess],
      lifecycle: props.policyOwnership === "shared" ? { ignoreChanges: ["policy"] } : undefined,
    });

    if (props.objectLock) {
      this.objectLockConfiguration = new S3BucketObjectLockConfigurationA(this, "ObjectLock", {
        provider,
        bucket: this.bucket.id,
        rule: { defaultRetention: { mode: props.objectLock.mode, days: props.objectLock.days } },
        dependsOn: [this.versioning],
      });
    }

    this.lifecycleConfiguration = new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      provider,
      bucket: this.bucket.id,
      rule: lifecycleRules(props.lifecycle),
      // Noncurrent-version rules mean nothing until versioning is on.
      dependsOn: [this.versioning],
    });

    if (props.accessLogs) {
      const target = props.accessLogs.target;
      target.allowAccessLogsFrom(this.arn);
      const logging = new S3BucketLoggingA(this, "AccessLogs", {
        provider,
        bucket: this.bucket.id,
        targetBucket: target.bucket.id,
        targetPrefix: props.accessLogs.prefix,
        // S3 checks the target's policy when logging is switched on.
        dependsOn: [target.policy],
      });
      this.parts.set("logging", logging);
    }
    this.parts.set("ownershipControls", ownership);
    this.parts.set("publicAccessBlock", publicAccess);
    this.parts.set("versioning", this.versioning);
    this.parts.set("encryption", encryption);
    this.parts.set("policy", this.policy);
    this.parts.set("lifecycle", this.lifecycleConfiguration);
    if (this.objectLockConfiguration) this.parts.set("objectLock", this.objectLockConfiguration);
  }

  /**
   * Adopts a bucket that already exists: Terraform `import` blocks for the bucket and for each listed part, so the
   * first plan imports them instead of creating them. Every part's import id is the bucket name (the provider docs'
   * Import sections; the bucket is in the provider's account, so no `,<expected_bucket_owner>` suffix). Parts not
   * listed are created, which for S3's Put* configuration calls replaces whatever is there.
   */
  adoptExisting(parts: readonly BucketPart[]): void {
    const name = this.configuredBucketName;
    this.bucket.importFrom(name, this.provider);
    for (const part of parts) {
      const resource = this.parts.get(part);
      if (!resource) throw new Error(`SecureBucket ${this.node.path}: cannot adopt ${part}: this bucket has no ${part} (its parts: ${[...this.parts.keys()].join(", ")})`);
      resource.importFrom(name, this.provider);
    }
  }

  /**
   * For a bucket adopted with objects in it (config `adopt.existingObjects`, default keep): a lifecycle that can
   * remove no object version, old or new. S3 applies a lifecycle to the objects already in a bucket as well as to new
   * ones (S3 User Guide, "Managing the lifecycle of objects": existing objects older than an expiration's days are
   * queued for removal), and its filters cannot tell them apart by age. Kept: aborting incomplete multipart uploads
   * and removing delete markers with no version behind them, neither of which removes data.
   */
  keepExistingObjects(): void {
    this.lifecycleConfiguration.putRule(lifecycleRules(this.lifecycleProps, "keep-existing"));
  }

  /** Adds a statement to the bucket policy (rendered at synth, after every construct has added its own). */
  addToResourcePolicy(statement: PolicyStatement): void {
    this.statements.push(statement);
  }

  /** Lets the S3 logging service write access logs of `sourceBucketArn` into this bucket, and nothing else. */
  allowAccessLogsFrom(sourceBucketArn: string): void {
    if (this.logSources.length === 0) {
      this.addToResourcePolicy({
        Sid: "AllowS3ServerAccessLogs",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${this.arn}/*`,
        Condition: { ArnLike: { "aws:SourceArn": this.logSources } },
      });
    }
    this.logSources.push(sourceBucketArn);
  }
}

function validateLifecycle(where: string, lifecycle: BucketLifecycleProps, lock?: ObjectLockRetention): void {
  const check = (field: string, value: number | undefined) => {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new Error(`${where}: lifecycle.${field} must be a whole number of days >= 1 (got ${value})`);
    }
  };
  check("noncurrentVersionDays", lifecycle.noncurrentVersionDays);
  check("expireAfterDays", lifecycle.expireAfterDays);
  check("abortIncompleteMultipartDays", lifecycle.abortIncompleteMultipartDays);
  if (lock && lifecycle.expireAfterDays !== undefined && lifecycle.expireAfterDays < lock.days) {
    throw new Error(
      `${where}: lifecycle.expireAfterDays (${lifecycle.expireAfterDays}) must be at least the Object Lock retention ` +
        `(${lock.days} days): backups cannot expire while they are locked`,
    );
  }
}

function lifecycleRules(props: BucketLifecycleProps, mode: "expire" | "keep-existing" = "expire"): S3BucketLifecycleConfigurationRule[] {
  const rules: S3BucketLifecycleConfigurationRule[] = [
    {
      id: "abort-incomplete-multipart-uploads",
      status: "Enabled",
      filter: [{}],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteMultipartDays ?? 7 }],
    },
  ];
  if (mode === "expire") {
    rules.push({
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: [{}],
      noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays }],
    });
  }
  if (mode === "expire" && props.expireAfterDays !== undefined) {
    rules.push({
      id: "expire-current-versions",
      status: "Enabled",
      filter: [{}],
      expiration: [{ days: props.expireAfterDays }],
    });
  } else {
    // Without expiry, delete markers whose versions are all gone would accumulate forever.
    rules.push({
      id: "remove-expired-delete-markers",
      status: "Enabled",
      filter: [{}],
      expiration: [{ expiredObjectDeleteMarker: true }],
    });
  }
  return rules;
}
