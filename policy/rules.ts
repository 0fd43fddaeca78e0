/**
 * Every rule of the policy pack. A rule file per rule; this list is the table of contents.
 */
import type { Rule } from "./engine";
import { gkePrivateNodes } from "./rules/gke-private-nodes";
import { gkeAuthorizedNetworks } from "./rules/gke-authorized-networks";
import { gkeWorkloadIdentity } from "./rules/gke-workload-identity";
import { gkeReleaseChannel } from "./rules/gke-release-channel";
import { gkeShieldedNodes } from "./rules/gke-shielded-nodes";
import { gkeNetworkPolicy } from "./rules/gke-network-policy";
import { gkeLegacyAuthOff } from "./rules/gke-legacy-auth-off";
import { gkeLabels } from "./rules/gke-labels";
import { gkeIntranodeVisibility } from "./rules/gke-intranode-visibility";
import { gkeBinaryAuthorization } from "./rules/gke-binary-authorization";
import { gkeGroupsRbac } from "./rules/gke-groups-rbac";
import { gkeNodePoolManagement } from "./rules/gke-node-pool-management";
import { gkeDeletionProtection } from "./rules/gke-deletion-protection";
import { sqlPrivateTls } from "./rules/sql-private-tls";
import { sqlBackups } from "./rules/sql-backups";
import { sqlMysqlFlags } from "./rules/sql-mysql-flags";
import { sqlCmek } from "./rules/sql-cmek";
import { sqlDeletionProtection } from "./rules/sql-deletion-protection";
import { sqlDiskAutoresize } from "./rules/sql-disk-autoresize";
import { monitoringNewMetricValidation } from "./rules/monitoring-new-metric-validation";
import { gkeRegionalPoolTotals } from "./rules/gke-regional-pool-totals";
import { redisAuthTls } from "./rules/redis-auth-tls";
import { dnsRecords } from "./rules/dns-records";
import { ebsEncrypted } from "./rules/ebs-encrypted";
import { ec2EncryptedRoot } from "./rules/ec2-encrypted-root";
import { ec2Imdsv2 } from "./rules/ec2-imdsv2";
import { ec2Monitoring } from "./rules/ec2-monitoring";
import { sgDescriptions } from "./rules/sg-descriptions";
import { sgNoWorldAdmin } from "./rules/sg-no-world-admin";
import { sgWorldHttp } from "./rules/sg-world-http";
import { iamNoUserPolicies } from "./rules/iam-no-user-policies";
import { iamWebIdentityScoped } from "./rules/iam-web-identity-scoped";
import { iamNoUsers } from "./rules/iam-no-users";
import { iamNoWildcards } from "./rules/iam-no-wildcards";
import { kmsRotation } from "./rules/kms-rotation";
import { preventDestroy } from "./rules/prevent-destroy";
import { s3AccessLogging } from "./rules/s3-access-logging";
import { s3DeleteMarkerReplication } from "./rules/s3-delete-marker-replication";
import { s3DenyInsecureTransport } from "./rules/s3-deny-insecure-transport";
import { s3KmsEncryption } from "./rules/s3-kms-encryption";
import { s3ObjectLockMode } from "./rules/s3-object-lock-mode";
import { s3Lifecycle } from "./rules/s3-lifecycle";
import { s3OwnershipEnforced } from "./rules/s3-ownership-enforced";
import { s3PublicAccessBlock } from "./rules/s3-public-access-block";
import { s3Replication } from "./rules/s3-replication";
import { s3ReplicationMetrics } from "./rules/s3-replication-metrics";
import { s3CdnOriginEncryption } from "./rules/s3-cdn-origin-encryption";
import { iamScopedRoleDelegation } from "./rules/iam-scoped-role-delegation";
import { s3Versioning } from "./rules/s3-versioning";
import { uniqueNameReplacement } from "./rules/unique-name-replacement";

export const RULES: readonly Rule[] = [
  s3Versioning,
  s3KmsEncryption,
  s3PublicAccessBlock,
  s3DenyInsecureTransport,
  s3Lifecycle,
  s3Replication,
  s3DeleteMarkerReplication,
  s3ReplicationMetrics,
  s3CdnOriginEncryption,
  s3ObjectLockMode,
  s3AccessLogging,
  s3OwnershipEnforced,
  preventDestroy,
  kmsRotation,
  iamNoWildcards,
  iamScopedRoleDelegation,
  iamNoUserPolicies,
  iamWebIdentityScoped,
  iamNoUsers,
  ec2Imdsv2,
  ec2EncryptedRoot,
  ec2Monitoring,
  ebsEncrypted,
  sgNoWorldAdmin,
  sgWorldHttp,
  sgDescriptions,
  gkePrivateNodes,
  gkeAuthorizedNetworks,
  gkeWorkloadIdentity,
  gkeReleaseChannel,
  gkeShieldedNodes,
  gkeNetworkPolicy,
  gkeLegacyAuthOff,
  gkeLabels,
  gkeIntranodeVisibility,
  gkeBinaryAuthorization,
  gkeRegionalPoolTotals,
  sqlDiskAutoresize,
  monitoringNewMetricValidation,
  gkeGroupsRbac,
  gkeNodePoolManagement,
  gkeDeletionProtection,
  sqlPrivateTls,
  sqlBackups,
  sqlMysqlFlags,
  sqlCmek,
  sqlDeletionProtection,
  redisAuthTls,
  dnsRecords,
  uniqueNameReplacement,
];
