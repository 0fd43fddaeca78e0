/**
 * The policy pack, rule by rule, named after the checkov/trivy ids each rule emulates (REFERENCE.md §3):
 * a compliant and a non-compliant case built from raw provider resources, and the project's own stacks.
 */
import { Testing, type TerraformStack } from "cdktf";
import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record";
import { ContainerCluster, type ContainerClusterConfig } from "@cdktf/provider-google/lib/container-cluster";
import { ContainerNodePool, type ContainerNodePoolNodeConfig } from "@cdktf/provider-google/lib/container-node-pool";
import { DnsRecordSet } from "@cdktf/provider-google/lib/dns-record-set";
import { MonitoringAlertPolicy } from "@cdktf/provider-google/lib/monitoring-alert-policy";
import { RedisInstance } from "@cdktf/provider-google/lib/redis-instance";
import { SqlDatabaseInstance, type SqlDatabaseInstanceSettings } from "@cdktf/provider-google/lib/sql-database-instance";
import { BackupVaultLockConfiguration } from "@cdktf/provider-aws/lib/backup-vault-lock-configuration";
import { EbsVolume } from "@cdktf/provider-aws/lib/ebs-volume";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { IamUser } from "@cdktf/provider-aws/lib/iam-user";
import { IamUserPolicyAttachment } from "@cdktf/provider-aws/lib/iam-user-policy-attachment";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { webIdentityTrust } from "../../constructs/gke-aws-federation";
import { denyInsecureTransport, policyDocument } from "../../constructs/policy-document";
import { evaluate, RULES } from "../../policy";
import { StackView, type Rule } from "../../policy/engine";
import { PackagecloudStack } from "../../stacks/base-stack";
import { ALL_STACKS, sharedStack, testApp } from "../support/synth";

function rawStack(build: (stack: TerraformStack) => void): StackView {
  const stack = new PackagecloudStack(testApp(), "policy-case", { enforcePolicy: false });
  new AwsProvider(stack, "aws", { region: "us-west-1" });
  build(stack);
  return new StackView(JSON.parse(Testing.synth(stack)));
}

function rule(id: string): Rule {
  const found = RULES.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

const bucket = (stack: TerraformStack) => new S3Bucket(stack, "Data", { bucket: "data-bucket", lifecycle: { preventDestroy: true } });

function instance(stack: TerraformStack, overrides: Partial<ConstructorParameters<typeof Instance>[2]>): Instance {
  return new Instance(stack, "Web", {
    ami: "ami-0123456789abcdef0",
    instanceType: "t3.micro",
    monitoring: true,
    ebsOptimized: true,
    metadataOptions: { httpTokens: "required" },
    rootBlockDevice: { encrypted: true },
    ...overrides,
  });
}

function ingressRule(stack: TerraformStack, port: number, cidr: string): VpcSecurityGroupIngressRule {
  const v6 = cidr.includes(":");
  return new VpcSecurityGroupIngressRule(stack, "Rule", {
    securityGroupId: "sg-0123456789abcdef0",
    ipProtocol: "tcp",
    fromPort: port,
    toPort: port,
    cidrIpv4: v6 ? undefined : cidr,
    cidrIpv6: v6 ? cidr : undefined,
    description: `port ${port} from ${cidr}`,
  });
}

/** A GKE cluster that passes every rule; each case breaks one thing. */
function cluster(stack: TerraformStack, overrides: Partial<ContainerClusterConfig> = {}): ContainerCluster {
  return new ContainerCluster(stack, "Gke", {
    name: "gke",
    location: "us-east1",
    deletionProtection: true,
    lifecycle: { preventDestroy: true },
    resourceLabels: { environment: "ops" },
    releaseChannel: { channel: "STABLE" },
    privateClusterConfig: { enablePrivateNodes: true, masterIpv4CidrBlock: "10.0.0.0/28" },
    masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "10.240.0.0/24", displayName: "admins" }] },
    workloadIdentityConfig: { workloadPool: "p.svc.id.goog" },
    datapathProvider: "ADVANCED_DATAPATH",
    enableShieldedNodes: true,
    enableIntranodeVisibility: true,
    enableLegacyAbac: false,
    masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
    binaryAuthorization: { evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE" },
    authenticatorGroupsConfig: { securityGroup: "gke-security-groups@example.com" },
    ...overrides,
  });
}

