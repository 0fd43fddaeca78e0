import { AZ_ID_PREFIX, regionOfZoneId } from "../config/places";
import { AWS_REGIONS } from "../config/validators";
import { loadEnvironments, parseEnvironment, parseEnvironments } from "../config";
import { ENVIRONMENTS } from "../config/environments";
import { cidrsOverlap, checkCidr } from "../config/validators";
import { rejection, variant } from "./support/config";

describe("environments", () => {
  const envs = loadEnvironments();

  it("loads pre and ops, both running the GKE variant today (seed 001)", () => {
    expect(Object.keys(envs)).toEqual(["pre", "ops"]);
    expect(envs.pre.variant).toBe("gke");
    expect(envs.ops.variant).toBe("gke");
  });

  it("keeps packages in us-west-1 and the replica in eu-central-1 (seeds 000, 001)", () => {
    for (const env of Object.values(envs)) {
      expect(env.aws.region).toBe("us-west-1");
      expect(env.aws.replicaRegion).toBe("eu-central-1");
    }
  });

  it("locks ops offsite backups in COMPLIANCE mode for 30 days (seed 004) and keeps daily backups 14 days (seed 000)", () => {
    expect(envs.ops.storage.offsiteBackups.objectLock).toEqual({ mode: "COMPLIANCE", days: 30 });
    expect(envs.ops.storage.dailyBackups.expireAfterDays).toBe(14);
    expect(envs.ops.storage.packages.bucketName).toBe("packages-gitlab-com");
    expect(envs.ops.storage.packages.replicaBucketName).toBe("packages-gitlab-com-replica");
  });

  it("pins each environment to its own AWS account", () => {
    expect(envs.pre.aws.accountId).not.toBe(envs.ops.aws.accountId);
  });
});

