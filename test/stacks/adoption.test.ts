/**
 * Adopting what exists (config `adopt`): the stacks emit Terraform import blocks with each provider's import id
 * format, only where the config names something, and never in an emulator that was not asked to adopt.
 */
import { ADOPTABLE_BUCKETS, loadEnvironments, parseEnvironment } from "../../config";
import { EXISTING_OBJECTS_BUCKETS } from "../../config/existing-objects";
import { DnsStack } from "../../stacks/dns-stack";
import { dnsRecordImportId } from "../../stacks/adoption";
import { StorageStack } from "../../stacks/storage-stack";
import type { DeployTarget } from "../../stacks/target";
import { BucketEncryption, SecureBucket } from "../../constructs/secure-bucket";
import { constructStack, sharedStack, synth, testApp, UNIT_TARGET } from "../support/synth";
import { rejection, variant } from "../support/config";
import { canRemoveExistingVersions } from "../support/lifecycle";

/** `import` blocks of a synthesized stack, keyed by their `to` address. */
function imports(json: any): Record<string, { id: string; provider?: string }> {
  return Object.fromEntries((json.import ?? []).map((i: any) => [i.to, { id: i.id, ...(i.provider ? { provider: i.provider } : {}) }]));
}

const envs = loadEnvironments();

describe("adopting the ops buckets", () => {
  const out = sharedStack("ops", "storage");
  const blocks = imports(out.json);
  const storage = envs.ops.storage;

  it("imports each existing bucket by its name, with the provider of its region", () => {
    expect(blocks["aws_s3_bucket.packages_source"]).toEqual({ id: storage.packages.bucketName });
    expect(blocks["aws_s3_bucket.packages_replica"]).toEqual({ id: storage.packages.replicaBucketName, provider: "aws.replica" });
    expect(blocks["aws_s3_bucket.daily_backups_bucket"]).toEqual({ id: storage.dailyBackups.bucketName });
  });

  it("imports exactly the parts the config lists, each by the bucket name", () => {
    expect(Object.keys(blocks).sort()).toEqual(
      [
        "aws_s3_bucket.packages_source",
        "aws_s3_bucket_versioning.packages_source_versioning",
        "aws_s3_bucket_server_side_encryption_configuration.packages_source_encryption",
        "aws_s3_bucket_policy.packages_source_policy",
        "aws_s3_bucket_replication_configuration.packages_replication",
        "aws_s3_bucket.packages_replica",
        "aws_s3_bucket_versioning.packages_replica_versioning",
        "aws_s3_bucket_server_side_encryption_configuration.packages_replica_encryption",
        "aws_s3_bucket.daily_backups_bucket",
        "aws_s3_bucket_server_side_encryption_configuration.daily_backups_bucket_encryption",
      ].sort(),
    );
    expect(blocks["aws_s3_bucket_policy.packages_source_policy"].id).toBe(storage.packages.bucketName);
    expect(blocks["aws_s3_bucket_versioning.packages_replica_versioning"]).toEqual({ id: storage.packages.replicaBucketName, provider: "aws.replica" });
  });

  it("does not import the offsite backup bucket, which no source says exists (the plan would fail on it)", () => {
    expect(Object.keys(blocks).filter((to) => to.includes("offsite"))).toEqual([]);
  });

  it("names, for every adopted resource, the evidence that it exists", () => {
    expect(rejection("ops", (e) => delete e.adopt.evidence.dailyBackups)).toMatch(/adopt\.evidence\.dailyBackups.*must name the evidence that adopt\.buckets\.dailyBackups exists/);
    expect(rejection("ops", (e) => (e.adopt.buckets.offsiteBackups = ["versioning"]))).toMatch(/adopt\.evidence\.offsiteBackups/);
  });

  it("never adopts the access-log buckets, which this project creates", () => {
    expect(Object.keys(blocks).filter((to) => to.includes("access_logs"))).toEqual([]);
  });
});

