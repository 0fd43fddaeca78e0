/**
 * The environments, as data. Differences between `pre` and `ops` live here and nowhere else.
 *
 * Names follow the seeds: `ops` serves packages.gitlab.com from `packages-gitlab-com`, replicated to
 * `packages-gitlab-com-replica` in eu-central-1 (seed 001); `pre` serves packages.pre.gke.gitlab.net.
 * Account ids and CIDRs are this organisation's: change them here, and the loader re-checks everything.
 */
import type { EnvName, EnvironmentInput } from "./schema";

/**
 * packagecloud:enterprise's apt repository (seed 000: the computology_packagecloud-enterprise source list).
 * Its read token never goes here (it would land in user data and state): see README, "The VM variant".
 */
const PACKAGECLOUD_APT = {
  url: "https://packagecloud.io/computology/packagecloud-enterprise/ubuntu/",
  distribution: "jammy",
  component: "main",
  signingKeyUrl: "https://packagecloud.io/computology/packagecloud-enterprise/gpgkey",
};

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
        serveFrom: "source",
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
    // No SSH: administrators use Session Manager. The VM's managed VPC routes only to the internet, so Prometheus
    // scrapes from its servers' public egress addresses (Cloud NAT). 203.0.113.0/24 is RFC 5737 documentation
    // space standing in for those addresses: replace it with the real egress IPs before a real deploy.
    network: { prometheusCidrs: ["203.0.113.10/32"] },
    vm: {
      instanceType: "c4.2xlarge",
      amiId: "ami-0a1b2c3d4e5f60718",
      availabilityZone: "us-west-1b",
      rootVolumeGiB: 8,
      dataVolumeGiB: 2048,
      terminationProtection: false,
      network: { mode: "managed", vpcCidr: "10.60.0.0/16", subnetCidr: "10.60.1.0/24" },
      packagecloudApt: PACKAGECLOUD_APT,
      // pre's lock stays in governance mode so that test recovery points can be cleaned up.
      snapshots: { startHourUtc: 3, retainDays: 14, vaultLock: { minRetentionDays: 7, maxRetentionDays: 35 } },
    },
    gcp: {
      project: "gitlab-pre",
      projectNumber: "310000000001",
      region: "us-east1",
      network: {
        subnetCidr: "10.80.0.0/20",
        podsCidr: "10.84.0.0/14",
        servicesCidr: "10.88.0.0/20",
        masterCidr: "10.89.0.0/28",
        privateServiceCidr: "10.90.0.0/20",
      },
      cluster: {
        name: "pre-gitlab-gke",
        location: "us-east1-b",
        releaseChannel: "REGULAR",
        masterAuthorizedNetworks: [{ name: "admins", cidr: "10.250.0.0/24" }],
        maintenanceRecurrence: "FREQ=WEEKLY;BYDAY=TU,WE,TH",
        maintenanceStartUtc: "14:00",
        maintenanceEndUtc: "18:00",
        nodePools: {
          serving: { machineType: "n2-standard-2", minNodes: 1, maxNodes: 3, diskGb: 50 },
          background: { machineType: "n2-standard-2", minNodes: 1, maxNodes: 2, diskGb: 50 },
        },
      },
      workload: { namespace: "packagecloud", serviceAccount: "packagecloud" },
      sql: {
        tier: "db-custom-2-7680",
        availability: "ZONAL",
        diskGb: 50,
        retainedBackups: 30,
        transactionLogRetentionDays: 7,
        backupStartUtc: "03:00",
        maintenanceDay: 2,
        maintenanceHourUtc: 14,
      },
      redis: { tier: "BASIC", memoryGb: 1, version: "REDIS_7_0" },
    },
    // Seed 001: pre is served at packages.pre.gke.gitlab.net from an existing Cloud DNS zone.
    dns: { provider: "cloud-dns", managedZone: "pre-gke-gitlab-net", zoneName: "pre.gke.gitlab.net", recordName: "packages.pre.gke.gitlab.net", ttl: 300 },
    monitoring: {
      runbookUrl: "https://runbooks.gitlab.net/packagecloud/backups",
      offsiteBackups: { maxAgeHours: 36, minSizeBytes: 1048576 },
      dailyBackups: { maxAgeHours: 36, minSizeBytes: 1048576 },
      cloudSqlBackups: { maxAgeHours: 36 },
      replication: { maxLatencySeconds: 3600 },
      notifications: {
        emails: ["packagecloud-alerts-pre@gitlab.com"],
        httpsEndpointVariables: ["alerts_webhook_url"],
        gcpChannels: ["projects/gitlab-pre/notificationChannels/1000000000000000001"],
      },
    },
    state: { bucket: "packagecloud-pre-terraform-state", region: "us-west-1", keyPrefix: "packagecloud/", gcsBucket: "gitlab-pre-terraform-state" },
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
        // Disaster recovery: "replica" serves packages from eu-central-1 if us-west-1 is lost.
        serveFrom: "source",
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
    // As pre: Session Manager instead of SSH; Prometheus's public egress addresses (RFC 5737 placeholders).
    network: { prometheusCidrs: ["203.0.113.20/32", "203.0.113.21/32"] },
    vm: {
      // Seed 000: c4.2xlarge, 8 GB gp2 root, 2 TB gp2 data disk (xfs) at /var/opt/packagecloud.
      instanceType: "c4.2xlarge",
      amiId: "ami-0f1e2d3c4b5a69788",
      availabilityZone: "us-west-1b",
      rootVolumeGiB: 8,
      dataVolumeGiB: 2048,
      terminationProtection: true,
      network: { mode: "managed", vpcCidr: "10.70.0.0/16", subnetCidr: "10.70.1.0/24" },
      packagecloudApt: PACKAGECLOUD_APT,
      // Seed 000: snapshots kept 14 days; the vault lock turns immutable three days after it is first applied.
      snapshots: { startHourUtc: 3, retainDays: 14, vaultLock: { minRetentionDays: 14, maxRetentionDays: 35, changeableForDays: 3 } },
    },
    gcp: {
      project: "gitlab-ops",
      projectNumber: "320000000002",
      region: "us-east1",
      network: {
        subnetCidr: "10.100.0.0/20",
        podsCidr: "10.104.0.0/14",
        servicesCidr: "10.108.0.0/20",
        masterCidr: "10.109.0.0/28",
        privateServiceCidr: "10.110.0.0/20",
      },
      cluster: {
        // Seed 001: ops runs in ops-gitlab-gke.
        name: "ops-gitlab-gke",
        location: "us-east1",
        releaseChannel: "STABLE",
        masterAuthorizedNetworks: [{ name: "admins", cidr: "10.240.0.0/24" }],
        maintenanceRecurrence: "FREQ=WEEKLY;BYDAY=SA,SU",
        maintenanceStartUtc: "03:00",
        maintenanceEndUtc: "07:00",
        nodePools: {
          serving: { machineType: "n2-standard-4", minNodes: 2, maxNodes: 6, diskGb: 100 },
          background: { machineType: "n2-standard-4", minNodes: 1, maxNodes: 4, diskGb: 100 },
        },
      },
      workload: { namespace: "packagecloud", serviceAccount: "packagecloud" },
      sql: {
        tier: "db-custom-8-30720",
        availability: "REGIONAL",
        diskGb: 500,
        // Seed 001: Google-managed daily backups, 30 kept.
        retainedBackups: 30,
        transactionLogRetentionDays: 7,
        backupStartUtc: "03:00",
        maintenanceDay: 7,
        maintenanceHourUtc: 5,
      },
      redis: { tier: "STANDARD_HA", memoryGb: 5, version: "REDIS_7_0" },
    },
    // Seed 001: ops serves packages.gitlab.com through Cloudflare.
    dns: { provider: "cloudflare", zoneId: "0123456789abcdef0123456789abcdef", zoneName: "gitlab.com", recordName: "packages.gitlab.com", proxied: true, ttl: 1 },
    // Seed 002: page when the newest successful backup is older than 36 h, or missing, or too small, or failed.
    monitoring: {
      runbookUrl: "https://runbooks.gitlab.net/packagecloud/backups",
      // Set the minimum to ~80% of the current dump size and revisit it as the database grows.
      offsiteBackups: { maxAgeHours: 36, minSizeBytes: 1073741824 },
      dailyBackups: { maxAgeHours: 36, minSizeBytes: 1073741824 },
      cloudSqlBackups: { maxAgeHours: 36 },
      replication: { maxLatencySeconds: 900 },
      notifications: {
        emails: ["packagecloud-alerts@gitlab.com"],
        httpsEndpointVariables: ["pagerduty_cloudwatch_url"],
        gcpChannels: ["projects/gitlab-ops/notificationChannels/2000000000000000002"],
      },
    },
    state: { bucket: "packagecloud-ops-terraform-state", region: "us-west-1", keyPrefix: "packagecloud/", gcsBucket: "gitlab-ops-terraform-state" },
  },
};