describe("configuration validation", () => {
  it("fails if a region is unknown, naming environment, field, value and what is allowed", () => {
    const message = rejection("ops", (e) => (e.aws.region = "us-west-9"));
    expect(message).toMatch(/environment "ops"/);
    expect(message).toMatch(/aws\.region = "us-west-9": must be an AWS region .*us-west-1/);
  });

  it("fails if the replica region equals the source region", () => {
    expect(rejection("ops", (e) => (e.aws.replicaRegion = "us-west-1"))).toMatch(
      /aws\.replicaRegion = "us-west-1": must differ from aws\.region \(us-west-1\)/,
    );
  });

  it("fails if a retention is shorter than one day", () => {
    expect(rejection("pre", (e) => (e.storage.dailyBackups.expireAfterDays = 0))).toMatch(
      /storage\.dailyBackups\.expireAfterDays = 0: expireAfterDays must be at least 1 day/,
    );
    expect(rejection("pre", (e) => (e.storage.offsiteBackups.objectLock.days = 0))).toMatch(/objectLock\.days = 0/);
  });

  it("fails if a retention is not a whole number of days", () => {
    expect(rejection("pre", (e) => (e.storage.packages.noncurrentVersionDays = 1.5))).toMatch(
      /noncurrentVersionDays = 1\.5: noncurrentVersionDays must be a whole number of days/,
    );
  });

  it("fails if offsite backups would expire before their Object Lock lapses", () => {
    expect(rejection("ops", (e) => (e.storage.offsiteBackups.expireAfterDays = 10))).toMatch(
      /storage\.offsiteBackups\.expireAfterDays = 10: must be at least objectLock\.days \(30\)/,
    );
  });

  it("fails if the Object Lock mode is not COMPLIANCE or GOVERNANCE", () => {
    expect(rejection("ops", (e) => (e.storage.offsiteBackups.objectLock.mode = "LEGAL_HOLD"))).toMatch(
      /objectLock\.mode = "LEGAL_HOLD": must be one of COMPLIANCE, GOVERNANCE/,
    );
  });

  it("fails if a bucket name is empty, too long, upper-case or dotted", () => {
    expect(rejection("ops", (e) => (e.storage.packages.bucketName = ""))).toMatch(/storage\.packages\.bucketName = "": must be 3-63 characters/);
    expect(rejection("ops", (e) => (e.storage.packages.bucketName = "a".repeat(64)))).toMatch(/must be 3-63 characters/);
    expect(rejection("ops", (e) => (e.storage.packages.bucketName = "Packages"))).toMatch(/bucketName = "Packages"/);
    expect(rejection("ops", (e) => (e.storage.packages.bucketName = "packages.gitlab.com"))).toMatch(/must not contain '\.'/);
  });

  it("fails if two buckets of one environment share a name", () => {
    expect(rejection("ops", (e) => (e.storage.dailyBackups.bucketName = e.storage.offsiteBackups.bucketName))).toMatch(
      /storage\.dailyBackups\.bucketName = "gitlab-packagecloud-db-offsite-backups": must be a bucket of its own, but storage\.offsiteBackups\.bucketName uses the same name/,
    );
  });

  it("fails if two environments claim the same bucket (S3 names are global)", () => {
    const inputs = { pre: variant("pre", (e) => (e.storage.packages.bucketName = "packages-gitlab-com")), ops: ENVIRONMENTS.ops };
    expect(() => parseEnvironments(inputs)).toThrow(/environment "pre"[\s\S]*storage\.packages\.bucketName = "packages-gitlab-com": S3 bucket name "packages-gitlab-com" is also used by environment "ops"/);
  });

  it("fails if a CIDR is malformed or has host bits set", () => {
    expect(rejection("ops", (e) => (e.network.adminCidrs = ["10.0.0.0/33"]))).toMatch(/network\.adminCidrs\.0 = "10\.0\.0\.0\/33": must be an IPv4 or IPv6 CIDR/);
    expect(rejection("ops", (e) => (e.network.adminCidrs = ["10.0.0.1/16"]))).toMatch(/must be a network address/);
    expect(rejection("ops", (e) => (e.network.prometheusCidrs = ["prometheus"]))).toMatch(/network\.prometheusCidrs\.0 = "prometheus"/);
  });

  it("fails if SSH or the exporters would be open to the whole internet", () => {
    expect(rejection("ops", (e) => (e.network.adminCidrs = ["0.0.0.0/0"]))).toMatch(/adminCidrs must not be open to the whole internet/);
    expect(rejection("ops", (e) => (e.network.prometheusCidrs = ["::/0"]))).toMatch(/prometheusCidrs must not be open/);
  });

  it("opens no SSH unless admin CIDRs are configured (Session Manager is the admin path)", () => {
    expect(loadEnvironments().ops.network.adminCidrs).toEqual([]);
    expect(loadEnvironments().pre.network.adminCidrs).toEqual([]);
  });

  it("fails if a managed VPC (internet gateway only) lists a private admin or Prometheus range, naming environment and field", () => {
    expect(rejection("ops", (e) => (e.network.prometheusCidrs = ["10.241.0.0/24"]))).toMatch(
      /environment "ops"[\s\S]*network\.prometheusCidrs\.0 = "10\.241\.0\.0\/24": is a private \(RFC 1918\) range, but vm\.network\.mode is "managed".*Prometheus servers' egress IPs.*vm\.network\.mode "existing"/,
    );
    expect(rejection("pre", (e) => (e.network.adminCidrs = ["10.250.0.0/24"]))).toMatch(/environment "pre"[\s\S]*network\.adminCidrs\.0 = "10\.250\.0\.0\/24": is a private \(RFC 1918\) range/);
    expect(rejection("ops", (e) => (e.network.adminCidrs = ["100.64.0.0/16"]))).toMatch(/shared address space \(RFC 6598\)/);
    expect(rejection("ops", (e) => (e.network.prometheusCidrs = ["fd00:10::/64"]))).toMatch(/unique-local \(RFC 4193\)/);
    expect(rejection("ops", (e) => (e.network.prometheusCidrs = ["172.20.0.0/16"]))).toMatch(/private \(RFC 1918\)/);
  });

  it("accepts private ranges in the existing-VPC mode (a peered network routes them)", () => {
    const env = parseEnvironment(
      "ops",
      variant("ops", (e) => {
        e.vm.network = { mode: "existing", vpcId: "vpc-0123456789abcdef0", subnetId: "subnet-0123456789abcdef0" };
        e.network.prometheusCidrs = ["10.241.0.0/24"];
        e.network.adminCidrs = ["10.240.0.0/24"];
      }),
    );
    expect(env.network.prometheusCidrs).toEqual(["10.241.0.0/24"]);
  });

  it("fails if the variant does not exist", () => {
    expect(rejection("pre", (e) => (e.variant = "k8s"))).toMatch(/variant = "k8s": must be one of vm, gke/);
  });

  it("fails on an unknown key, so a typo is never silently ignored", () => {
    expect(rejection("ops", (e) => (e.storage.packages.bucketname = "x"))).toMatch(/storage\.packages.*Unrecognized key\(s\) in object: 'bucketname'/);
  });

  it("fails on a wrong type", () => {
    expect(rejection("ops", (e) => (e.storage.dailyBackups.expireAfterDays = "14"))).toMatch(
      /storage\.dailyBackups\.expireAfterDays = "14": Expected number, received string/,
    );
  });

  it("fails if an account id is not 12 digits", () => {
    expect(rejection("ops", (e) => (e.aws.accountId = "12345"))).toMatch(/aws\.accountId = "12345": must be a 12-digit AWS account id/);
  });

  it("fails if a key prefix is absolute or lacks its trailing slash", () => {
    expect(rejection("ops", (e) => (e.storage.offsiteBackups.prefix = "/backups/"))).toMatch(/prefix = "\/backups\/": must be a relative key prefix/);
    expect(rejection("ops", (e) => (e.storage.offsiteBackups.prefix = "backups"))).toMatch(/ending in '\/'/);
  });

  it("fails if an environment's name does not match its key", () => {
    expect(() => parseEnvironment("pre", ENVIRONMENTS.ops)).toThrow(/name = "ops": must equal the environment's key "pre"/);
  });

  it("fails if an environment is missing or unknown", () => {
    expect(() => parseEnvironments({ pre: ENVIRONMENTS.pre })).toThrow(/environment "ops"[\s\S]*every environment must be configured/);
    expect(() => parseEnvironments({ ...ENVIRONMENTS, staging: ENVIRONMENTS.pre })).toThrow(/environment "staging"[\s\S]*must be one of pre, ops/);
  });

  it("lists every problem at once, not only the first", () => {
    const message = rejection("ops", (e) => {
      e.aws.region = "nowhere";
      e.storage.dailyBackups.expireAfterDays = -1;
    });
    expect(message).toMatch(/aws\.region/);
    expect(message).toMatch(/dailyBackups\.expireAfterDays/);
  });
});

describe("configuration validation: VM", () => {
  it("fails if the AMI, instance type or availability zone is malformed or outside the region", () => {
    expect(rejection("ops", (e) => (e.vm.amiId = "ubuntu-latest"))).toMatch(/vm\.amiId = "ubuntu-latest": must be an AWS id of the form ami-/);
    expect(rejection("ops", (e) => (e.vm.instanceType = "huge"))).toMatch(/vm\.instanceType = "huge": must be an EC2 instance type/);
    expect(rejection("ops", (e) => (e.vm.availabilityZone = "eu-central-1a"))).toMatch(/vm\.availabilityZone = "eu-central-1a": must be a zone of aws\.region \(us-west-1\)/);
  });

  it("fails if the data disk exceeds the gp2 limit or the root disk is under 8 GiB", () => {
    expect(rejection("ops", (e) => (e.vm.dataVolumeGiB = 20000))).toMatch(/dataVolumeGiB must be at most 16384 \(the gp2 limit\)/);
    expect(rejection("ops", (e) => (e.vm.rootVolumeGiB = 4))).toMatch(/rootVolumeGiB must be at least 8/);
  });

  it("fails if the restore snapshot id is malformed", () => {
    expect(rejection("ops", (e) => (e.vm.dataVolumeSnapshotId = "latest"))).toMatch(/vm\.dataVolumeSnapshotId = "latest": must be an AWS id of the form snap-/);
  });

  it("fails if a managed subnet lies outside its VPC, or the network mode does not exist", () => {
    expect(rejection("ops", (e) => (e.vm.network.subnetCidr = "10.99.1.0/24"))).toMatch(/vm\.network\.subnetCidr = "10\.99\.1\.0\/24": must lie inside vm\.network\.vpcCidr \(10\.70\.0\.0\/16\)/);
    expect(rejection("ops", (e) => (e.vm.network = { mode: "peered" }))).toMatch(/vm\.network\.mode = "peered": must be one of existing, managed/);
  });

  it("fails if the apt repository URL is not https or carries credentials", () => {
    expect(rejection("ops", (e) => (e.vm.packagecloudApt.url = "http://packagecloud.io/x/"))).toMatch(/packagecloudApt\.url = "http:\/\/packagecloud\.io\/x\/": must be an https:\/\/ URL/);
    expect(rejection("ops", (e) => (e.vm.packagecloudApt.url = "https://token:@packagecloud.io/x/"))).toMatch(/must not contain credentials/);
  });

  it("fails if snapshot retention falls outside the vault lock, or the lock is inverted", () => {
    expect(rejection("ops", (e) => (e.vm.snapshots.retainDays = 7))).toMatch(/vm\.snapshots\.retainDays = 7: must lie within the vault lock's 14-35 days/);
    expect(rejection("ops", (e) => (e.vm.snapshots.vaultLock.maxRetentionDays = 10))).toMatch(/vaultLock\.maxRetentionDays = 10: must be at least vaultLock\.minRetentionDays \(14\)/);
    expect(rejection("ops", (e) => (e.vm.snapshots.vaultLock.changeableForDays = 1))).toMatch(/changeableForDays must be at least 3/);
  });
});

describe("configuration validation: GKE and DNS", () => {
  it("fails if a proxied Cloudflare record has a TTL other than 1", () => {
    expect(rejection("ops", (e) => (e.dns.ttl = 300))).toMatch(/dns\.ttl = 300: must be 1 \(automatic\) for a proxied Cloudflare record/);
  });

  it("fails if the record name falls outside the zone", () => {
    expect(rejection("ops", (e) => (e.dns.recordName = "packages.gitlab.net"))).toMatch(/dns\.recordName = "packages\.gitlab\.net": must fall inside dns\.zoneName \(gitlab\.com\)/);
    expect(rejection("pre", (e) => (e.dns.recordName = "packages.pre.gke.gitlab.net."))).toMatch(/must be a lowercase DNS name without a trailing dot/);
  });

  it("fails if a Cloud DNS record asks for Cloudflare's automatic TTL, or any TTL is out of range", () => {
    expect(rejection("pre", (e) => (e.dns.ttl = 1))).toMatch(/dns\.ttl = 1: must be 30-86400 seconds: Cloud DNS has no automatic TTL/);
    expect(rejection("pre", (e) => (e.dns.ttl = 5))).toMatch(/dns\.ttl = 5: must be 30-86400 seconds/);
  });

  it("fails if the DNS provider does not exist", () => {
    expect(rejection("ops", (e) => (e.dns = { provider: "route53" }))).toMatch(/dns\.provider = "route53": must be one of cloudflare, cloud-dns/);
  });

  it("fails if binary logs would be kept as long as the backups", () => {
    expect(rejection("ops", (e) => (e.gcp.sql.transactionLogRetentionDays = 7) && (e.gcp.sql.retainedBackups = 7))).toMatch(
      /gcp\.sql\.transactionLogRetentionDays = 7: must be fewer than sql\.retainedBackups \(7\)/,
    );
    expect(rejection("ops", (e) => (e.gcp.sql.transactionLogRetentionDays = 8))).toMatch(/transactionLogRetentionDays must be 1-7/);
  });

  it("fails if GKE ranges overlap or the control plane range is not a /28", () => {
    expect(rejection("ops", (e) => (e.gcp.network.servicesCidr = "10.104.0.0/20"))).toMatch(/gcp\.network\.servicesCidr = "10\.104\.0\.0\/20": must not overlap gcp\.network\.podsCidr/);
    expect(rejection("ops", (e) => (e.gcp.network.masterCidr = "10.109.0.0/24"))).toMatch(/masterCidr must have a prefix from \/28 to \/28/);
  });

  it("fails if the control plane would be open to the internet, or no network is authorized", () => {
    expect(rejection("ops", (e) => (e.gcp.cluster.masterAuthorizedNetworks = [{ name: "all", cidr: "0.0.0.0/0" }]))).toMatch(
      /masterAuthorizedNetworks\.0\.cidr = "0\.0\.0\.0\/0": must not open the GKE control plane to the whole internet/,
    );
    expect(rejection("ops", (e) => (e.gcp.cluster.masterAuthorizedNetworks = []))).toMatch(/must list at least one network/);
  });

  it("fails on unknown tiers, channels and inverted node pool sizes", () => {
    expect(rejection("ops", (e) => (e.gcp.redis.tier = "PREMIUM"))).toMatch(/gcp\.redis\.tier = "PREMIUM": must be STANDARD_HA or BASIC/);
    expect(rejection("ops", (e) => (e.gcp.cluster.releaseChannel = "LATEST"))).toMatch(/must be one of RAPID, REGULAR, STABLE/);
    expect(rejection("ops", (e) => (e.gcp.cluster.nodePools.serving.minNodes = 9))).toMatch(/nodePools\.serving\.minNodes = 9: minNodes must not exceed maxNodes/);
    expect(rejection("ops", (e) => (e.gcp.sql.availability = "MULTI"))).toMatch(/must be REGIONAL or ZONAL/);
  });
});

describe("CIDR helpers", () => {
  it("accepts IPv6 networks and rejects IPv6 host addresses", () => {
    expect(checkCidr("2001:db8::/32")).toBeUndefined();
    expect(checkCidr("2001:db8::1/32")).toMatch(/network address/);
  });

  it("detects overlap within a family only", () => {
    expect(cidrsOverlap("10.0.0.0/8", "10.1.0.0/16")).toBe(true);
    expect(cidrsOverlap("10.0.0.0/16", "10.1.0.0/16")).toBe(false);
    expect(cidrsOverlap("10.0.0.0/8", "2001:db8::/32")).toBe(false);
  });
});

describe("availability zone ids carry their region (config/places.ts, issue 29 §4)", () => {
  // Golden pairs from AWS's "AWS Availability Zones" tables and "AZ IDs" page, not from AZ_ID_PREFIX.
  it.each([
    ["use1-az1", "us-east-1"],
    ["usw1-az3", "us-west-1"],
    ["usw2-az1", "us-west-2"],
    ["euw1-az2", "eu-west-1"],
    ["euc1-az2", "eu-central-1"],
    ["apse1-az1", "ap-southeast-1"],
    ["aps1-az1", "ap-south-1"],
    ["apne1-az4", "ap-northeast-1"],
  ])("%s is an id of %s", (id, region) => {
    expect(regionOfZoneId(id)).toBe(region);
  });

  it("knows the prefix of every region the project deploys to, each once", () => {
    expect(Object.keys(AZ_ID_PREFIX).sort()).toEqual([...AWS_REGIONS].sort());
    expect(new Set(Object.values(AZ_ID_PREFIX)).size).toBe(AWS_REGIONS.length);
    expect(regionOfZoneId("usw9-az1")).toBeUndefined();
  });
});
