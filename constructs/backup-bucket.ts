/**
 * A bucket for database backups: a SecureBucket whose objects expire after their retention, optionally
 * Object-Locked, and an uploader policy that can put backups but never delete them, change their
 * retention or bypass governance. Old backups go by lifecycle, not by the uploader (seed 004's copycat-db
 * deleted its own old backups; here no uploader holds a delete right at all).
 *
 * @example
 *   const offsite = new BackupBucket(this, "OffsiteBackups", {
 *     environment: "ops", component: "offsite-backups", bucketName: "gitlab-packagecloud-db-offsite-backups",
 *     prefix: "backups/", expireAfterDays: 31, objectLock: ObjectLockRetention.compliance(30), encryptionKey,
 *     uploaderRole: { trustedAccountId: "123456789012" },
 *   });
 *   offsite.uploaderPolicy.arn  // attach to whatever runs the backup job
 */
import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { EnvName } from "../config";
import type { EncryptionKey } from "./encryption-key";
import { resourceName } from "../config/naming";
import { policyDocument } from "./policy-document";
import { BucketEncryption, type ObjectLockRetention, SecureBucket } from "./secure-bucket";

export interface BackupBucketProps {
  readonly environment: EnvName;
  /** Component name for the uploader policy and role, e.g. `offsite-backups`. */
  readonly component: string;
  readonly bucketName: string;
  /** Key prefix the backups are written under; the uploader may write nowhere else. */
  readonly prefix: string;
  /** Backups expire (and, once noncurrent, are removed a day later) after this many days. */
  readonly expireAfterDays: number;
  readonly encryptionKey: EncryptionKey;
  /** @default - no Object Lock */
  readonly objectLock?: ObjectLockRetention;
  /** @default - no access logging */
  readonly accessLogs?: { readonly target: SecureBucket };
  /**
   * Also create a role carrying the uploader policy, assumable by principals of this account that are
   * allowed `sts:AssumeRole` on it (for a backup job running outside an instance profile).
   * @default - only the policy is created; attach it to the identity that runs the job
   */
  readonly uploaderRole?: { readonly trustedAccountId: string };
  /**
   * Also create a read-only policy for the restore verification: list and read backups under the prefix, decrypt
   * them, and nothing else (it can neither write nor delete).
   * @default - no reader policy
   */
  readonly readerPolicy?: boolean;
}

/** What an uploader must never do to a backup, whatever else it is granted elsewhere. */
export const UPLOADER_DENIED_ACTIONS = [
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
  "s3:BypassGovernanceRetention",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketVersioning",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:DeleteBucket",
] as const;

export class BackupBucket extends Construct {
  readonly bucket: SecureBucket;
  readonly uploaderPolicy: IamPolicy;
  readonly uploaderRole?: IamRole;
  readonly readerPolicy?: IamPolicy;

  constructor(scope: Construct, id: string, props: BackupBucketProps) {
    super(scope, id);
    this.bucket = new SecureBucket(this, "Bucket", {
      bucketName: props.bucketName,
      encryption: BucketEncryption.kms(props.encryptionKey),
      objectLock: props.objectLock,
      // Once expired, a backup becomes noncurrent; it is gone a day later (a locked version stays until its
      // retention lapses, whatever the rule says).
      lifecycle: { expireAfterDays: props.expireAfterDays, noncurrentVersionDays: 1, abortIncompleteMultipartDays: 2 },
      accessLogs: props.accessLogs ? { target: props.accessLogs.target, prefix: `${props.bucketName}/` } : undefined,
    });

    const arn = this.bucket.arn;
    this.uploaderPolicy = new IamPolicy(this, "UploaderPolicy", {
      name: resourceName(props.environment, `${props.component}-uploader`),
      description: `Put-only access to s3://${props.bucketName}/${props.prefix}: no delete, no retention change`,
      policy: policyDocument([
        {
          Sid: "ListBackups",
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: arn,
          Condition: { StringLike: { "s3:prefix": [`${props.prefix}*`] } },
        },
        {
          // AbortMultipartUpload only discards an upload that never became a backup.
          Sid: "PutBackups",
          Effect: "Allow",
          Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
          Resource: `${arn}/${props.prefix}*`,
        },
        {
          // Multipart uploads of SSE-KMS objects need Decrypt as well as GenerateDataKey.
          Sid: "EncryptBackups",
          Effect: "Allow",
          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
          Resource: props.encryptionKey.arn,
        },
        {
          // Explicit deny wins over any allow attached elsewhere.
          Sid: "NeverDeleteOrUnlock",
          Effect: "Deny",
          Action: [...UPLOADER_DENIED_ACTIONS],
          Resource: [arn, `${arn}/*`],
        },
      ]),
    });

    if (props.readerPolicy) {
      this.readerPolicy = new IamPolicy(this, "ReaderPolicy", {
        name: resourceName(props.environment, `${props.component}-reader`),
        description: `Read-only access to s3://${props.bucketName}/${props.prefix} (restore verification)`,
        policy: policyDocument([
          { Sid: "ListBackups", Effect: "Allow", Action: "s3:ListBucket", Resource: arn, Condition: { StringLike: { "s3:prefix": [`${props.prefix}*`] } } },
          { Sid: "ReadBackups", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: `${arn}/${props.prefix}*` },
          { Sid: "DecryptBackups", Effect: "Allow", Action: "kms:Decrypt", Resource: props.encryptionKey.arn },
          // Read-only by granting no write. No Deny of PutObject: the VM's instance role holds this policy and the
          // uploader policy together (its backup job uploads, its verification reads), and a Deny would win.
          { Sid: "NeverDeleteOrUnlock", Effect: "Deny", Action: [...UPLOADER_DENIED_ACTIONS], Resource: [arn, `${arn}/*`] },
        ]),
      });
    }

    if (props.uploaderRole) {
      this.uploaderRole = new IamRole(this, "UploaderRole", {
        name: resourceName(props.environment, `${props.component}-uploader`),
        description: `Assumed by the job that uploads backups to s3://${props.bucketName}`,
        maxSessionDuration: 3600,
        assumeRolePolicy: policyDocument([
          {
            Sid: "SameAccountPrincipals",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${props.uploaderRole.trustedAccountId}:root` },
            Action: "sts:AssumeRole",
          },
        ]),
      });
      new IamRolePolicyAttachment(this, "UploaderRolePolicy", {
        role: this.uploaderRole.name,
        policyArn: this.uploaderPolicy.arn,
      });
    }
  }
}