function nodePool(stack: TerraformStack, nodeConfig: Partial<ContainerNodePoolNodeConfig> = {}, autoRepair = true): ContainerNodePool {
  return new ContainerNodePool(stack, "Pool", {
    cluster: "gke",
    management: { autoRepair, autoUpgrade: true },
    nodeConfig: {
      imageType: "COS_CONTAINERD",
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
      workloadMetadataConfig: { mode: "GKE_METADATA" },
      ...nodeConfig,
    },
  });
}

function sqlInstance(stack: TerraformStack, settings: Partial<SqlDatabaseInstanceSettings> = {}, top: Record<string, unknown> = {}): SqlDatabaseInstance {
  return new SqlDatabaseInstance(stack, "Db", {
    name: "db",
    databaseVersion: "MYSQL_8_0",
    deletionProtection: true,
    encryptionKeyName: "projects/p/locations/r/keyRings/k/cryptoKeys/c",
    lifecycle: { preventDestroy: true },
    ...top,
    settings: {
      tier: "db-custom-2-7680",
      deletionProtectionEnabled: true,
      retainBackupsOnDelete: true,
      backupConfiguration: { enabled: true, binaryLogEnabled: true },
      ipConfiguration: { ipv4Enabled: false, privateNetwork: "n", sslMode: "ENCRYPTED_ONLY" },
      databaseFlags: [
        { name: "local_infile", value: "off" },
        { name: "skip_show_database", value: "on" },
      ],
      ...settings,
    },
  });
}

function promqlAlert(stack: TerraformStack, disableMetricValidation: boolean): MonitoringAlertPolicy {
  return new MonitoringAlertPolicy(stack, "Stale", {
    displayName: "stale",
    combiner: "OR",
    conditions: [
      {
        displayName: "absent",
        conditionPrometheusQueryLanguage: { query: "absent_over_time(logging_googleapis_com:user_x[36h])", disableMetricValidation },
      },
    ],
  });
}

function redis(stack: TerraformStack, overrides: Record<string, unknown> = {}): RedisInstance {
  return new RedisInstance(stack, "Cache", {
    name: "cache",
    memorySizeGb: 1,
    authEnabled: true,
    transitEncryptionMode: "SERVER_AUTHENTICATION",
    lifecycle: { preventDestroy: true },
    ...overrides,
  });
}

/** The ops offsite bucket, by its configured name, locked as given. */
function lockedBucket(stack: TerraformStack, mode: string, days: number): void {
  const bucket = new S3Bucket(stack, "Offsite", { bucket: "gitlab-packagecloud-db-offsite-backups", objectLockEnabled: true, lifecycle: { preventDestroy: true } });
  new S3BucketObjectLockConfigurationA(stack, "Lock", { bucket: bucket.id, rule: { defaultRetention: { mode, days } } });
}

/** An ops package bucket (a configured CDN origin) with the given default encryption. */
function cdnOrigin(stack: TerraformStack, sseAlgorithm: string): void {
  const b = new S3Bucket(stack, "Packages", { bucket: "packages-gitlab-com", lifecycle: { preventDestroy: true } });
  new S3BucketServerSideEncryptionConfigurationA(stack, "E", {
    bucket: b.id,
    rule: [{ applyServerSideEncryptionByDefault: sseAlgorithm === "AES256" ? { sseAlgorithm } : { sseAlgorithm, kmsMasterKeyId: "arn:aws:kms:us-west-1:111122223333:key/k" } }],
  });
}

interface Case {
  readonly rule: string;
  readonly good: (stack: TerraformStack) => void;
  readonly bad: (stack: TerraformStack) => void;
  readonly message: RegExp;
}

