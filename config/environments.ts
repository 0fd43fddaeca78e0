/**
 * The environments, as data. Differences between `pre` and `ops` live here and nowhere else.
 *
 * Names follow the seeds: `ops` serves packages.gitlab.com from `packages-gitlab-com`, replicated to
 * `packages-gitlab-com-replica` in eu-central-1 (seed 001); `pre` serves packages.pre.gke.gitlab.net.
 * Account ids and CIDRs are this organisation's: change them here, and the loader re-checks everything.
 */
import type { EnvName, EnvironmentInput } from "./schema";

export const ENVIRONMENTS: Record<EnvName, EnvironmentInput> = {
  pre: {
    name: "pre",
    variant: "gke",
    aws: { accountId: "210987654321", region: "us-west-1", replicaRegion: "eu-central-1" },
    storage: {
      packages: {
        bucketName: "packages-pre-gke-gitlab-net",
        replicaBucketName: "packages-pre-gke-gitlab-net-replica",
        noncurrentVersionDays: 7,
      },
      // pre may use GOVERNANCE so that a break-glass role can clean up test data; ops may not.
      offsiteBackups: {
        bucketName: "packagecloud-pre-db-offsite-backups",
        prefix: "backups/",
        objectLock: { mode: "GOVERNANCE", days: 7 },
        expireAfterDays: 8,
      },
      dailyBackups: { bucketName: "packagecloud-pre-db-backups", prefix: "backups/", expireAfterDays: 14 },
      accessLogs: {
        bucketName: "packagecloud-pre-access-logs-usw1",
        replicaBucketName: "packagecloud-pre-access-logs-euc1",
        expireAfterDays: 30,
      },
    },
    application: { edgeLambdaRoleName: "packagecloud-pre-edge-lambda", edgeFunctionPrefix: "packagecloud-pre-" },
    network: { adminCidrs: ["10.250.0.0/24"], prometheusCidrs: ["10.251.0.0/24"] },
    state: { bucket: "packagecloud-pre-terraform-state", region: "us-west-1", keyPrefix: "packagecloud/" },
  },
  ops: {
    name: "ops",
    variant: "gke",
    aws: { accountId: "855261479204", region: "us-west-1", replicaRegion: "eu-central-1" },
    storage: {
      packages: {
        bucketName: "packages-gitlab-com",
        replicaBucketName: "packages-gitlab-com-replica",
        noncurrentVersionDays: 30,
      },
      // Seed 004 (copycat-db): object lock in COMPLIANCE mode, 30 days; old backups expire.
      offsiteBackups: {
        bucketName: "gitlab-packagecloud-db-offsite-backups",
        prefix: "backups/",
        objectLock: { mode: "COMPLIANCE", days: 30 },
        expireAfterDays: 31,
      },
      // Seed 000: daily xbstream backups in gitlab-packagecloud-db-backups, kept 14 days.
      dailyBackups: { bucketName: "gitlab-packagecloud-db-backups", prefix: "backups/", expireAfterDays: 14 },
      accessLogs: {
        bucketName: "packagecloud-ops-access-logs-usw1",
        replicaBucketName: "packagecloud-ops-access-logs-euc1",
        expireAfterDays: 90,
      },
    },
    application: { edgeLambdaRoleName: "packagecloud-ops-edge-lambda", edgeFunctionPrefix: "packagecloud-ops-" },
    network: { adminCidrs: ["10.240.0.0/24"], prometheusCidrs: ["10.241.0.0/24", "10.241.8.0/24"] },
    state: { bucket: "packagecloud-ops-terraform-state", region: "us-west-1", keyPrefix: "packagecloud/" },
  },
};