describe("adoption elsewhere", () => {
  it("emits no import block where nothing is adopted (pre's storage)", () => {
    expect(sharedStack("pre", "storage").json.import).toBeUndefined();
  });

  it("emits none in the emulator unless the target asks for adoption, and all of them when it does", () => {
    const emulator: DeployTarget = { kind: "emulator", endpoint: "http://127.0.0.1:5000", stateDir: "/tmp/state" };
    const plain = synth(new StorageStack(testApp(), { env: envs.ops, target: emulator }));
    expect(plain.json.import).toBeUndefined();
    const adopting = synth(new StorageStack(testApp(), { env: envs.ops, target: { ...emulator, adoptExisting: true } }));
    expect(Object.keys(imports(adopting.json))).toHaveLength(10);
  });

  it("adopts the Cloudflare record by <zone_id>/<record_id> (provider v5.14.0 ImportState)", () => {
    const dns = envs.ops.dns;
    expect(dns.provider).toBe("cloudflare");
    const id = `${dns.provider === "cloudflare" ? dns.zoneId : ""}/${envs.ops.adopt?.dnsRecord?.cloudflareRecordId}`;
    expect(imports(sharedStack("ops", "dns").json)).toEqual({ "cloudflare_dns_record.record": { id } });
    expect(id).toMatch(/^[0-9a-f]{32}\/[0-9a-f]{32}$/);
  });

  it("adopts the Cloud DNS record set by projects/<project>/managedZones/<zone>/rrsets/<name with dot>/A (google v6.50.0)", () => {
    expect(imports(sharedStack("pre", "dns").json)).toEqual({
      "google_dns_record_set.record": { id: "projects/gitlab-pre/managedZones/pre-gke-gitlab-net/rrsets/packages.pre.gke.gitlab.net./A" },
    });
  });

  it("emits no DNS import block once the adoption entry is removed", () => {
    const env = parseEnvironment("pre", variant("pre", (e) => delete e.adopt));
    expect(dnsRecordImportId(env)).toBeUndefined();
    expect(synth(new DnsStack(testApp(), { env, target: UNIT_TARGET })).json.import).toBeUndefined();
  });
});

