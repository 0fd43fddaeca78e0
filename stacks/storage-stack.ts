/**
 * `packagecloud-<env>-storage`: the AWS storage both platform variants share.
 *
 * The replicated package bucket, the offsite Object-Locked database backups, the VM variant's daily
 * database backups, access-log buckets, and the IAM identity the application runs as.
 */
import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { EnvironmentConfig } from "../config";
import { backupWriter } from "../config/backup-writers";
import { AlertTopic } from "../constructs/alert-topic";
import { ApplicationIdentity } from "../constructs/application-identity";
import { BackupAlarms } from "../constructs/backup-alarms";
import { BackupBucket } from "../constructs/backup-bucket";
import { EncryptionKey } from "../constructs/encryption-key";
import { GkeAwsFederation } from "../constructs/gke-aws-federation";
import { clusterIssuer, gkeRoleNames } from "../backup/jobs";
import { resourceName, stackName } from "../config/naming";
import { ReplicatedBucket } from "../constructs/replicated-bucket";
import { ReplicationAlarms } from "../constructs/replication-alarms";
import { BucketEncryption, ObjectLockRetention, SecureBucket } from "../constructs/secure-bucket";
import { adoptStorage } from "./adoption";
import { awsProvider, targetAccountId } from "./aws-provider";
import { PackagecloudStack } from "./base-stack";
import { configureBackend } from "./backend";
import { targetSupports, type DeployTarget } from "./target";

/**
 * Managed policies this stack creates that other stacks attach by ARN. The names are deterministic (one naming
 * rule), so no cross-stack reference or remote-state lookup is needed: the storage stack is deployed first.
 */
export function storagePolicyArns(env: EnvironmentConfig, accountId: string): Record<string, string> {
  const arn = (component: string) => `arn:aws:iam::${accountId}:policy/${resourceName(env.name, component)}`;
  return {
    "daily-backups-uploader": arn("daily-backups-uploader"),
    "offsite-backups-uploader": arn("offsite-backups-uploader"),
    // The VM's restore verification reads the offsite backups back (backup/jobs.ts).
    "offsite-backups-reader": arn("offsite-backups-reader"),
    "app-packages": arn("app-packages"),
    "app-cdn": arn("app-cdn"),
  };
}

/**
 * Why the package buckets are SSE-S3 (shown where the suppression of PC_S3_KMS_ENCRYPTION is reviewed too).
 * An origin access identity cannot read SSE-KMS objects (CloudFront Developer Guide, "Restrict access to an Amazon
 * S3 origin"), and packagecloud's setup creates an OAI. The objects are public packages, signed by their
 * publishers; a customer key would add a KMS request per CDN cache miss (cost, and KMS request-rate throttling at
 * CDN scale) and protect nothing a reader of the CDN cannot already download.
 */
export const PACKAGES_SSE_S3_REASON =
  "CDN origin read through a CloudFront origin access identity, which cannot decrypt SSE-KMS; the objects are public signed packages";

export interface StorageStackProps {
  readonly env: EnvironmentConfig;
  readonly target: DeployTarget;
}

export class StorageStack extends PackagecloudStack {
  readonly packages: ReplicatedBucket;
  readonly offsiteBackups: BackupBucket;
  readonly dailyBackups: BackupBucket;
  readonly application: ApplicationIdentity;
  readonly gkeFederation: GkeAwsFederation;

