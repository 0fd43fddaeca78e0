/**
 * Every AWS stack of `pre` in the emulator, through the disaster-recovery drill (emulator/lib/dr-drill.ts): an empty
 * emulator, packagecloud-pre-storage and packagecloud-pre-vm deployed in dependency order, the instance lost and
 * rebuilt. One deployment serves every check (each apply waits ~55 s on the provider's lifecycle waiter):
 * - storage, through the S3 API: what the config says is what S3 holds, a locked backup cannot be deleted, the
 *   package buckets as CloudFront origins (packages stored SSE-S3, which an origin access identity can read; the
 *   application's OAI statement in both bucket policies survives an apply), a second plan is clean, destroy is
 *   refused;
 * - the drill: the instance rebuilt, the data volume and the buckets kept, the next plan clean;
 * - the rebuilt VM, through the EC2 API: instance, volumes, attachment and security-group rules as configured;
 *   destroying the data volume is refused;
 * - a changed backup script reaching the running VM through its bundle, with no instance change.
 * `ops` deploys as a user runs it, `npm run local -- ops`, in test/engine/ops.test.ts, which also checks drift on it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import {
  DescribeAddressesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeVolumesCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import {
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { loadEnvironments } from "../../config";
import { BACKUP_SCRIPT_PATH, VM_AGE_IDENTITY_FILE, vmFirstBootExtension } from "../../backup/jobs";
import { defaultNetworkWait } from "../../constructs/first-boot";
import { APT_AUTH_FILE, bootstrapCloudConfig, bundleJson, PACKAGECLOUD_CONFIG_FILE, SYNC_AGENT_SOURCE, VM_CONFIG_KEY, vmConfigBundle, vmSecretParameter } from "../../constructs/vm-config";
import { DATA_MOUNT_POINT, EXPORTER_PORTS } from "../../constructs/packagecloud-vm";
import { formatSteps, runDrill, type DrillResult } from "../../emulator/lib/dr-drill";
import { stackDir, stackEnv, type EmulatorWorkspace, type StackOutputs } from "../../emulator/lib/emulator-deploy";
import { terraform, terraformAsync, terraformOk, terraformOkAsync } from "../../operator/lib/terraform";

// The SDK is pinned; its notice that future releases need Node 22 says nothing about this test.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const STACK = "packagecloud-pre-storage";
const env = loadEnvironments().pre;
let drill: DrillResult;
let outputs: StackOutputs;
let vm: StackOutputs;
let s3: S3Client;
let ec2: EC2Client;
const clients: S3Client[] = [];

/** What the storage checks did and saw, beside the vm steps of the drill (asserted below). */
interface StorageChecks {
  lock: { putVersion?: string; deleteVersion: string; marker?: boolean; versionsLeft?: (string | undefined)[] };
  packages: { Bucket: string; sse?: string }[];
  policiesAfterApply: { Bucket: string; sids: string[]; oai: unknown }[];
  offsiteSidsAfterApply: string[];
  secondPlan: { code: number; stdout: string; stderr: string };
  destroy: { code: number; stderr: string };
}
let storage: StorageChecks;

const backupKey = `${env.storage.offsiteBackups.prefix}packagecloud-streamed-database-backup.1.xbstream`;
// What packagecloud's CloudFront setup does to the package buckets ("AWS CloudFront Setup"): an origin access
// identity and its statement in each bucket policy (the replica serves during failover). moto 5.2.1 has no
// origin-access-identity API (its CloudFront backend implements origin access controls only) and does not
// evaluate principals, so the OAI is an example id and the read through CloudFront itself is not exercised;
// PC_S3_CDN_ORIGIN_NOT_KMS and test/constructs/cdn-setup.test.ts cover the rest at synth.
const OAI_PRINCIPAL = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLEOAI";
const packageKey = "pool/main/p/packagecloud-test/packagecloud-test_1.0_amd64.deb";