describe("SecureBucket.adoptExisting", () => {
  it("fails if a part is adopted that the bucket does not have, naming the construct and its parts", () => {
    const { stack } = constructStack();
    const bucket = new SecureBucket(stack, "Logs", { bucketName: "some-logs", encryption: BucketEncryption.s3Managed("test"), lifecycle: { noncurrentVersionDays: 1 } });
    expect(() => bucket.adoptExisting(["objectLock"])).toThrow(/SecureBucket test\/Logs: cannot adopt objectLock: this bucket has no objectLock \(its parts: .*versioning/);
  });
});

describe("adoption config", () => {
  it("fails if a bucket lists a part it does not have", () => {
    expect(rejection("ops", (e) => (e.adopt.buckets.dailyBackups = ["objectLock"]))).toMatch(
      /adopt\.buckets\.dailyBackups\.0.*must not be objectLock: the dailyBackups bucket has no objectLock/,
    );
  });

  it("fails if replication is adopted on a bucket that is not the replication source", () => {
    expect(rejection("ops", (e) => (e.adopt.buckets.replica = ["replication"]))).toMatch(/adopt\.buckets\.replica\.0.*must not be replication/);
  });

  it("fails if a part is listed twice", () => {
    expect(rejection("ops", (e) => (e.adopt.buckets.packages = ["policy", "policy"]))).toMatch(/adopt\.buckets\.packages\.1.*lists policy twice/);
  });

  it("fails if a part is not a part of any bucket", () => {
    expect(rejection("ops", (e) => (e.adopt.buckets.packages = ["acl"]))).toMatch(/adopt\.buckets\.packages\.0.*must be one of versioning, encryption/);
  });

  it("fails if a Cloudflare record is adopted without its record id, saying where to find it", () => {
    expect(rejection("ops", (e) => (e.adopt.dnsRecord = {}))).toMatch(
      /adopt\.dnsRecord\.cloudflareRecordId.*is required to adopt a Cloudflare record: the import id is <zone_id>\/<record_id>; find it with GET \/zones\/[0-9a-f]{32}\/dns_records\?name=packages\.gitlab\.com/,
    );
  });

  it("fails if a Cloud DNS record is given a Cloudflare record id", () => {
    expect(rejection("pre", (e) => (e.adopt.dnsRecord = { cloudflareRecordId: "0123456789abcdef0123456789abcdef" }))).toMatch(
      /adopt\.dnsRecord\.cloudflareRecordId.*must not be set: dns\.provider is cloud-dns/,
    );
  });

  it("fails if a Cloudflare record id is not 32 hex characters", () => {
    expect(rejection("ops", (e) => (e.adopt.dnsRecord.cloudflareRecordId = "rec-1"))).toMatch(/cloudflareRecordId.*must be a Cloudflare DNS record id \(32 hex characters\)/);
  });
});

describe("what an adopted bucket's lifecycle may delete (issue 27 §2)", () => {
  const lifecycle = (out: ReturnType<typeof synth>, address: string) => out.resource("aws_s3_bucket_lifecycle_configuration", address).rule as any[];
  const ops = sharedStack("ops", "storage");

  it("keeps what ops's adopted buckets hold today: no rule can remove an existing version (the VM-era backups in gitlab-packagecloud-db-backups)", () => {
    expect(envs.ops.adopt?.buckets?.dailyBackups).toBeDefined();
    for (const address of ["daily_backups_bucket_lifecycle", "packages_source_lifecycle", "packages_replica_lifecycle"]) {
      const rules = lifecycle(ops, address);
      expect(rules.filter(canRemoveExistingVersions).map((r) => r.id)).toEqual([]);
      // Still there: unfinished uploads are aborted (PC_S3_LIFECYCLE), orphaned delete markers removed.
      expect(rules.map((r) => r.id)).toEqual(["abort-incomplete-multipart-uploads", "remove-expired-delete-markers"]);
    }
  });

  it("expires as configured in a bucket this project creates (the offsite backups): the check can fail", () => {
    const rules = lifecycle(ops, "offsite_backups_bucket_lifecycle");
    expect(rules.filter(canRemoveExistingVersions).map((r) => r.id)).toEqual(["expire-noncurrent-versions", "expire-current-versions"]);
    expect(rules.find((r) => r.id === "expire-current-versions").expiration).toEqual([{ days: envs.ops.storage.offsiteBackups.expireAfterDays }]);
  });

  it("expires an adopted bucket's objects once the operator records may-expire", () => {
    const env = parseEnvironment("ops", variant("ops", (e) => (e.adopt.existingObjects = { dailyBackups: "may-expire" })));
    const rules = lifecycle(synth(new StorageStack(testApp(), { env, target: UNIT_TARGET })), "daily_backups_bucket_lifecycle");
    expect(rules.find((r) => r.id === "expire-current-versions").expiration).toEqual([{ days: 14 }]);
    expect(rules.find((r) => r.id === "expire-noncurrent-versions").noncurrent_version_expiration).toEqual([{ noncurrent_days: 1 }]);
  });

  it("keeps them in the emulator too, which plans the lifecycle the real account gets", () => {
    const emulator: DeployTarget = { kind: "emulator", endpoint: "http://127.0.0.1:5000", stateDir: "/tmp/state" };
    const out = synth(new StorageStack(testApp(), { env: envs.ops, target: emulator }));
    expect(lifecycle(out, "daily_backups_bucket_lifecycle").filter(canRemoveExistingVersions)).toEqual([]);
  });

  it("fails if existingObjects names a bucket that is not adopted, or a decision that does not exist", () => {
    expect(rejection("ops", (e) => (e.adopt.existingObjects = { offsiteBackups: "keep" }))).toMatch(
      /adopt\.existingObjects\.offsiteBackups = "keep": must not be set: adopt\.buckets\.offsiteBackups is not listed/,
    );
    expect(rejection("ops", (e) => (e.adopt.existingObjects = { dailyBackups: "delete" }))).toMatch(/adopt\.existingObjects\.dailyBackups = "delete": must be "keep" .* or "may-expire"/);
    expect(rejection("ops", (e) => (e.adopt.existingObjects = { daily: "keep" }))).toMatch(/adopt\.existingObjects\.daily = "keep": is not a field here.*allowed: packages, replica, offsiteBackups, dailyBackups/);
  });

  it("lists the adoptable buckets the schema lists", () => {
    expect([...EXISTING_OBJECTS_BUCKETS]).toEqual([...ADOPTABLE_BUCKETS]);
  });
});