  constructor(scope: Construct, props: StorageStackProps) {
    const { env, target } = props;
    const name = stackName(env.name, "storage");
    super(scope, name, { environment: env });
    configureBackend(this, env, name, target);
    const storage = env.storage;
    const accountId = targetAccountId(env, target);

    awsProvider(this, "aws", { env, target, layer: "storage", region: env.aws.region });
    const replicaProvider = awsProvider(this, "aws-replica", {
      env, target, layer: "storage", region: env.aws.replicaRegion, alias: "replica",
    });
    // The CloudFront setup's KMS key lives where its Lambda@Edge functions do (us-east-1), whatever aws.region is.
    const cdnSetupProvider = awsProvider(this, "aws-cdn-setup", {
      env, target, layer: "storage", region: env.application.cdnSetup.region, alias: "cdn_setup",
    });

    // Server access logs cannot be delivered into SSE-KMS buckets, and S3 logs only within a region.
    const logEncryption = BucketEncryption.s3Managed("S3 server access log delivery supports SSE-S3 only");
    const accessLogs = new SecureBucket(this, "AccessLogs", {
      bucketName: storage.accessLogs.bucketName,
      encryption: logEncryption,
      lifecycle: { expireAfterDays: storage.accessLogs.expireAfterDays, noncurrentVersionDays: 1 },
    });
    const replicaAccessLogs = new SecureBucket(this, "ReplicaAccessLogs", {
      provider: replicaProvider,
      bucketName: storage.accessLogs.replicaBucketName,
      encryption: logEncryption,
      lifecycle: { expireAfterDays: storage.accessLogs.expireAfterDays, noncurrentVersionDays: 1 },
    });

    this.packages = new ReplicatedBucket(this, "Packages", {
      environment: env.name,
      component: "packages",
      bucketName: storage.packages.bucketName,
      replicaBucketName: storage.packages.replicaBucketName,
      region: env.aws.region,
      replicaRegion: env.aws.replicaRegion,
      replicaProvider,
      noncurrentVersionDays: storage.packages.noncurrentVersionDays,
      accessLogs: { source: accessLogs, replica: replicaAccessLogs },
      // packagecloud writes its CloudFront origin-access statement into the policy of the bucket it serves
      // from: never wipe it. Both are shared, so a failover to the replica keeps the statement it writes there.
      sourcePolicyOwnership: "shared",
      replicaPolicyOwnership: "shared",
      // packagecloud's CloudFront setup reads both through an origin access identity, which cannot decrypt SSE-KMS.
      s3ManagedEncryption: { reason: PACKAGES_SSE_S3_REASON },
    });
    // Disaster recovery: serve from the replica when aws.region is lost (docs/disaster-recovery.md).
    const serving = { bucket: storage.packages.serveFrom === "replica" ? this.packages.replica : this.packages.source };

    const backupsKey = new EncryptionKey(this, "BackupsKey", {
      alias: resourceName(env.name, "db-backups"),
      description: "Encrypts the packagecloud database backups (offsite and daily)",
    });
    this.offsiteBackups = new BackupBucket(this, "OffsiteBackups", {
      environment: env.name,
      component: "offsite-backups",
      bucketName: storage.offsiteBackups.bucketName,
      prefix: storage.offsiteBackups.prefix,
      expireAfterDays: storage.offsiteBackups.expireAfterDays,
      objectLock: ObjectLockRetention.of(storage.offsiteBackups.objectLock.mode, storage.offsiteBackups.objectLock.days),
      encryptionKey: backupsKey,
      accessLogs: { target: accessLogs },
      uploaderRole: { trustedAccountId: accountId },
      readerPolicy: true,
    });
    this.dailyBackups = new BackupBucket(this, "DailyBackups", {
      environment: env.name,
      component: "daily-backups",
      bucketName: storage.dailyBackups.bucketName,
      prefix: storage.dailyBackups.prefix,
      expireAfterDays: storage.dailyBackups.expireAfterDays,
      encryptionKey: backupsKey,
      accessLogs: { target: accessLogs },
    });

    // Issue 13: GKE pods reach AWS through their projected service-account tokens, no static key. The IAM user
    // below stays only as the documented fallback (docs/storage.md, "No static AWS keys from GKE").
    const roles = gkeRoleNames(env);
    this.application = new ApplicationIdentity(this, "Application", {
      environment: env.name,
      accountId,
      packageBucket: serving.bucket,
      edgeLambdaRoleName: env.application.edgeLambdaRoleName,
      edgeFunctionPrefix: env.application.edgeFunctionPrefix,
      cdnSetup: { ...env.application.cdnSetup, provider: cdnSetupProvider },
      alsoRunsAs: [`arn:aws:iam::${accountId}:role/${roles.app}`],
    });

    const job = env.backupJob.kubernetes;
    this.gkeFederation = new GkeAwsFederation(this, "GkeFederation", {
      environment: env.name,
      issuer: clusterIssuer(env),
      roles: {
        backup: {
          roleName: roles.backup, namespace: job.namespace, serviceAccount: job.backupServiceAccount,
          description: "The GKE offsite backup CronJob: put-only into the offsite backup bucket",
          policyArns: { uploader: this.offsiteBackups.uploaderPolicy.arn },
        },
        restore: {
          roleName: roles.restore, namespace: job.namespace, serviceAccount: job.restoreServiceAccount,
          description: "The GKE restore verification CronJob: read-only on the offsite backups",
          policyArns: { reader: this.offsiteBackups.readerPolicy!.arn },
        },
        app: {
          roleName: roles.app, namespace: env.gcp.workload.namespace, serviceAccount: env.gcp.workload.serviceAccount,
          description: "packagecloud on GKE: the application's package and CloudFront rights",
          policyArns: { packages: this.application.packagesPolicy.arn, cdn: this.application.cdnPolicy.arn },
        },
      },
    });

    // Monitoring lives with the buckets it watches; thresholds come from the same config as the buckets.
    const monitoring = env.monitoring;
    const alerts = new AlertTopic(this, "Alerts", {
      environment: env.name,
      accountId,
      emails: monitoring.notifications.emails,
      httpsEndpoints: monitoring.notifications.httpsEndpoints,
      // The emulator sends nothing: its stacks plan with plain Terraform, no TF_VAR_ needed (`.local/` after npm run local).
      ...(props.target.kind === "emulator" ? { endpointDefault: (name: string) => `https://alerts.invalid/emulator/${name}` } : {}),
    });
    // A backup alarm only where something writes that backup (config/backup-writers.ts): the VM's daily backups
    // have no writer where the gke variant runs, and an alarm on them would page forever.
    const backups = [
      { id: "OffsiteBackupAlarms", backup: "offsite-db", bucket: this.offsiteBackups, where: storage.offsiteBackups, thresholds: monitoring.offsiteBackups },
      { id: "DailyBackupAlarms", backup: "daily-db", bucket: this.dailyBackups, where: storage.dailyBackups, thresholds: monitoring.dailyBackups },
    ] as const;
    for (const b of backups.filter((candidate) => backupWriter(env, candidate.backup) !== undefined)) {
      new BackupAlarms(this, b.id, {
        bucket: b.bucket.bucket,
        prefix: b.where.prefix,
        name: resourceName(env.name, b.backup),
        maxAgeHours: b.thresholds.maxAgeHours,
        minSizeBytes: b.thresholds.minSizeBytes,
        notify: !b.thresholds.firstBackupPending,
        notifyFrom: b.thresholds.firstBackupDueBy,
        topicArn: alerts.topicArn,
        runbookUrl: monitoring.runbookUrl,
        configureRequestMetrics: targetSupports(target, "s3-request-metrics"),
      });
    }
    new ReplicationAlarms(this, "ReplicationAlarms", {
      packages: this.packages,
      name: resourceName(env.name, "packages"),
      maxLatencySeconds: monitoring.replication.maxLatencySeconds,
      topicArn: alerts.topicArn,
      runbookUrl: monitoring.runbookUrl,
    });

    // What exists before the first apply is imported, not created (config `adopt`).
    adoptStorage(env, target, {
      buckets: { packages: this.packages.source, replica: this.packages.replica, offsiteBackups: this.offsiteBackups.bucket, dailyBackups: this.dailyBackups.bucket },
      replication: this.packages.replication,
    });

    const outputs: Record<string, string> = {
      alerts_topic_arn: alerts.topicArn,
      serving_bucket_name: serving.bucket.bucketName,
      packages_bucket_name: this.packages.source.bucketName,
      packages_bucket_arn: this.packages.source.arn,
      replica_bucket_name: this.packages.replica.bucketName,
      replica_bucket_arn: this.packages.replica.arn,
      replication_role_arn: this.packages.replicationRole.arn,
      offsite_backups_bucket_name: this.offsiteBackups.bucket.bucketName,
      offsite_backups_bucket_arn: this.offsiteBackups.bucket.arn,
      offsite_backups_uploader_role_arn: this.offsiteBackups.uploaderRole!.arn,
      offsite_backups_uploader_policy_arn: this.offsiteBackups.uploaderPolicy.arn,
      daily_backups_bucket_name: this.dailyBackups.bucket.bucketName,
      daily_backups_bucket_arn: this.dailyBackups.bucket.arn,
      daily_backups_uploader_policy_arn: this.dailyBackups.uploaderPolicy.arn,
      backups_key_arn: backupsKey.arn,
      access_logs_bucket_name: accessLogs.bucketName,
      replica_access_logs_bucket_name: replicaAccessLogs.bucketName,
      app_user_arn: this.application.user.arn,
      app_group_arn: this.application.group.arn,
      app_packages_policy_arn: this.application.packagesPolicy.arn,
      app_cdn_policy_arn: this.application.cdnPolicy.arn,
      app_edge_boundary_arn: this.application.edgeBoundary.arn,
      cdn_setup_key_arn: this.application.setupKey.arn,
      cdn_setup_key_alias: this.application.setupKey.aliasName,
      gke_oidc_provider_arn: this.gkeFederation.provider.arn,
      offsite_backup_gke_role_arn: this.gkeFederation.roles.backup.arn,
      restore_verify_gke_role_arn: this.gkeFederation.roles.restore.arn,
      app_gke_role_arn: this.gkeFederation.roles.app.arn,
    };
    for (const [id, value] of Object.entries(outputs)) new TerraformOutput(this, id, { value });
  }
}
