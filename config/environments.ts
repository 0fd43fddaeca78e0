/**
 * The environments, as data. Differences between `pre` and `ops` live here and nowhere else.
 *
 * Names follow the seeds: `ops` serves packages.gitlab.com from `packages-gitlab-com`, replicated to
 * `packages-gitlab-com-replica` in eu-central-1 (seed 001); `pre` serves packages.pre.gke.gitlab.net.
 * Account ids and CIDRs are this organisation's: change them here, and the loader re-checks everything.
 * Values wrapped in `placeholder(...)` are this repository's stand-ins: plan and apply against real AWS, Google
 * and Cloudflare refuse an environment until each is replaced (config/placeholders.ts).
 */
import { environment, placeholder } from "./placeholders";
import type { EnvName, EnvironmentInput } from "./schema";

/**
 * packagecloud:enterprise's apt repository (seed 000: the computology_packagecloud-enterprise source list).
 * Its read token never goes here (it would land in user data and state): see docs/vm.md. Each environment adds
 * the exact version its VM installs and holds (`version`).
 */
const PACKAGECLOUD_APT = {
  url: "https://packagecloud.io/computology/packagecloud-enterprise/ubuntu/",
  distribution: "jammy",
  component: "main",
  signingKeyUrl: "https://packagecloud.io/computology/packagecloud-enterprise/gpgkey",
};

// Issue 13: the offsite backup job and its restore verification. The image digests and the age recipient are
// placeholders like the account ids: set the digest of your build of backup/Dockerfile, of the MySQL image and of
// Google's Cloud SQL Auth Proxy image at the version backup/jobs.ts names, and the public key
// of the identity you keep (docs/disaster-recovery.md, "Backup keys"); until the matching identity is in the
// Secret, the restore verification fails and pages. Table names follow packagecloud's Rails schema.
function backupJob(ageRecipient: string): EnvironmentInput["backupJob"] {
  return {
    // Outside every maintenance window, which config refuses to overlap (config/backup-job-schema.ts): the dump
    // (21:00 + 3 h) ends before ops's GKE window (Sat/Sun 02:00-10:00) and Cloud SQL's (Sun 05:00), and starts
    // after pre's (Tue-Thu 14:00-20:00, Cloud SQL Tue 14:00). 04:30 fell inside ops's GKE and Cloud SQL windows.
    schedule: { backupUtc: "21:00", restoreVerificationUtc: "10:30" },
    ageRecipient,
    timeouts: { dumpMinutes: 180, uploadMinutes: 180, fetchMinutes: 120, restoreMinutes: 360 },
    attempts: 3,
    verify: {
      tables: ["schema_migrations", "users", "repositories", "packages"],
      nonEmptyTables: ["schema_migrations", "users", "repositories"],
      canary: { query: "SELECT name FROM repositories WHERE name = 'gitlab-ce'", expected: "gitlab-ce" },
    },
    restoreVerificationMaxAgeHours: 36,
    // Omnibus layout (/opt/<package>/embedded/bin), as packagecloud-ctl's own services run them. The first VM
    // deploy confirms them: a wrong path fails the verification with exit 2 naming the field (docs/first-deploy.md).
    vm: {
      binaries: {
        xbstream: "/opt/packagecloud/embedded/bin/xbstream",
        xtrabackup: "/opt/packagecloud/embedded/bin/xtrabackup",
        mysqld: "/opt/packagecloud/embedded/bin/mysqld",
        // packagecloud's upgrade docs ("Upgrading from 2.0.4 to 2.05"): its client, and its database's name.
        mysql: "/opt/packagecloud/embedded/mysqlclient/bin/mysql",
      },
      database: "packages_onpremise",
      xbstreamSettleMinutes: 30,
      scratchReservePercent: 20,
    },
    kubernetes: {
      namespace: "packagecloud",
      backupServiceAccount: "packagecloud-offsite-backup",
      restoreServiceAccount: "packagecloud-restore-verify",
      images: {
        backup: placeholder("registry.gitlab.com/gitlab-com/gl-infra/packagecloud-backup@sha256:0000000000000000000000000000000000000000000000000000000000000001"),
        scratchMysql: placeholder("docker.io/library/mysql@sha256:0000000000000000000000000000000000000000000000000000000000000002"),
        cloudSqlProxy: placeholder("gcr.io/cloud-sql-connectors/cloud-sql-proxy@sha256:0000000000000000000000000000000000000000000000000000000000000003"),
        pushgateway: placeholder("quay.io/prometheus/pushgateway@sha256:0000000000000000000000000000000000000000000000000000000000000004"),
      },
      // No pushgatewayUrl: both environments run a dedicated cluster, where this repository runs the Pushgateway
      // (monitoring/pushgateway.ts). A shared cluster (gcp.cluster.mode "existing") must name its own.
      ageIdentitySecret: "packagecloud-backup-age-identity",
      awsAuth: { mode: "web-identity" },
    },
  };
}

