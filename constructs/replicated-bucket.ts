/**
 * A bucket replicated to another region: both buckets (each a SecureBucket with its own KMS key, or SSE-S3 where
 * a CDN origin access identity must read them), the least-privilege replication role, and a replication
 * configuration that never replicates delete markers and publishes replication metrics for the alarms.
 *
 * Replication is not a backup: it copies overwrites and corruption too. Keeping delete markers out means one
 * bad credential cannot delete the same package in both regions at once.
 *
 * @example
 *   const packages = new ReplicatedBucket(this, "Packages", {
 *     environment: "ops", bucketName: "packages-gitlab-com", replicaBucketName: "packages-gitlab-com-replica",
 *     region: "us-west-1", replicaRegion: "eu-central-1", replicaProvider, noncurrentVersionDays: 30,
 *   });
 *   packages.source.arn; packages.replica.arn; packages.sourceKey?.arn
 */
import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import type { EnvName } from "../config";
import { EncryptionKey } from "./encryption-key";
import { resourceName } from "../config/naming";
import { policyDocument, type PolicyStatement } from "./policy-document";
import { BucketEncryption, SecureBucket } from "./secure-bucket";

/** The replication rule's id: the RuleId dimension of its CloudWatch metrics. */
export const REPLICATION_RULE_ID = "replicate-everything";

export interface ReplicatedBucketProps {
  readonly environment: EnvName;
  /** Component name used for the keys and the role, e.g. `packages`. */
  readonly component: string;
  readonly bucketName: string;
  readonly replicaBucketName: string;
  /** The region of the stack's default provider, where the source bucket lives. */
  readonly region: string;
  readonly replicaRegion: string;
  /** Provider configured for `replicaRegion`; passed explicitly so the region is visible at the call site. */
  readonly replicaProvider: TerraformProvider;
  readonly noncurrentVersionDays: number;
  /** Access-log targets: one per region, since S3 only logs to a bucket in the same region. */
  readonly accessLogs?: { readonly source: SecureBucket; readonly replica: SecureBucket };
  /** @see SecureBucketProps.policyOwnership @default - exclusive */
  readonly sourcePolicyOwnership?: "exclusive" | "shared";
  /** @see SecureBucketProps.policyOwnership @default - exclusive */
  readonly replicaPolicyOwnership?: "exclusive" | "shared";
  /**
   * Encrypt both buckets with SSE-S3 instead of a customer key per region, for the reason given (shown in review):
   * a CloudFront origin access identity cannot read SSE-KMS objects.
   * @default - SSE-KMS with a customer-managed key in each region, replicated with re-encryption
   */
  readonly s3ManagedEncryption?: { readonly reason: string };
}

/**
 * The trust policy AWS documents for the live-replication role: the S3 service principal, no condition.
 * AWS documents no aws:SourceArn or aws:SourceAccount in the context S3 sends when it assumes this role (S3 User
 * Guide, "Setting up permissions for live replication", step 2 "Creating an IAM role for Amazon S3 to assume":
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html#setting-repl-config-same-acctowner,
 * and the walkthrough's s3-role-trust-policy.json: https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-walkthrough1.html).
 * A condition on a key the service does not send denies the assumption, and replication stops silently. The
 * role is still only usable by S3 and only for what its permissions policy names (these two buckets).
 */
export const REPLICATION_TRUST_STATEMENT = {
  Sid: "S3Replication",
  Effect: "Allow",
  Principal: { Service: "s3.amazonaws.com" },
  Action: "sts:AssumeRole",
} as const;

export class ReplicatedBucket extends Construct {
  readonly source: SecureBucket;
  readonly replica: SecureBucket;
  /** Undefined when the buckets use SSE-S3 (`s3ManagedEncryption`). */
  readonly sourceKey?: EncryptionKey;
  readonly replicaKey?: EncryptionKey;
  readonly replicationRole: IamRole;
  readonly replication: S3BucketReplicationConfigurationA;

