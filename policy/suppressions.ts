/**
 * Every policy finding the project accepts, with the reason. One table: a reviewer reads the project's whole
 * security exception list here. An entry without a reason, or one that no longer matches a finding, fails synth.
 *
 * `resource` is a Terraform address (`type.name`) in the stack, or `type.*` for every resource of a type.
 */
export interface Suppression {
  readonly rule: string;
  readonly resource: string;
  readonly reason: string;
}

const LOG_BUCKETS = ["aws_s3_bucket.access_logs", "aws_s3_bucket.replica_access_logs"];

export const SUPPRESSIONS: readonly Suppression[] = [
  ...LOG_BUCKETS.map((resource) => ({
    rule: "PC_S3_KMS_ENCRYPTION",
    resource,
    reason: "S3 server access log delivery writes only into SSE-S3 (AES256) buckets; SSE-KMS targets drop the logs",
  })),
  ...["aws_s3_bucket.packages_source", "aws_s3_bucket.packages_replica"].map((resource) => ({
    rule: "PC_S3_KMS_ENCRYPTION",
    resource,
    reason:
      "SSE-S3 on purpose: packagecloud serves packages through CloudFront with an origin access identity, which cannot read " +
      "SSE-KMS objects (CloudFront Developer Guide, private-content-restricting-access-to-s3). The packages are public and signed; " +
      "a customer key would cost a KMS request per cache miss and risk KMS throttling at CDN scale for no confidentiality gain",
  })),
  ...LOG_BUCKETS.map((resource) => ({
    rule: "PC_S3_ACCESS_LOGGING",
    resource,
    reason: "A log bucket that logs its own access logs into itself loops; reads of the logs are rare and audited by CloudTrail",
  })),
  ...LOG_BUCKETS.map((resource) => ({
    rule: "PC_S3_REPLICATION",
    resource,
    reason: "Access logs are diagnostic and expire; a second region's copy would not be used",
  })),
  {
    rule: "PC_S3_REPLICATION",
    resource: "aws_s3_bucket.packages_replica",
    reason: "It is the replication destination of the package bucket (seed 001): replicating it again adds a third copy of the same bytes",
  },
  {
    rule: "PC_S3_REPLICATION",
    resource: "aws_s3_bucket.offsite_backups_bucket",
    reason: "It is itself the offsite copy of the database (seed 004); its protection is Object Lock, not a replica",
  },
  {
    rule: "PC_S3_REPLICATION",
    resource: "aws_s3_bucket.daily_backups_bucket",
    reason: "Daily backups are kept 14 days for quick restores; the offsite Object-Locked bucket is the second copy",
  },
  {
    rule: "PC_S3_REPLICATION",
    resource: "aws_s3_bucket.vm_config_bucket",
    reason:
      "The VM's configuration bundle is generated from this repository at every apply; a second region's copy would " +
      "hold nothing the repository and the next apply do not (constructs/vm-config.ts)",
  },
  {
    rule: "PC_S3_ACCESS_LOGGING",
    resource: "aws_s3_bucket.vm_config_bucket",
    reason:
      "One object, written by Terraform and read by the VM's role only (its IAM policy names the key); CloudTrail " +
      "records both. The access-log bucket lives in the storage stack, which the VM stack does not depend on",
  },
  ...["aws_vpc_security_group_ingress_rule.vm_http_ipv4", "aws_vpc_security_group_ingress_rule.vm_http_ipv6"].map((resource) => ({
    rule: "PC_SG_WORLD_HTTP",
    resource,
    reason: "A public package server: apt and yum clients fetch over HTTP from anywhere (packages are signed); the UI redirects to HTTPS",
  })),
  {
    rule: "PC_GKE_GROUPS_RBAC",
    resource: "google_container_cluster.cluster",
    reason:
      "Cluster access is granted through Google Cloud IAM roles (container.developer/viewer) to the SRE group; Google " +
      "Groups for RBAC needs a Workspace gke-security-groups group this organisation has not set up",
  },
  {
    rule: "PC_IAM_NO_USERS",
    resource: "aws_iam_user.application_user",
    reason:
      "packagecloud runs on GKE, outside AWS, and authenticates to S3 and CloudFront with an access key (seed 001). " +
      "The key is created out of band, so it is not in state; rights come only from the group",
  },
];