// Each environment is wrapped in environment(), which records where its own placeholders are (placeholders.ts).
export const ENVIRONMENTS: Record<EnvName, EnvironmentInput> = {
  pre: environment({
    name: "pre",
    tier: "non-production",
    variant: "gke",
    aws: { accountId: placeholder("210987654321"), region: "us-west-1", replicaRegion: "eu-central-1" },
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
    // packagecloud's setup names its Lambda@Edge function packagecloud_cloudfront_auth ("AWS CloudFront Setup",
    // step 5: arn:aws:lambda:us-east-1:…:function:packagecloud_cloudfront_auth:1). The role name and the key's alias
    // are not documented: stand-ins until recorded from CloudTrail of the setup's first run in pre (CreateRole,
    // CreateAlias; docs/storage.md, "Recording the CloudFront setup"). The key's region is assumed to be the
    // functions' (us-east-1): check it in the same CloudTrail (CreateKey's awsRegion); a region cannot be a
    // placeholder, since a real value may equal the stand-in.
    application: {
      edgeLambdaRoleName: placeholder("packagecloud-pre-edge-lambda"),
      edgeFunctionPrefix: "packagecloud_cloudfront_auth",
      cdnSetup: { region: "us-east-1", keyAlias: placeholder("packagecloud_cloudfront_auth_key") },
    },
    // No SSH: administrators use Session Manager. The VM's managed VPC routes only to the internet, so Prometheus
    // scrapes from its servers' public egress addresses (Cloud NAT). 203.0.113.0/24 is RFC 5737 documentation
    // space standing in for those addresses: replace it with the real egress IPs before a real deploy.
    network: { prometheusCidrs: [placeholder("203.0.113.10/32")] },
    vm: {
      instanceType: "c4.2xlarge",
      amiId: placeholder("ami-0a1b2c3d4e5f60718"),
      availabilityZone: "us-west-1b",
      // us-west-1b of the emulator (moto 5.2.1's zone table); in the real account, the id of the zone seed 000's
      // VM and data disk live in (DescribeAvailabilityZones): plan checks that the name maps to it.
      availabilityZoneId: "usw1-az1",
      rootVolumeGiB: 8,
      dataVolumeGiB: 2048,
      terminationProtection: false,
      network: { mode: "managed", vpcCidr: "10.60.0.0/16", subnetCidr: "10.60.1.0/24" },
      // The version pre's data was written by (`dpkg-query -W packagecloud` on the VM); a placeholder until then.
      packagecloudApt: { ...PACKAGECLOUD_APT, version: placeholder("2.0.5") },
      // pre's lock stays in governance mode so that test recovery points can be cleaned up.
      snapshots: { startHourUtc: 3, retainDays: 14, vaultLock: { minRetentionDays: 7, maxRetentionDays: 35 } },
    },
    gcp: {
      project: "gitlab-pre",
      region: "us-east1",
      network: {
        subnetCidr: "10.80.0.0/20",
        podsCidr: "10.84.0.0/14",
        servicesCidr: "10.88.0.0/20",
        masterCidr: "10.89.0.0/28",
        privateServiceCidr: "10.90.0.0/20",
      },
      // A cluster of its own (packagecloud-pre-gke), beside the shared pre-gitlab-gke of seed 001; switch to
      // { mode: "existing", name: "pre-gitlab-gke", ... } to run in the shared cluster instead.
      cluster: {
        mode: "dedicated",
        location: "us-east1-b",
        releaseChannel: "REGULAR",
        // CI reaches the control plane through the IAM-authorized DNS endpoint; admins also from their network.
        controlPlaneAccess: "dns-endpoint",
        masterAuthorizedNetworks: [{ name: "admins", cidr: "10.250.0.0/24" }],
        // Tue-Thu 14:00-20:00 UTC: 72 h in the worst 32 days (GKE requires 48 h).
        maintenanceRecurrence: "FREQ=WEEKLY;BYDAY=TU,WE,TH",
        maintenanceStartUtc: "14:00",
        maintenanceHours: 6,
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
      // The offsite job (both variants) is new: its alarms notify once its first backup has landed.
      // The offsite job is new (issue 13): pending until its first backup is reported, or at the latest until
      // firstBackupDueBy (the date of the first deploy plus a few days: set it then), when an absence pages.
      offsiteBackups: { maxAgeHours: 36, minSizeBytes: 1048576, firstBackupPending: true, firstBackupDueBy: placeholder("2027-01-31") },
      dailyBackups: { maxAgeHours: 36, minSizeBytes: 1048576, firstBackupPending: false },
      cloudSqlBackups: { maxAgeHours: 36, firstBackupPending: true, firstBackupDueBy: placeholder("2027-01-31") },
      replication: { maxLatencySeconds: 3600 },
      notifications: {
        emails: ["packagecloud-alerts-pre@gitlab.com"],
        // A generic webhook: it does not confirm SNS subscriptions by itself (see docs/monitoring-and-backups.md, "What pages whom").
        httpsEndpoints: [{ variable: "alerts_webhook_url", receiver: "webhook" }],
        gcpChannels: [placeholder("projects/gitlab-pre/notificationChannels/1000000000000000001")],
      },
    },
    backupJob: backupJob(placeholder("age1wrfpuua6duya5ct8uj9yh0jjhhkprdzpxj8a9ppegk60us2es46qxv7evy")),
    state: { bucket: "packagecloud-pre-terraform-state", region: "us-west-1", keyPrefix: "packagecloud/", gcsBucket: "gitlab-pre-terraform-state" },
    // packages.pre.gke.gitlab.net exists today in the pre-gke-gitlab-net zone (seed 001): imported, not created.
    adopt: { dnsRecord: {}, evidence: { dnsRecord: "seed 001: packages.pre.gke.gitlab.net in the pre-gke-gitlab-net Cloud DNS zone" } },
  }),
  ops: environment({
    name: "ops",
    tier: "production",
    variant: "gke",
    aws: { accountId: placeholder("855261479204"), region: "us-west-1", replicaRegion: "eu-central-1" },
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
    // packagecloud's setup names its Lambda@Edge function packagecloud_cloudfront_auth ("AWS CloudFront Setup",
    // step 5: arn:aws:lambda:us-east-1:…:function:packagecloud_cloudfront_auth:1). The role name and the key's alias
    // are not documented: stand-ins until recorded from CloudTrail of the setup's first run in pre (CreateRole,
    // CreateAlias; docs/storage.md, "Recording the CloudFront setup"). The key's region is assumed to be the
    // functions' (us-east-1): check it in the same CloudTrail (CreateKey's awsRegion); a region cannot be a
    // placeholder, since a real value may equal the stand-in.
    application: {
      edgeLambdaRoleName: placeholder("packagecloud-ops-edge-lambda"),
      edgeFunctionPrefix: "packagecloud_cloudfront_auth",
      cdnSetup: { region: "us-east-1", keyAlias: placeholder("packagecloud_cloudfront_auth_key") },
    },
    // As pre: Session Manager instead of SSH; Prometheus's public egress addresses (RFC 5737 placeholders).
    network: { prometheusCidrs: [placeholder("203.0.113.20/32"), placeholder("203.0.113.21/32")] },
    vm: {
      // Seed 000: c4.2xlarge, 8 GB gp2 root, 2 TB gp2 data disk (xfs) at /var/opt/packagecloud.
      instanceType: "c4.2xlarge",
      amiId: placeholder("ami-0f1e2d3c4b5a69788"),
      availabilityZone: "us-west-1b",
      // us-west-1b of the emulator (moto 5.2.1's zone table); in the real account, the id of the zone seed 000's
      // VM and data disk live in (DescribeAvailabilityZones): plan checks that the name maps to it.
      availabilityZoneId: "usw1-az1",
      rootVolumeGiB: 8,
      dataVolumeGiB: 2048,
      terminationProtection: true,
      network: { mode: "managed", vpcCidr: "10.70.0.0/16", subnetCidr: "10.70.1.0/24" },
      // The version packages.gitlab.com's data was written by (`dpkg-query -W packagecloud` on the VM, or the
      // version the last backup was taken with); a placeholder until it is filled in. Upgrading = changing it.
      packagecloudApt: { ...PACKAGECLOUD_APT, version: placeholder("2.0.5") },
      // Seed 000: snapshots kept 14 days; the vault lock turns immutable three days after it is first applied.
      snapshots: { startHourUtc: 3, retainDays: 14, vaultLock: { minRetentionDays: 14, maxRetentionDays: 35, changeableForDays: 3 } },
    },
    gcp: {
      project: "gitlab-ops",
      region: "us-east1",
      network: {
        subnetCidr: "10.100.0.0/20",
        podsCidr: "10.104.0.0/14",
        servicesCidr: "10.108.0.0/20",
        masterCidr: "10.109.0.0/28",
        privateServiceCidr: "10.110.0.0/20",
      },
      // A cluster of its own (packagecloud-ops-gke), beside the shared ops-gitlab-gke of seed 001; switch to
      // { mode: "existing", name: "ops-gitlab-gke", ... } to run in the shared cluster instead.
      cluster: {
        mode: "dedicated",
        location: "us-east1",
        releaseChannel: "STABLE",
        controlPlaneAccess: "dns-endpoint",
        masterAuthorizedNetworks: [{ name: "admins", cidr: "10.240.0.0/24" }],
        // Sat and Sun 02:00-10:00 UTC: 64 h in the worst 32 days (GKE requires 48 h; the old 4 h gave 32 h).
        maintenanceRecurrence: "FREQ=WEEKLY;BYDAY=SA,SU",
        maintenanceStartUtc: "02:00",
        maintenanceHours: 8,
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
    dns: { provider: "cloudflare", zoneId: placeholder("0123456789abcdef0123456789abcdef"), zoneName: "gitlab.com", recordName: "packages.gitlab.com", proxied: true, ttl: 1 },
    // Seed 002: page when the newest successful backup is older than 36 h, or missing, or too small, or failed.
    monitoring: {
      runbookUrl: "https://runbooks.gitlab.net/packagecloud/backups",
      // Set the minimum to ~80% of the current dump size and revisit it as the database grows.
      // The offsite job (both variants) is new: its alarms notify once its first backup has landed.
      // The offsite job is new (issue 13): pending until its first backup is reported, or at the latest until
      // firstBackupDueBy (the date of the first deploy plus a few days: set it then), when an absence pages.
      offsiteBackups: { maxAgeHours: 36, minSizeBytes: 1073741824, firstBackupPending: true, firstBackupDueBy: placeholder("2027-01-31") },
      dailyBackups: { maxAgeHours: 36, minSizeBytes: 1073741824, firstBackupPending: false },
      cloudSqlBackups: { maxAgeHours: 36, firstBackupPending: true, firstBackupDueBy: placeholder("2027-01-31") },
      replication: { maxLatencySeconds: 900 },
      notifications: {
        emails: ["packagecloud-alerts@gitlab.com"],
        httpsEndpoints: [{ variable: "pagerduty_cloudwatch_url", receiver: "pagerduty" }],
        gcpChannels: [placeholder("projects/gitlab-ops/notificationChannels/2000000000000000002")],
      },
    },
    // Issue 13: the offsite backup job and its restore verification. The image digests and the age recipient are
    // placeholders like the account ids: set the digest of your build of backup/Dockerfile, and the public key
    // of the identity you keep (docs/disaster-recovery.md, "Backup keys"); until the matching identity is in the
    // Secret, the restore verification fails and pages. Table names follow packagecloud's Rails schema.
    backupJob: backupJob(placeholder("age1ff9knpa9m0dv5ed30m8es5euwcrxeutgkk8yxkxjhgvq0gmngaysqunk6g")),
    state: { bucket: "packagecloud-ops-terraform-state", region: "us-west-1", keyPrefix: "packagecloud/", gcsBucket: "gitlab-ops-terraform-state" },
    // These exist today (seeds 000, 001; each named in adopt.evidence): imported by the first apply, not created. Only parts known to exist
    // are listed (replication implies versioning on both buckets; S3 encrypts every bucket by default since 2023;
    // packagecloud writes its CloudFront statement into the package bucket's policy, which an import keeps).
    // Check each with `aws s3api get-bucket-<part>` before the first plan. The block stays after it: no
    // existingObjects entry, so every adopted bucket keeps what it holds (the VM-era backups in
    // gitlab-packagecloud-db-backups, seed 001): its lifecycle expires nothing (docs/adoption.md).
    adopt: {
      buckets: {
        packages: ["versioning", "encryption", "policy", "replication"],
        replica: ["versioning", "encryption"],
        dailyBackups: ["encryption"],
      },
      // Not offsiteBackups: no source says gitlab-packagecloud-db-offsite-backups exists (seed 004's copycat-db is
      // another service; this configuration's offsite job is new, issue 13), so the first apply creates it.
      evidence: {
        packages: "seed 000 (packages go to S3) and seed 001: packages-gitlab-com, replicated cross-region",
        replica: "seed 001: replicated to packages-gitlab-com-replica in eu-central-1",
        dailyBackups: "seed 000: backups are uploaded to the gitlab-packagecloud-db-backups bucket (s3://gitlab-packagecloud-db-backups/backups)",
        dnsRecord: "seed 000/001: packages.gitlab.com is served today; the record id is read from the Cloudflare API",
      },
      // Placeholder: the id of the existing packages.gitlab.com A record (GET /zones/<zoneId>/dns_records?name=packages.gitlab.com).
      dnsRecord: { cloudflareRecordId: placeholder("fedcba9876543210fedcba9876543210") },
    },
  }),
};