  constructor(scope: Construct, id: string, props: ReplicatedBucketProps) {
    super(scope, id);
    if (props.replicaRegion === props.region) {
      throw new Error(
        `ReplicatedBucket ${this.node.path}: replicaRegion must differ from the source region (${props.region}); ` +
          "a replica in the same region does not survive the loss of that region",
      );
    }
    const name = (suffix: string) => resourceName(props.environment, `${props.component}${suffix}`);

    if (props.s3ManagedEncryption === undefined) {
      this.sourceKey = new EncryptionKey(this, "SourceKey", {
        alias: name(""),
        description: `Encrypts s3://${props.bucketName} (${props.region})`,
      });
      this.replicaKey = new EncryptionKey(this, "ReplicaKey", {
        provider: props.replicaProvider,
        alias: name("-replica"),
        description: `Encrypts s3://${props.replicaBucketName} (${props.replicaRegion}), the replica of ${props.bucketName}`,
      });
    }
    const encryption = (key: EncryptionKey | undefined) => (key ? BucketEncryption.kms(key) : BucketEncryption.s3Managed(props.s3ManagedEncryption!.reason));
    this.source = new SecureBucket(this, "Source", {
      bucketName: props.bucketName,
      encryption: encryption(this.sourceKey),
      lifecycle: { noncurrentVersionDays: props.noncurrentVersionDays },
      accessLogs: props.accessLogs ? { target: props.accessLogs.source, prefix: `${props.bucketName}/` } : undefined,
      policyOwnership: props.sourcePolicyOwnership,
    });
    this.replica = new SecureBucket(this, "Replica", {
      provider: props.replicaProvider,
      bucketName: props.replicaBucketName,
      encryption: encryption(this.replicaKey),
      lifecycle: { noncurrentVersionDays: props.noncurrentVersionDays },
      accessLogs: props.accessLogs ? { target: props.accessLogs.replica, prefix: `${props.replicaBucketName}/` } : undefined,
      policyOwnership: props.replicaPolicyOwnership,
    });

    this.replicationRole = new IamRole(this, "ReplicationRole", {
      name: name("-replication"),
      description: `S3 replication of ${props.bucketName} to ${props.replicaBucketName}`,
      assumeRolePolicy: policyDocument([REPLICATION_TRUST_STATEMENT]),
    });
    // KMS-encrypted objects are only replicated when the role can decrypt them at the source and encrypt them
    // with the replica's key; without both, replication fails silently.
    const kmsStatements: PolicyStatement[] =
      this.sourceKey && this.replicaKey
        ? [
            {
              Sid: "DecryptSource",
              Effect: "Allow",
              Action: "kms:Decrypt",
              Resource: this.sourceKey.arn,
              Condition: {
                StringEquals: { "kms:ViaService": `s3.${props.region}.amazonaws.com` },
                StringLike: { "kms:EncryptionContext:aws:s3:arn": [this.source.arn, `${this.source.arn}/*`] },
              },
            },
            {
              Sid: "EncryptReplica",
              Effect: "Allow",
              Action: ["kms:Encrypt", "kms:GenerateDataKey"],
              Resource: this.replicaKey.arn,
              Condition: {
                StringEquals: { "kms:ViaService": `s3.${props.replicaRegion}.amazonaws.com` },
                StringLike: { "kms:EncryptionContext:aws:s3:arn": [this.replica.arn, `${this.replica.arn}/*`] },
              },
            },
          ]
        : [];
    new IamRolePolicy(this, "ReplicationPolicy", {
      role: this.replicationRole.id,
      name: "replicate",
      policy: policyDocument([
        {
          Sid: "ReadReplicationConfiguration",
          Effect: "Allow",
          Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
          Resource: this.source.arn,
        },
        {
          Sid: "ReadSourceVersions",
          Effect: "Allow",
          Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
          Resource: `${this.source.arn}/*`,
        },
        {
          // No s3:ReplicateDelete: delete markers are not replicated, so the role cannot write them.
          Sid: "WriteReplicaVersions",
          Effect: "Allow",
          Action: ["s3:ReplicateObject", "s3:ReplicateTags"],
          Resource: `${this.replica.arn}/*`,
        },
        ...kmsStatements,
      ]),
    });

    this.replication = new S3BucketReplicationConfigurationA(this, "Replication", {
      bucket: this.source.bucket.id,
      role: this.replicationRole.arn,
      rule: [
        {
          id: REPLICATION_RULE_ID,
          status: "Enabled",
          priority: 1,
          filter: {},
          deleteMarkerReplication: { status: "Disabled" },
          sourceSelectionCriteria: this.replicaKey ? { sseKmsEncryptedObjects: { status: "Enabled" } } : undefined,
          destination: {
            bucket: this.replica.arn,
            storageClass: "STANDARD",
            encryptionConfiguration: this.replicaKey ? { replicaKmsKeyId: this.replicaKey.arn } : undefined,
            // Replication metrics feed the alarms: without Replication Time Control, S3 still publishes
            // OperationsFailedReplication and ReplicationLatency. No event_threshold: it is an RTC setting, and S3
            // refuses it without replication_time ("Metrics cannot contain an event threshold when ReplicationTime
            // is not specified or Disabled"; https://docs.aws.amazon.com/AmazonS3/latest/API/API_Metrics.html).
            metrics: { status: "Enabled" },
          },
        },
      ],
      // S3 rejects a replication configuration unless both buckets are versioned.
      dependsOn: [this.source.versioning, this.replica.versioning],
    });
  }
}