const CASES: Case[] = [
  {
    rule: "PC_S3_VERSIONING",
    good: (s) => new S3BucketVersioningA(s, "V", { bucket: bucket(s).id, versioningConfiguration: { status: "Enabled" } }),
    bad: (s) => new S3BucketVersioningA(s, "V", { bucket: bucket(s).id, versioningConfiguration: { status: "Suspended" } }),
    message: /aws_s3_bucket\.data.*versioning is not enabled/,
  },
  {
    rule: "PC_S3_KMS_ENCRYPTION",
    good: (s) =>
      new S3BucketServerSideEncryptionConfigurationA(s, "E", {
        bucket: bucket(s).id,
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:us-west-1:111122223333:key/k" } }],
      }),
    bad: (s) =>
      new S3BucketServerSideEncryptionConfigurationA(s, "E", {
        bucket: bucket(s).id,
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      }),
    message: /encrypts with AES256, not a customer-managed KMS key/,
  },
  {
    rule: "PC_S3_PUBLIC_ACCESS_BLOCK",
    good: (s) =>
      new S3BucketPublicAccessBlock(s, "P", {
        bucket: bucket(s).id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
      }),
    bad: (s) =>
      new S3BucketPublicAccessBlock(s, "P", {
        bucket: bucket(s).id, blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: false,
      }),
    message: /leaves block_public_policy, restrict_public_buckets off/,
  },
  {
    rule: "PC_S3_TLS_ONLY",
    good: (s) => {
      const b = bucket(s);
      new S3BucketPolicy(s, "Pol", { bucket: b.id, policy: policyDocument([denyInsecureTransport(b.arn)]) });
    },
    bad: (s) => {
      const b = bucket(s);
      new S3BucketPolicy(s, "Pol", {
        bucket: b.id,
        policy: policyDocument([{ Sid: "Read", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "s3:GetObject", Resource: `${b.arn}/*` }]),
      });
    },
    message: /no bucket policy statement denies aws:SecureTransport = false/,
  },
  {
    rule: "PC_S3_LIFECYCLE",
    good: (s) =>
      new S3BucketLifecycleConfiguration(s, "L", {
        bucket: bucket(s).id,
        rule: [{ id: "abort", status: "Enabled", filter: [{}], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] }],
      }),
    bad: (s) =>
      new S3BucketLifecycleConfiguration(s, "L", {
        bucket: bucket(s).id,
        rule: [{ id: "expire", status: "Enabled", filter: [{}], expiration: [{ days: 30 }] }],
      }),
    message: /lifecycle never aborts incomplete multipart uploads/,
  },
  {
    rule: "PC_S3_REPLICATION",
    good: (s) =>
      new S3BucketReplicationConfigurationA(s, "R", {
        bucket: bucket(s).id,
        role: "arn:aws:iam::111122223333:role/r",
        rule: [{ id: "all", status: "Enabled", filter: {}, deleteMarkerReplication: { status: "Disabled" }, destination: { bucket: "arn:aws:s3:::replica-bucket" } }],
      }),
    bad: (s) => bucket(s),
    message: /has no replication configuration/,
  },
  {
    rule: "PC_S3_NO_DELETE_MARKER_REPLICATION",
    good: (s) =>
      new S3BucketReplicationConfigurationA(s, "R", {
        bucket: bucket(s).id,
        role: "arn:aws:iam::111122223333:role/r",
        rule: [{ id: "all", status: "Enabled", filter: {}, deleteMarkerReplication: { status: "Disabled" }, destination: { bucket: "arn:aws:s3:::replica-bucket" } }],
      }),
    bad: (s) =>
      new S3BucketReplicationConfigurationA(s, "R", {
        bucket: bucket(s).id,
        role: "arn:aws:iam::111122223333:role/r",
        rule: [{ id: "all", status: "Enabled", filter: {}, deleteMarkerReplication: { status: "Enabled" }, destination: { bucket: "arn:aws:s3:::replica-bucket" } }],
      }),
    message: /aws_s3_bucket_replication_configuration\.r.*rule all replicates delete markers \(status Enabled\)/,
  },
  {
    rule: "PC_S3_REPLICATION_METRICS",
    good: (s) =>
      new S3BucketReplicationConfigurationA(s, "R", {
        bucket: bucket(s).id,
        role: "arn:aws:iam::111122223333:role/r",
        rule: [
          { id: "all", status: "Enabled", filter: {}, deleteMarkerReplication: { status: "Disabled" }, destination: { bucket: "arn:aws:s3:::replica-bucket", metrics: { status: "Enabled" } } },
        ],
      }),
    bad: (s) =>
      new S3BucketReplicationConfigurationA(s, "R", {
        bucket: bucket(s).id,
        role: "arn:aws:iam::111122223333:role/r",
        rule: [
          {
            id: "all", status: "Enabled", filter: {}, deleteMarkerReplication: { status: "Disabled" },
            destination: { bucket: "arn:aws:s3:::replica-bucket", metrics: { status: "Enabled", eventThreshold: { minutes: 15 } } },
          },
        ],
      }),
    message: /aws_s3_bucket_replication_configuration\.r: rule all sets metrics\.event_threshold without replication_time enabled/,
  },
  {
    rule: "PC_S3_CDN_ORIGIN_NOT_KMS",
    good: (s) => cdnOrigin(s, "AES256"),
    bad: (s) => cdnOrigin(s, "aws:kms"),
    message: /aws_s3_bucket\.packages: is served through a CloudFront origin access identity but encrypts with aws:kms/,
  },
  {
    rule: "PC_S3_OBJECT_LOCK_MODE",
    good: (s) => lockedBucket(s, "COMPLIANCE", 30),
    bad: (s) => lockedBucket(s, "GOVERNANCE", 30),
    message: /aws_s3_bucket\.offsite: locks GOVERNANCE, 30 days; configured: COMPLIANCE, 30 days/,
  },
  {
    rule: "PC_S3_ACCESS_LOGGING",
    good: (s) => new S3BucketLoggingA(s, "Log", { bucket: bucket(s).id, targetBucket: "log-bucket", targetPrefix: "data/" }),
    bad: (s) => bucket(s),
    message: /has no access logging/,
  },
  {
    rule: "PC_S3_OWNER_ENFORCED",
    good: (s) => new S3BucketOwnershipControls(s, "O", { bucket: bucket(s).id, rule: { objectOwnership: "BucketOwnerEnforced" } }),
    bad: (s) => new S3BucketOwnershipControls(s, "O", { bucket: bucket(s).id, rule: { objectOwnership: "ObjectWriter" } }),
    message: /ACLs are not disabled/,
  },
  {
    rule: "PC_PREVENT_DESTROY",
    good: (s) => new KmsKey(s, "Key", { enableKeyRotation: true, lifecycle: { preventDestroy: true } }),
    bad: (s) => new KmsKey(s, "Key", { enableKeyRotation: true }),
    message: /aws_kms_key\.key.*can be destroyed by Terraform/,
  },
  {
    rule: "PC_KMS_ROTATION",
    good: (s) => new KmsKey(s, "Key", { enableKeyRotation: true }),
    bad: (s) => new KmsKey(s, "Key", {}),
    message: /rotation is off/,
  },
  {
    rule: "PC_IAM_NO_WILDCARDS",
    good: (s) =>
      new IamPolicy(s, "Pol", {
        policy: policyDocument([
          { Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::data-bucket/*" },
          { Sid: "List", Effect: "Allow", Action: "cloudfront:ListDistributions", Resource: "*" },
        ]),
      }),
    bad: (s) =>
      new IamPolicy(s, "Pol", {
        policy: policyDocument([
          { Sid: "All", Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::data-bucket" },
          { Sid: "Anywhere", Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
        ]),
      }),
    message: /statement All allows s3:\*/,
  },
  {
    rule: "PC_IAM_SCOPED_ROLE_DELEGATION",
    good: (s) =>
      new IamPolicy(s, "Pol", {
        policy: policyDocument([
          { Sid: "Create", Effect: "Allow", Action: ["iam:CreateRole", "iam:PutRolePolicy"], Resource: "arn:aws:iam::111122223333:role/app-edge" },
          { Sid: "Attach", Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: "arn:aws:iam::111122223333:role/app-edge", Condition: { ArnEquals: { "iam:PolicyARN": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" } } },
          { Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/app-edge", Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } },
          { Sid: "Policies", Effect: "Allow", Action: "iam:CreatePolicy", Resource: "arn:aws:iam::111122223333:policy/app-edge*" },
        ]),
      }),
    bad: (s) =>
      new IamPolicy(s, "Pol", {
        policy: policyDocument([
          { Sid: "Create", Effect: "Allow", Action: "iam:CreateRole", Resource: "arn:aws:iam::111122223333:role/*" },
          { Sid: "Attach", Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: "arn:aws:iam::111122223333:role/app-edge" },
          { Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/app-*" },
        ]),
      }),
    message:
      /statement Create allows iam:CreateRole on arn:aws:iam::111122223333:role\/\*, not a named role[\s\S]*statement Attach allows iam:AttachRolePolicy without an iam:PolicyARN[\s\S]*statement Pass allows iam:PassRole without an iam:PassedToService condition[\s\S]*statement Pass allows iam:PassRole on a wildcard role/,
  },
  {
    rule: "PC_IAM_NO_USER_POLICIES",
    good: (s) => new IamPolicy(s, "Pol", { policy: policyDocument([{ Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }]) }),
    bad: (s) => new IamUserPolicyAttachment(s, "Att", { user: "someone", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
    message: /attaches a policy directly to a user/,
  },
  {
    rule: "PC_IAM_WEB_IDENTITY_SCOPED",
    good: (s) => new IamRole(s, "Role", {
      name: "r",
      assumeRolePolicy: policyDocument([webIdentityTrust("arn:aws:iam::111122223333:oidc-provider/container.googleapis.com/v1/projects/p/locations/l/clusters/c", "https://container.googleapis.com/v1/projects/p/locations/l/clusters/c", "ns", "sa")]),
    }),
    bad: (s) => new IamRole(s, "Role", {
      name: "r",
      assumeRolePolicy: policyDocument([{ Sid: "AnyServiceAccount", Effect: "Allow", Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/x" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringLike: { "x:sub": "system:serviceaccount:*" } } }]),
    }),
    message: /aws_iam_role\.role: trusts web identities without a StringEquals condition on <provider>:sub and <provider>:aud/,
  },
  {
    rule: "PC_IAM_NO_USERS",
    good: (s) => new IamPolicy(s, "Pol", { policy: policyDocument([{ Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }]) }),
    bad: (s) => new IamUser(s, "Someone", { name: "someone" }),
    message: /aws_iam_user\.someone: is an IAM user/,
  },
  {
    rule: "PC_EC2_IMDSV2",
    good: (s) => instance(s, { metadataOptions: { httpTokens: "required" } }),
    bad: (s) => instance(s, { metadataOptions: { httpTokens: "optional" } }),
    message: /aws_instance\.web: allows IMDSv1 \(http_tokens optional\)/,
  },
  {
    rule: "PC_EC2_ENCRYPTED_ROOT",
    good: (s) => instance(s, {}),
    bad: (s) => instance(s, { rootBlockDevice: { encrypted: false } }),
    message: /root volume is not encrypted/,
  },
  {
    rule: "PC_EC2_MONITORING",
    good: (s) => instance(s, {}),
    bad: (s) => instance(s, { monitoring: false }),
    message: /detailed monitoring is off/,
  },
  {
    rule: "PC_EBS_ENCRYPTED_CMK",
    good: (s) => new EbsVolume(s, "Data", { availabilityZone: "us-west-1b", size: 10, encrypted: true, kmsKeyId: "arn:aws:kms:us-west-1:111122223333:key/k" }),
    bad: (s) => new EbsVolume(s, "Data", { availabilityZone: "us-west-1b", size: 10, encrypted: true }),
    message: /aws_ebs_volume\.data: is encrypted with the AWS-managed key/,
  },
  {
    rule: "PC_SG_NO_WORLD_ADMIN",
    good: (s) => ingressRule(s, 22, "10.0.0.0/24"),
    bad: (s) =>
      new SecurityGroupRule(s, "Ssh", { type: "ingress", securityGroupId: "sg-0123456789abcdef0", protocol: "tcp", fromPort: 0, toPort: 1024, cidrBlocks: ["0.0.0.0/0"], description: "wide" }),
    message: /aws_security_group_rule\.ssh: opens port 22 to 0\.0\.0\.0\/0/,
  },
  {
    rule: "PC_SG_WORLD_HTTP",
    good: (s) => ingressRule(s, 443, "0.0.0.0/0"),
    bad: (s) => ingressRule(s, 80, "::/0"),
    message: /opens port 80 to ::\/0/,
  },
  {
    rule: "PC_SG_DESCRIPTIONS",
    good: (s) => ingressRule(s, 443, "10.0.0.0/24"),
    bad: (s) => new SecurityGroup(s, "Group", { description: "web", ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/24"] }] }),
    message: /aws_security_group\.group: a rule has no description/,
  },
  {
    rule: "PC_GKE_PRIVATE_NODES",
    good: (s) => cluster(s),
    bad: (s) => cluster(s, { privateClusterConfig: { enablePrivateNodes: false } }),
    message: /google_container_cluster\.gke: nodes have public addresses/,
  },
  {
    rule: "PC_GKE_AUTHORIZED_NETWORKS",
    good: (s) => cluster(s),
    bad: (s) => cluster(s, { masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "0.0.0.0/0" }] } }),
    message: /authorizes 0\.0\.0\.0\/0 to reach the control plane/,
  },
  {
    rule: "PC_GKE_WORKLOAD_IDENTITY",
    good: (s) => nodePool(s),
    bad: (s) => nodePool(s, { workloadMetadataConfig: { mode: "GCE_METADATA" } }),
    message: /google_container_node_pool\.pool: pods can reach the node's metadata and credentials/,
  },
  {
    rule: "PC_GKE_RELEASE_CHANNEL",
    good: (s) => cluster(s),
    bad: (s) => cluster(s, { releaseChannel: { channel: "UNSPECIFIED" } }),
    message: /follows no release channel/,
  },
  {
    rule: "PC_GKE_SHIELDED_NODES",
    good: (s) => nodePool(s),
    bad: (s) => nodePool(s, { shieldedInstanceConfig: { enableSecureBoot: false, enableIntegrityMonitoring: true } }),
    message: /enable_secure_boot off/,
  },
  {
    rule: "PC_GKE_NETWORK_POLICY",
    good: (s) => cluster(s),
    bad: (s) => cluster(s, { datapathProvider: "LEGACY_DATAPATH" }),
    message: /does not enforce NetworkPolicy/,
  },
  {
    rule: "PC_GKE_LEGACY_AUTH_OFF",
    good: (s) => cluster(s),
    bad: (s) => cluster(s, { enableLegacyAbac: true }),
    message: /legacy ABAC is on/,
  },
  {
    rule: "PC_GKE_LABELS",
    good: (s) => cluster(s),
    bad: (s) => cluster(s, { resourceLabels: {} }),
    message: /has no resource labels/,
  },
  {
    rule: "PC_GKE_INTRANODE_VISIBILITY",
    good: (s) => cluster(s),
    bad: (s) => cluster(s, { enableIntranodeVisibility: false }),
    message: /intranode visibility is off/,
  },
  {
    rule: "PC_GKE_BINARY_AUTHORIZATION",
    good: (s) => cluster(s),
    bad: (s) => cluster(s, { binaryAuthorization: { evaluationMode: "DISABLED" } }),
    message: /Binary Authorization is not enforced/,
  },
  {
    rule: "PC_GKE_GROUPS_RBAC",
    good: (s) => cluster(s),
    bad: (s) => cluster(s, { authenticatorGroupsConfig: undefined }),
    message: /has no Google Groups for RBAC/,
  },
  {
    rule: "PC_GKE_NODE_POOL_MANAGEMENT",
    good: (s) => nodePool(s),
    bad: (s) => nodePool(s, { imageType: "UBUNTU_CONTAINERD" }, false),
    message: /auto-repair is off[\s\S]*image UBUNTU_CONTAINERD is not Container-Optimized OS/,
  },
  {
    rule: "PC_GKE_DELETION_PROTECTION",
    good: (s) => cluster(s),
    bad: (s) => cluster(s, { deletionProtection: false }),
    message: /deletion_protection is off/,
  },
  {
    rule: "PC_SQL_PRIVATE_TLS",
    good: (s) => sqlInstance(s),
    bad: (s) => sqlInstance(s, { ipConfiguration: { ipv4Enabled: true, authorizedNetworks: [{ value: "0.0.0.0/0" }] } }),
    message: /has a public IP[\s\S]*authorizes 0\.0\.0\.0\/0[\s\S]*accepts unencrypted connections/,
  },
  {
    rule: "PC_SQL_BACKUPS",
    good: (s) => sqlInstance(s),
    bad: (s) => sqlInstance(s, { backupConfiguration: { enabled: true, binaryLogEnabled: false } }),
    message: /binary logging \(point-in-time recovery\) is off/,
  },
  {
    rule: "PC_SQL_MYSQL_FLAGS",
    good: (s) => sqlInstance(s),
    bad: (s) => sqlInstance(s, { databaseFlags: [{ name: "local_infile", value: "on" }] }),
    message: /local_infile is not off[\s\S]*skip_show_database is not on/,
  },
  {
    rule: "PC_SQL_CMEK",
    good: (s) => sqlInstance(s),
    bad: (s) => sqlInstance(s, {}, { encryptionKeyName: undefined }),
    message: /uses a Google-managed key/,
  },
  {
    rule: "PC_SQL_DISK_AUTORESIZE",
    good: (s) => sqlInstance(s, { diskSize: 50, diskAutoresize: true }, { lifecycle: { preventDestroy: true, ignoreChanges: ["settings[0].disk_size"] } }),
    bad: (s) => sqlInstance(s, { diskSize: 50, diskAutoresize: true }),
    message: /google_sql_database_instance\.db: sets disk_size with disk_autoresize on/,
  },
  {
    rule: "PC_MONITORING_NEW_METRIC_VALIDATION",
    good: (s) => promqlAlert(s, true),
    bad: (s) => promqlAlert(s, false),
    message: /google_monitoring_alert_policy\.stale: queries a log-based metric that may not exist yet/,
  },
  {
    rule: "PC_GKE_REGIONAL_POOL_TOTALS",
    good: (s) => new ContainerNodePool(s, "Pool", { cluster: "gke", location: "us-east1", autoscaling: { totalMinNodeCount: 1, totalMaxNodeCount: 3 } }),
    bad: (s) => new ContainerNodePool(s, "Pool", { cluster: "gke", location: "us-east1", autoscaling: { minNodeCount: 1, maxNodeCount: 3 } }),
    message: /google_container_node_pool\.pool: is regional \(us-east1\) but sized per zone/,
  },
  {
    rule: "PC_SQL_DELETION_PROTECTION",
    good: (s) => sqlInstance(s),
    bad: (s) => sqlInstance(s, { deletionProtectionEnabled: false }),
    message: /the API deletion protection is off/,
  },
  {
    rule: "PC_REDIS_AUTH_TLS",
    good: (s) => redis(s),
    bad: (s) => redis(s, { authEnabled: false, transitEncryptionMode: "DISABLED" }),
    message: /AUTH is off[\s\S]*not encrypted in transit/,
  },
  {
    rule: "PC_UNIQUE_NAME_REPLACEMENT",
    good: (s) => new SecurityGroup(s, "Sg", { namePrefix: "packagecloud-ops-vm-", description: "web", lifecycle: { createBeforeDestroy: true } }),
    bad: (s) => new SecurityGroup(s, "Sg", { name: "packagecloud-ops-vm", description: "web", lifecycle: { createBeforeDestroy: true } }),
    message: /aws_security_group\.sg: has a fixed name \("packagecloud-ops-vm"\) and create_before_destroy: a replacement collides/,
  },
  {
    rule: "PC_DNS_RECORDS",
    good: (s) => new DnsRecord(s, "Record", { zoneId: "z", name: "packages.example.com", type: "A", content: "192.0.2.1", proxied: true, ttl: 1 }),
    bad: (s) => {
      new DnsRecord(s, "Record", { zoneId: "z", name: "packages.example.com", type: "A", content: "192.0.2.1", proxied: true, ttl: 300 });
      new DnsRecordSet(s, "Other", { managedZone: "z", name: "x.example.com.", type: "A", ttl: 5, rrdatas: ["192.0.2.1"] });
    },
    message: /is proxied with ttl 300; Cloudflare only accepts 1[\s\S]*google_dns_record_set\.other: has ttl 5/,
  },
];

describe.each(RULES.map((r) => [`${r.id}${r.maps.length ? ` (${r.maps.join(", ")})` : ""}`, r] as const))("%s", (_title, r) => {
  const c = CASES.find((candidate) => candidate.rule === r.id);

  it("has a compliant and a non-compliant case", () => {
    expect(c).toBeDefined();
  });

  it("passes a compliant resource", () => {
    expect(r.check(rawStack(c!.good))).toEqual([]);
  });

  it("flags a non-compliant resource, naming the address", () => {
    const findings = r.check(rawStack(c!.bad));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map((f) => `${f.address}: ${f.message}`).join("\n")).toMatch(c!.message);
  });

  it.each(ALL_STACKS)("holds for every resource of packagecloud-%s-%s, or is suppressed with a reason", (env, layer) => {
    const report = evaluate(sharedStack(env, layer).json);
    expect(report.violations.filter((f) => f.rule === r.id)).toEqual([]);
    for (const s of report.suppressed.filter((f) => f.rule === r.id)) expect(s.reason.length).toBeGreaterThan(20);
  });
});

it("PC_S3_OBJECT_LOCK_MODE also flags a lock the configuration does not declare, and a configured bucket left unlocked", () => {
  const r = rule("PC_S3_OBJECT_LOCK_MODE");
  const stray = r.check(rawStack((s) => new S3Bucket(s, "Stray", { bucket: "stray-bucket", objectLockEnabled: true })));
  expect(stray.map((f) => f.message)).toEqual(["has Object Lock, but the configuration locks no bucket of that name"]);
  const unlocked = r.check(rawStack((s) => new S3Bucket(s, "Offsite", { bucket: "gitlab-packagecloud-db-offsite-backups" })));
  expect(unlocked.map((f) => f.message)).toEqual(["has no Object Lock; configured: COMPLIANCE, 30 days"]);
});

it("PC_IAM_NO_WILDCARDS also flags Resource \"*\" on an action AWS can scope", () => {
  const findings = rule("PC_IAM_NO_WILDCARDS").check(
    rawStack((s) => new IamPolicy(s, "Pol", { policy: policyDocument([{ Sid: "Anywhere", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }]) })),
  );
  expect(findings.map((f) => f.message)).toEqual(['statement Anywhere allows s3:GetObject on Resource "*"']);
});

it("PC_S3_REPLICATION_METRICS accepts an event threshold with Replication Time Control, and refuses RTC without metrics", () => {
  const r = rule("PC_S3_REPLICATION_METRICS");
  const replication = (destination: Record<string, unknown>) =>
    rawStack((s) =>
      new S3BucketReplicationConfigurationA(s, "R", {
        bucket: bucket(s).id,
        role: "arn:aws:iam::111122223333:role/r",
        rule: [{ id: "all", status: "Enabled", filter: {}, deleteMarkerReplication: { status: "Disabled" }, destination: { bucket: "arn:aws:s3:::replica-bucket", ...destination } }],
      }),
    );
  expect(r.check(replication({ metrics: { status: "Enabled", eventThreshold: { minutes: 15 } }, replicationTime: { status: "Enabled", time: { minutes: 15 } } }))).toEqual([]);
  expect(r.check(replication({ replicationTime: { status: "Enabled", time: { minutes: 15 } } })).map((f) => f.message)).toEqual([
    "rule all sets replication_time without metrics enabled; S3 requires both",
  ]);
});

it("PC_S3_CDN_ORIGIN_NOT_KMS also flags any bucket whose policy grants an origin access identity", () => {
  const findings = rule("PC_S3_CDN_ORIGIN_NOT_KMS").check(
    rawStack((s) => {
      const b = bucket(s);
      new S3BucketServerSideEncryptionConfigurationA(s, "E", { bucket: b.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse" } }] });
      new S3BucketPolicy(s, "Pol", {
        bucket: b.id,
        policy: policyDocument([
          { Sid: "Cdn", Effect: "Allow", Principal: { AWS: "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLE" }, Action: "s3:GetObject", Resource: `${b.arn}/*` },
        ]),
      });
    }),
  );
  expect(findings.map((f) => `${f.address}: ${f.message}`)).toEqual([
    "aws_s3_bucket.data: is served through a CloudFront origin access identity but encrypts with aws:kms:dsse: the OAI cannot decrypt, every CDN fetch is a 403",
  ]);
});

it("PC_PREVENT_DESTROY also covers compliance locks (a Backup Vault Lock is immutable after changeable_for_days)", () => {
  const r = rule("PC_PREVENT_DESTROY");
  const lock = (lifecycle?: { preventDestroy: boolean }) => (s: TerraformStack) =>
    new BackupVaultLockConfiguration(s, "Lock", { backupVaultName: "vault", minRetentionDays: 14, maxRetentionDays: 35, changeableForDays: 3, lifecycle });
  expect(r.check(rawStack(lock({ preventDestroy: true })))).toEqual([]);
  expect(r.check(rawStack(lock())).map((f) => `${f.address}: ${f.message}`)).toEqual([
    "aws_backup_vault_lock_configuration.lock: can be destroyed or replaced by Terraform, though AWS refuses to delete the lock once it is immutable",
  ]);
});

it("PC_UNIQUE_NAME_REPLACEMENT leaves a fixed name alone when the resource is destroyed before it is replaced", () => {
  const findings = rule("PC_UNIQUE_NAME_REPLACEMENT").check(rawStack((s) => new SecurityGroup(s, "Sg", { name: "fixed", description: "web" })));
  expect(findings).toEqual([]);
});
