/**
 * packagecloud-pre-storage applied into moto_server with Terraform, then checked through the AWS API:
 * what the config says is what AWS holds, a locked backup cannot be deleted, the application's own bucket
 * policy statement survives an apply, a second plan is clean, and destroy is refused.
 */
import {
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListObjectVersionsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadEnvironments } from "../../config";
import { applyStack, stackDir, stackEnv, synthForEmulator, type EmulatorWorkspace, type StackOutputs } from "../../scripts/lib/emulator-deploy";
import { startEmulator, type Emulator } from "../../scripts/lib/moto";
import { terraform, terraformOk } from "../../scripts/lib/terraform";

// The SDK is pinned; its notice that future releases need Node 22 says nothing about this test.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const STACK = "packagecloud-pre-storage";
const env = loadEnvironments().pre;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-emulator-"));
let emulator: Emulator;
let ws: EmulatorWorkspace;
let outputs: StackOutputs;
let s3: S3Client;

beforeAll(async () => {
  emulator = await startEmulator();
  ws = { outdir: path.join(root, "cdktf.out"), stateDir: path.join(root, "state"), endpoint: emulator.endpoint };
  synthForEmulator(ws);
  outputs = applyStack(ws, STACK);
  s3 = new S3Client({
    endpoint: emulator.endpoint,
    region: env.aws.region,
    forcePathStyle: true,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });
}, 600_000);

afterAll(async () => {
  s3?.destroy();
  await emulator?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

describe(`${STACK} in the emulator`, () => {
  it("outputs the configured bucket names", () => {
    expect(outputs.packages_bucket_name).toBe(env.storage.packages.bucketName);
    expect(outputs.replica_bucket_name).toBe(env.storage.packages.replicaBucketName);
    expect(outputs.offsite_backups_bucket_name).toBe(env.storage.offsiteBackups.bucketName);
    expect(outputs.daily_backups_bucket_name).toBe(env.storage.dailyBackups.bucketName);
  });

  it("versions, encrypts with KMS and blocks public access on every bucket", async () => {
    for (const Bucket of [outputs.packages_bucket_name, outputs.replica_bucket_name, outputs.offsite_backups_bucket_name, outputs.daily_backups_bucket_name]) {
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe("Enabled");
      const sse = (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0];
      expect(sse?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("aws:kms");
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

  const backupKey = `${env.storage.offsiteBackups.prefix}packagecloud-streamed-database-backup.1.xbstream`;

  it("refuses to delete a locked backup version; a delete without a version only adds a delete marker", async () => {
    const Bucket = outputs.offsite_backups_bucket_name;
    // moto evaluates bucket policies without their conditions, so the TLS-only Deny refuses every object call
    // here. Remove the policy to reach Object Lock; the next apply must put it back (asserted below).
    await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: backupKey, Body: "backup" }));
    expect(put.VersionId).toBeTruthy();
    await expect(s3.send(new DeleteObjectCommand({ Bucket, Key: backupKey, VersionId: put.VersionId }))).rejects.toThrow(/Access Denied/);
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: backupKey }));
    expect(marker.DeleteMarker).toBe(true);
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: backupKey }));
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual([put.VersionId]);
  });

  it("keeps the application's own statement in the package bucket policy, and restores every other policy", async () => {
    const Bucket = outputs.packages_bucket_name;
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy!);
    const appStatement = {
      Sid: "PackagecloudCloudFrontRead",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLE" },
      Action: "s3:GetObject",
      Resource: `arn:aws:s3:::${Bucket}/*`,
    };
    policy.Statement.push(appStatement);
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(policy) }));

    terraformOk(["apply", "-auto-approve", "-input=false"], stackDir(ws, STACK), stackEnv(ws, STACK));
    const sids = async (b: string) => JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: b }))).Policy!).Statement.map((x: any) => x.Sid);
    expect(await sids(Bucket)).toEqual(["DenyInsecureTransport", "PackagecloudCloudFrontRead"]);
    expect(await sids(outputs.offsite_backups_bucket_name)).toEqual(["DenyInsecureTransport"]);
  }, 300_000);

  it("shows no changes on a second plan", () => {
    const plan = terraform(["plan", "-detailed-exitcode", "-input=false"], stackDir(ws, STACK), stackEnv(ws, STACK));
    expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: "" });
    expect(plan.stdout).toMatch(/No changes/);
  }, 300_000);

  it("refuses to destroy the protected buckets", () => {
    const destroy = terraform(["plan", "-destroy", "-input=false"], stackDir(ws, STACK), stackEnv(ws, STACK));
    expect(destroy.code).not.toBe(0);
    const stderr = destroy.stderr.replace(/\s+/g, " "); // Terraform wraps its messages
    expect(stderr).toMatch(/Instance cannot be destroyed/);
    for (const bucket of ["packages_source", "packages_replica", "offsite_backups_bucket", "daily_backups_bucket"]) {
      expect(stderr).toMatch(new RegExp(`aws_s3_bucket\\.${bucket} has lifecycle\\.prevent_destroy set`));
    }
  }, 300_000);
});