/**
 * The storage stack's checks that change or apply it, run by the drill beside its vm steps (storage is done
 * when they start, and the vm steps never touch it): Object Lock, the CloudFront origins' policy statements
 * through an apply, a clean second plan, and destroy refused.
 */
async function storageChecks(workspace: EmulatorWorkspace, emulator: { endpoint: string }, out: StackOutputs): Promise<StorageChecks> {
  const client = (region: string) => {
    const made = new S3Client({ endpoint: emulator.endpoint, region, forcePathStyle: true, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
    clients.push(made);
    return made;
  };
  const main = client(env.aws.region);
  const dir = stackDir(workspace, STACK);
  const tfEnv = stackEnv(workspace, STACK);

  // Object Lock. moto evaluates bucket policies without their conditions, so the TLS-only Deny refuses every
  // object call over the emulator's plain HTTP: remove the policy to reach the lock; the apply below puts it back.
  const offsite = out.offsite_backups_bucket_name;
  await main.send(new DeleteBucketPolicyCommand({ Bucket: offsite }));
  const put = await main.send(new PutObjectCommand({ Bucket: offsite, Key: backupKey, Body: "backup" }));
  const deleteVersion = await main.send(new DeleteObjectCommand({ Bucket: offsite, Key: backupKey, VersionId: put.VersionId })).then(
    () => "deleted",
    (error: Error) => error.message,
  );
  const marker = await main.send(new DeleteObjectCommand({ Bucket: offsite, Key: backupKey }));
  const versions = await main.send(new ListObjectVersionsCommand({ Bucket: offsite, Prefix: backupKey }));
  const lock = { putVersion: put.VersionId, deleteVersion, marker: marker.DeleteMarker, versionsLeft: versions.Versions?.map((v) => v.VersionId) };

  // The CloudFront origins: a package in each, and the application's OAI statement in each policy.
  const packageBuckets = [
    { Bucket: out.packages_bucket_name, s3: main },
    { Bucket: out.replica_bucket_name, s3: client(env.aws.replicaRegion) },
  ];
  const packages: StorageChecks["packages"] = [];
  for (const { Bucket, s3: c } of packageBuckets) {
    const policy = JSON.parse((await c.send(new GetBucketPolicyCommand({ Bucket }))).Policy!);
    await c.send(new DeleteBucketPolicyCommand({ Bucket }));
    await c.send(new PutObjectCommand({ Bucket, Key: packageKey, Body: "package bytes" }));
    packages.push({ Bucket, sse: (await c.send(new HeadObjectCommand({ Bucket, Key: packageKey }))).ServerSideEncryption });
    policy.Statement.push({ Sid: "PackagecloudCloudFrontRead", Effect: "Allow", Principal: { AWS: OAI_PRINCIPAL }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${Bucket}/*` });
    await c.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(policy) }));
  }

  await terraformOkAsync(["apply", "-auto-approve", "-input=false"], dir, tfEnv);
  const statements = async (c: S3Client, Bucket: string) => JSON.parse((await c.send(new GetBucketPolicyCommand({ Bucket }))).Policy!).Statement;
  const policiesAfterApply: StorageChecks["policiesAfterApply"] = [];
  for (const { Bucket, s3: c } of packageBuckets) {
    const kept = await statements(c, Bucket);
    policiesAfterApply.push({ Bucket, sids: kept.map((x: any) => x.Sid), oai: kept[1]?.Principal });
  }
  const offsiteSidsAfterApply = (await statements(main, offsite)).map((x: any) => x.Sid);

  const secondPlan = await terraformAsync(["plan", "-detailed-exitcode", "-input=false"], dir, tfEnv);
  // -refresh=false: the refusal is Terraform's, from the configuration and the state; reading every object
  // again first would add provider work and nothing to the check.
  const destroy = await terraformAsync(["plan", "-destroy", "-refresh=false", "-input=false"], dir, tfEnv);
  return { lock, packages, policiesAfterApply, offsiteSidsAfterApply, secondPlan, destroy };
}

beforeAll(async () => {
  drill = await runDrill("pre", () => undefined, {
    alongsideStorage: async (workspace, emulator, out) => {
      storage = await storageChecks(workspace, emulator, out);
    },
  });
  // The timings, for docs/disaster-recovery.md §6 and the issue note.
  console.log(`DR drill (pre):\n${formatSteps(drill.steps)}`);
  outputs = drill.outputs[STACK];
  vm = drill.outputs["packagecloud-pre-vm"];
  const client = { endpoint: drill.emulator.endpoint, region: env.aws.region, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  s3 = new S3Client({ ...client, forcePathStyle: true });
  ec2 = new EC2Client(client);
}, 900_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  s3?.destroy();
  ec2?.destroy();
  await drill?.cleanup();
});

describe(`${STACK} in the emulator`, () => {
  it("outputs the configured bucket names", () => {
    expect(outputs.packages_bucket_name).toBe(env.storage.packages.bucketName);
    expect(outputs.replica_bucket_name).toBe(env.storage.packages.replicaBucketName);
    expect(outputs.offsite_backups_bucket_name).toBe(env.storage.offsiteBackups.bucketName);
    expect(outputs.daily_backups_bucket_name).toBe(env.storage.dailyBackups.bucketName);
  });

  it("versions, encrypts (KMS; SSE-S3 for the CloudFront-served package buckets) and blocks public access on every bucket", async () => {
    const cdnOrigins = [outputs.packages_bucket_name, outputs.replica_bucket_name];
    for (const Bucket of [outputs.packages_bucket_name, outputs.replica_bucket_name, outputs.offsite_backups_bucket_name, outputs.daily_backups_bucket_name]) {
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe("Enabled");
      const sse = (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0];
      expect(sse?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe(cdnOrigins.includes(Bucket) ? "AES256" : "aws:kms");
      expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it("locks offsite backups in the configured mode and period", async () => {
    const lock = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: outputs.offsite_backups_bucket_name }));
    expect(lock.ObjectLockConfiguration).toMatchObject({
      ObjectLockEnabled: "Enabled",
      Rule: { DefaultRetention: { Mode: env.storage.offsiteBackups.objectLock.mode, Days: env.storage.offsiteBackups.objectLock.days } },
    });
  });

  it("replicates the package bucket to the replica with the replication role", async () => {
    const config = (await s3.send(new GetBucketReplicationCommand({ Bucket: outputs.packages_bucket_name }))).ReplicationConfiguration;
    expect(config?.Role).toBe(outputs.replication_role_arn);
    expect(config?.Rules).toHaveLength(1);
    expect(config?.Rules?.[0]).toMatchObject({
      Status: "Enabled",
      DeleteMarkerReplication: { Status: "Disabled" },
      Destination: expect.objectContaining({ Bucket: outputs.replica_bucket_arn }),
    });
  });

  it("refuses to delete a locked backup version; a delete without a version only adds a delete marker", () => {
    expect(storage.lock.putVersion).toBeTruthy();
    expect(storage.lock.deleteVersion).toMatch(/Access Denied/);
    expect(storage.lock.marker).toBe(true);
    expect(storage.lock.versionsLeft).toEqual([storage.lock.putVersion]);
  });

  it("stores packages SSE-S3 in both package buckets and keeps the application's OAI statement through the next apply; every other policy is restored", () => {
    expect(storage.packages).toEqual([
      { Bucket: outputs.packages_bucket_name, sse: "AES256" },
      { Bucket: outputs.replica_bucket_name, sse: "AES256" },
    ]);
    expect(storage.policiesAfterApply).toEqual(
      [outputs.packages_bucket_name, outputs.replica_bucket_name].map((Bucket) => ({ Bucket, sids: ["DenyInsecureTransport", "PackagecloudCloudFrontRead"], oai: { AWS: OAI_PRINCIPAL } })),
    );
    // The offsite bucket's policy, removed to reach Object Lock, is back.
    expect(storage.offsiteSidsAfterApply).toEqual(["DenyInsecureTransport"]);
  });

  it("shows no changes on a second plan", () => {
    expect({ code: storage.secondPlan.code, stderr: storage.secondPlan.stderr }).toEqual({ code: 0, stderr: "" });
    expect(storage.secondPlan.stdout).toMatch(/No changes/);
  });

  it("refuses to destroy the protected buckets", () => {
    expect(storage.destroy.code).not.toBe(0);
    const stderr = storage.destroy.stderr.replace(/\s+/g, " "); // Terraform wraps its messages
    expect(stderr).toMatch(/Instance cannot be destroyed/);
    for (const bucket of ["packages_source", "packages_replica", "offsite_backups_bucket", "daily_backups_bucket"]) {
      expect(stderr).toMatch(new RegExp(`aws_s3_bucket\\.${bucket} has lifecycle\\.prevent_destroy set`));
    }
  });
});

describe("after losing the instance", () => {
  it("rebuilds it as a new instance with the same Terraform", () => {
    expect(drill.rebuiltInstanceId).toMatch(/^i-/);
    expect(drill.rebuiltInstanceId).not.toBe(drill.lostInstanceId);
  });

  it("keeps the data volume and attaches it to the rebuilt instance", () => {
    expect(drill.dataVolumeId).toBe(drill.outputs["packagecloud-pre-vm"].data_volume_id);
    expect(drill.dataVolumeAttachedTo).toBe(drill.rebuiltInstanceId);
  });

  it("keeps every bucket", () => {
    expect(Object.values(drill.bucketsAfterRebuild)).toEqual([true, true, true, true]);
  });

  it("ends with a plan that shows no changes", () => {
    expect(drill.planAfterRebuild).toBe(0);
  });
});

describe("packagecloud-pre-vm as rebuilt", () => {
  it("runs the configured instance type and AMI, IMDSv2 only, EBS-optimized, with the instance profile", async () => {
    const reservations = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [vm.instance_id] }))).Reservations ?? [];
    const instance = reservations[0]?.Instances?.[0];
    expect(instance).toMatchObject({
      InstanceType: env.vm.instanceType,
      ImageId: env.vm.amiId,
      EbsOptimized: true,
      SubnetId: vm.subnet_id,
      Placement: expect.objectContaining({ AvailabilityZone: env.vm.availabilityZone }),
      MetadataOptions: expect.objectContaining({ HttpTokens: "required", HttpPutResponseHopLimit: 1 }),
    });
    expect(instance?.IamInstanceProfile?.Arn).toMatch(/instance-profile\/packagecloud-pre-vm$/);
    const termination = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: vm.instance_id, Attribute: "disableApiTermination" }));
    expect(termination.DisableApiTermination?.Value).toBe(env.vm.terminationProtection);
  });

  it("boots with the stable bootstrap (EC2 decodes it as sent); the bundle in S3 names the real data volume", async () => {
    const attribute = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: vm.instance_id, Attribute: "userData" }));
    const gzipped = Buffer.from(attribute.UserData?.Value ?? "", "base64");
    expect(gzipped.length).toBeLessThan(16 * 1024); // RunInstances: "User data is limited to 16 KB" (before base64)
    expect(gunzipSync(gzipped).toString("utf8")).toBe(bootstrapCloudConfig({ bucket: vm.config_bucket_name, key: VM_CONFIG_KEY, region: env.aws.region }));
    const body = await (await s3.send(new GetObjectCommand({ Bucket: vm.config_bucket_name, Key: VM_CONFIG_KEY }))).Body!.transformToString();
    expect(body).toBe(bundleJson(bundleFor(vm.data_volume_id, vmFirstBootExtension(env))));
  });

  it("attaches the encrypted 2 TB gp2 data volume in the instance's zone as /dev/sdf", async () => {
    const volume = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [vm.data_volume_id] }))).Volumes?.[0];
    expect(volume).toMatchObject({
      Size: env.vm.dataVolumeGiB,
      VolumeType: "gp2",
      Encrypted: true,
      KmsKeyId: vm.disk_key_arn,
      AvailabilityZone: env.vm.availabilityZone,
    });
    expect(volume?.Attachments).toEqual([expect.objectContaining({ InstanceId: vm.instance_id, Device: "/dev/sdf", State: "attached" })]);
  });

  it("publishes the instance at its Elastic IP, on the interface it booted with", async () => {
    const instance = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [vm.instance_id] }))).Reservations?.[0]?.Instances?.[0];
    const primary = instance?.NetworkInterfaces?.find((n) => n.Attachment?.DeviceIndex === 0)?.NetworkInterfaceId;
    expect(primary).toMatch(/^eni-/);
    // The address is associated with the interface (AWS also reports the instance then; moto reports the interface only).
    const addresses = (await ec2.send(new DescribeAddressesCommand({ PublicIps: [vm.public_ip] }))).Addresses ?? [];
    expect(addresses).toEqual([expect.objectContaining({ NetworkInterfaceId: primary, Domain: "vpc" })]);
  });

  it("opens 80/443 to the world, 22 to admins, the exporters to Prometheus, each rule described", async () => {
    const rules =
      (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [vm.security_group_id] }] }))).SecurityGroupRules ?? [];
    const ingress = rules.filter((r) => !r.IsEgress);
    const sources = (port: number) => ingress.filter((r) => r.FromPort === port).map((r) => r.CidrIpv4 ?? r.CidrIpv6).sort();
    expect(sources(80)).toEqual(["0.0.0.0/0", "::/0"]);
    expect(sources(443)).toEqual(["0.0.0.0/0", "::/0"]);
    expect(sources(22)).toEqual([...env.network.adminCidrs].sort());
    for (const port of Object.values(EXPORTER_PORTS)) expect(sources(port)).toEqual([...env.network.prometheusCidrs].sort());
    expect(ingress).toHaveLength(4 + env.network.adminCidrs.length + Object.keys(EXPORTER_PORTS).length * env.network.prometheusCidrs.length);
    for (const rule of rules) expect(rule.Description).toMatch(/\S/);
    expect(rules.filter((r) => r.IsEgress).map((r) => r.FromPort).sort()).toEqual([443, 443, 80, 80]);
  });

  it("refuses to destroy the data volume", () => {
    const destroy = terraform(["plan", "-destroy", "-refresh=false", "-input=false", "-target=aws_ebs_volume.vm_data_volume"], stackDir(drill.workspace, "packagecloud-pre-vm"), stackEnv(drill.workspace, "packagecloud-pre-vm"));
    expect(destroy.code).not.toBe(0);
    expect(destroy.stderr.replace(/\s+/g, " ")).toMatch(/aws_ebs_volume\.vm_data_volume has lifecycle\.prevent_destroy set/);
  }, 300_000);
});

/** The pre VM's bundle, as vm-stack.ts builds it, for a given volume id and backup extension. */
function bundleFor(volumeId: string, extension: ReturnType<typeof vmFirstBootExtension>) {
  return vmConfigBundle({
    location: { bucket: vm.config_bucket_name, key: VM_CONFIG_KEY, region: env.aws.region },
    dataDisk: { volumeId, mountPoint: DATA_MOUNT_POINT },
    apt: env.vm.packagecloudApt,
    networkWait: defaultNetworkWait(env.vm.packagecloudApt),
    extensions: [extension],
    secrets: [
      { parameter: vmSecretParameter("pre", "apt-auth"), path: APT_AUTH_FILE, owner: "root:root", permissions: "0600" },
      { parameter: vmSecretParameter("pre", "packagecloud-rb"), path: PACKAGECLOUD_CONFIG_FILE, owner: "root:root", permissions: "0600" },
      { parameter: vmSecretParameter("pre", "age-identity"), path: VM_AGE_IDENTITY_FILE, owner: "root:root", permissions: "0400" },
    ],
  });
}

/** The VM's agent, run here against the emulator with a root prefix: what the VM would write, and run. */
function runAgent(root: string, state: string): { code: number; commands: string[]; stderr: string } {
  const run = spawnSync("python3", [SYNC_AGENT_SOURCE, "--bucket", vm.config_bucket_name, "--key", VM_CONFIG_KEY, "--region", env.aws.region, "--root", root, "--state", state, "--commands", "print"], {
    encoding: "utf8",
    env: { ...process.env, AWS_ENDPOINT_URL: drill.emulator.endpoint, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" },
  });
  return { code: run.status ?? 1, commands: run.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l).id), stderr: run.stderr };
}

describe("a changed backup script on the running pre VM", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-vm-root-"));
  const state = path.join(root, "var/lib/packagecloud-config");
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("reaches the VM through the bundle, plans no instance change, and leaves the instance running as it was", async () => {
    const dir = stackDir(drill.workspace, "packagecloud-pre-vm");
    const tfEnv = stackEnv(drill.workspace, "packagecloud-pre-vm");
    const describe = async () => (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [vm.instance_id] }))).Reservations?.[0]?.Instances?.[0];
    const before = await describe();

    // The agent's first run: every file, every command due; the secrets are not in Parameter Store yet, so the
    // install waits for them (exit 1) while the data disk, packages and backup units are applied.
    const first = runAgent(root, state);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/secret \/packagecloud\/pre\/vm\/apt-auth .* is not readable yet/);
    expect(first.commands).toEqual(expect.arrayContaining(["data-disk", "packages"]));
    expect(first.commands).not.toContain("packagecloud");
    const script = (p: string) => fs.readFileSync(path.join(root, p), "utf8");
    const original = vmFirstBootExtension(env);
    expect(script(BACKUP_SCRIPT_PATH)).toBe(original.writeFiles.find((f) => f.path === BACKUP_SCRIPT_PATH)!.content);

    // The change: the backup script gains a line, as any fix to it would. Written into the synthesized stack as the
    // bundle cdktf would write (the volume id as its value; HCL's template escapes in the literal).
    const changed = { ...original, writeFiles: original.writeFiles.map((f) => (f.path === BACKUP_SCRIPT_PATH ? { ...f, content: `${f.content}# changed by the emulator test\n` } : f)) };
    const stackFile = path.join(dir, "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(stackFile, "utf8"));
    json.resource.aws_s3_object.vm_config_bundle.content = bundleJson(bundleFor(vm.data_volume_id, changed)).replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
    fs.writeFileSync(stackFile, JSON.stringify(json, null, 2));

    terraformOk(["plan", "-input=false", "-out=change.tfplan"], dir, tfEnv);
    const plan = JSON.parse(terraformOk(["show", "-json", "change.tfplan"], dir, tfEnv).stdout);
    const changes = plan.resource_changes.filter((c: any) => !c.change.actions.every((a: string) => a === "no-op" || a === "read"));
    expect(changes.map((c: any) => `${c.address}: ${c.change.actions.join(",")}`)).toEqual(["aws_s3_object.vm_config_bundle: update"]);
    terraformOk(["apply", "-input=false", "change.tfplan"], dir, tfEnv);

    const after = await describe();
    expect({ id: after?.InstanceId, state: after?.State?.Name, launched: after?.LaunchTime }).toEqual({ id: before?.InstanceId, state: "running", launched: before?.LaunchTime });
    // Where the VM reads it: the bundle in S3, and the file the agent writes from it at its next run.
    const second = runAgent(root, state);
    expect(script(BACKUP_SCRIPT_PATH)).toMatch(/# changed by the emulator test\n$/);
    // Only the commands whose inputs changed run again (the backup units' reload), and the data disk, which runs
    // every time (it mounts a restored disk and grows a grown one); never the agent's units or the packages.
    expect(second.commands).not.toContain("config-sync-units");
    expect(second.commands).not.toContain("packages");
    expect(second.commands).toEqual(expect.arrayContaining([expect.stringMatching(/^extension-/)]));
  }, 600_000);
});
