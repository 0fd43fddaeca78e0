/**
 * Adopting buckets that exist, for real in its own emulator: `pre`'s four data buckets are created through the S3
 * API first (versioned, one holding a package), then the storage stack is deployed with `adopt` configured. The
 * plan imports the buckets and the listed parts instead of creating them, the apply succeeds without touching the
 * package, and the next plan is clean. The daily-backup bucket holds a backup from before (as ops's
 * gitlab-packagecloud-db-backups holds the VM era's, seed 001): its existing objects are kept (the default), so the
 * lifecycle the plan creates, and S3 then stores, can remove no version; the offsite bucket is adopted with
 * `may-expire`, and its lifecycle expires (the check can fail).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketEncryptionCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type BucketLocationConstraint,
} from "@aws-sdk/client-s3";
import { loadEnvironments, parseEnvironment, type EnvironmentInput } from "../../config";
import { ENVIRONMENTS } from "../../config/environments";
import { stackName } from "../../config/naming";
import { stackEnv, type EmulatorWorkspace } from "../../emulator/lib/emulator-deploy";
import { startEmulator, type Emulator } from "../../emulator/lib/moto";
import { terraform, terraformOk } from "../../operator/lib/terraform";
import { buildApp } from "../../stacks/app";
import { canRemoveExistingVersions } from "../support/lifecycle";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const STACK = stackName("pre", "storage");
const ADOPT = {
  buckets: {
    packages: ["versioning", "encryption", "publicAccessBlock"],
    replica: ["versioning"],
    offsiteBackups: ["versioning"],
    dailyBackups: ["versioning"],
  },
  evidence: {
    packages: "created by this test before the plan",
    replica: "created by this test before the plan",
    offsiteBackups: "created by this test before the plan",
    dailyBackups: "created by this test before the plan",
  },
  // dailyBackups: keep, the default. The offsite bucket's lifecycle may expire what is in it.
  existingObjects: { offsiteBackups: "may-expire" },
} as const;
const OLD_BACKUP_KEY = "backups/2024-01-01/packagecloud-db.xbstream";
const input = structuredClone(ENVIRONMENTS.pre) as EnvironmentInput;
const env = parseEnvironment("pre", { ...input, adopt: structuredClone(ADOPT) as any });
const storage = env.storage;
const PACKAGE_KEY = "pool/main/p/packagecloud-test_1.0_amd64.deb";

const timings: Record<string, number> = {};
let emulator: Emulator;
let root: string;
let ws: EmulatorWorkspace;
let dir: string;
let tfEnv: NodeJS.ProcessEnv;
let s3: S3Client;
let packageVersion: string;
let plan: any;
let planText: string;
let apply: { code: number; stderr: string };
let secondPlan: { code: number; stdout: string; stderr: string };

function timed<T>(step: string, action: () => T): T {
  const started = Date.now();
  try {
    return action();
  } finally {
    timings[step] = (Date.now() - started) / 1000;
  }
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-adopt-"));
  emulator = await startEmulator();
  ws = { outdir: path.join(root, "cdktf.out"), stateDir: path.join(root, "state"), endpoint: emulator.endpoint };
  const client = (region: string) =>
    new S3Client({ endpoint: emulator.endpoint, region, forcePathStyle: true, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
  s3 = client(env.aws.region);
  const replicaS3 = client(env.aws.replicaRegion);

  // What exists today, made the way it was made: by hand, through the API.
  const create = async (c: S3Client, bucket: string, region: string, objectLock = false) => {
    await c.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint }, ObjectLockEnabledForBucket: objectLock || undefined }));
    await c.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
  };
  await create(s3, storage.packages.bucketName, env.aws.region);
  await create(replicaS3, storage.packages.replicaBucketName, env.aws.replicaRegion);
  await create(s3, storage.offsiteBackups.bucketName, env.aws.region, true);
  await create(s3, storage.dailyBackups.bucketName, env.aws.region);
  await s3.send(new PutBucketEncryptionCommand({ Bucket: storage.packages.bucketName, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" } }] } }));
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: storage.packages.bucketName,
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false },
    }),
  );
  packageVersion = (await s3.send(new PutObjectCommand({ Bucket: storage.packages.bucketName, Key: PACKAGE_KEY, Body: "a package" }))).VersionId!;
  await s3.send(new PutObjectCommand({ Bucket: storage.dailyBackups.bucketName, Key: OLD_BACKUP_KEY, Body: "a VM-era backup" }));
  replicaS3.destroy();

  // The project's app with adoption on, synthesized in process for the emulator (main.ts reads only the committed config).
  timed("synthesize", () => {
    const app = new App({ outdir: ws.outdir });
    buildApp(app, {
      environments: { ...loadEnvironments(), pre: env },
      target: { kind: "emulator", endpoint: emulator.endpoint, stateDir: ws.stateDir, adoptExisting: true },
    });
    app.synth();
  });
  dir = path.join(ws.outdir, "stacks", STACK);
  tfEnv = stackEnv(ws, STACK);
  timed("init", () => terraformOk(["init", "-input=false"], dir, tfEnv));
  planText = timed("first plan", () => terraformOk(["plan", "-input=false", "-out=adopt.tfplan"], dir, tfEnv).stdout);
  plan = JSON.parse(terraformOk(["show", "-json", "adopt.tfplan"], dir, tfEnv).stdout);
  apply = timed("apply", () => terraform(["apply", "-input=false", "adopt.tfplan"], dir, tfEnv));
  secondPlan = timed("second plan", () => terraform(["plan", "-input=false", "-detailed-exitcode"], dir, tfEnv));
  console.log(`adoption test timings (s): ${JSON.stringify(timings)}`);
}, 1_200_000);

afterAll(async () => {
  s3?.destroy();
  await emulator?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
}, 60_000);

const change = (address: string) => {
  const found = plan.resource_changes.find((r: any) => r.address === address);
  if (!found) throw new Error(`${address} is not in the plan`);
  return found.change;
};

describe("the first plan with adoption on", () => {
  const adopted = [
    ["aws_s3_bucket.packages_source", storage.packages.bucketName],
    ["aws_s3_bucket_versioning.packages_source_versioning", storage.packages.bucketName],
    ["aws_s3_bucket_server_side_encryption_configuration.packages_source_encryption", storage.packages.bucketName],
    ["aws_s3_bucket_public_access_block.packages_source_public_access_block", storage.packages.bucketName],
    ["aws_s3_bucket.packages_replica", storage.packages.replicaBucketName],
    ["aws_s3_bucket_versioning.packages_replica_versioning", storage.packages.replicaBucketName],
    ["aws_s3_bucket.offsite_backups_bucket", storage.offsiteBackups.bucketName],
    ["aws_s3_bucket_versioning.offsite_backups_bucket_versioning", storage.offsiteBackups.bucketName],
    ["aws_s3_bucket.daily_backups_bucket", storage.dailyBackups.bucketName],
    ["aws_s3_bucket_versioning.daily_backups_bucket_versioning", storage.dailyBackups.bucketName],
  ];

  it.each(adopted)("imports %s (id %s) instead of creating it", (address, id) => {
    const c = change(address);
    expect(c.importing).toEqual({ id });
    expect(c.actions).not.toContain("create");
    expect(c.actions).not.toContain("delete");
  });

  it("imports exactly those, and says so in its summary", () => {
    const importing = plan.resource_changes.filter((r: any) => r.change.importing).map((r: any) => r.address);
    expect(importing.sort()).toEqual(adopted.map(([a]) => a).sort());
    expect(planText).toMatch(new RegExp(`Plan: ${adopted.length} to import, \\d+ to add, \\d+ to change, 0 to destroy`));
  });

  it("brings the imported parts to the configured values (SSE-S3, which CloudFront's OAI can read, instead of the old SSE-KMS; all four access blocks)", () => {
    expect(change("aws_s3_bucket_server_side_encryption_configuration.packages_source_encryption").actions).toEqual(["update"]);
    expect(change("aws_s3_bucket_public_access_block.packages_source_public_access_block").after).toMatchObject({ block_public_policy: true, restrict_public_buckets: true });
  });

  it("creates the parts that did not exist, and the access-log buckets that are new", () => {
    expect(change("aws_s3_bucket_lifecycle_configuration.packages_source_lifecycle").actions).toEqual(["create"]);
    expect(change("aws_s3_bucket.access_logs").actions).toEqual(["create"]);
  });
});

describe("the apply", () => {
  it("succeeds", () => {
    expect({ code: apply.code, stderr: apply.stderr }).toEqual({ code: 0, stderr: "" });
  });

  it("is followed by a clean plan", () => {
    expect({ code: secondPlan.code, stderr: secondPlan.stderr }).toEqual({ code: 0, stderr: "" });
    expect(secondPlan.stdout).toMatch(/No changes/);
  });

  it("leaves the package that was there untouched", async () => {
    // moto evaluates the TLS-only Deny without its condition, refusing every object call: remove it to look.
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: storage.packages.bucketName }));
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: storage.packages.bucketName }));
    expect(versions.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest])).toEqual([[PACKAGE_KEY, packageVersion, true]]);
    expect(versions.DeleteMarkers ?? []).toEqual([]);
    const body = await (await s3.send(new GetObjectCommand({ Bucket: storage.packages.bucketName, Key: PACKAGE_KEY }))).Body!.transformToString();
    expect(body).toBe("a package");
  });
});

describe("the lifecycle of an adopted bucket whose objects are kept (issue 27 §2)", () => {
  const rulesIn = (address: string) => change(address).after.rule as any[];

  it("is planned with no rule that can remove a version already in the bucket", () => {
    const c = change("aws_s3_bucket_lifecycle_configuration.daily_backups_bucket_lifecycle");
    expect(c.actions).toEqual(["create"]);
    expect(rulesIn("aws_s3_bucket_lifecycle_configuration.daily_backups_bucket_lifecycle").filter(canRemoveExistingVersions).map((r) => r.id)).toEqual([]);
  });

  it("is planned with expiry where the operator recorded may-expire (the check can fail)", () => {
    const expiring = rulesIn("aws_s3_bucket_lifecycle_configuration.offsite_backups_bucket_lifecycle").filter(canRemoveExistingVersions).map((r) => r.id);
    expect(expiring.sort()).toEqual(["expire-current-versions", "expire-noncurrent-versions"]);
  });

  it("is stored by S3 as planned: no Expiration by days or date, no NoncurrentVersionExpiration", async () => {
    const stored = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: storage.dailyBackups.bucketName }));
    const rules = stored.Rules ?? [];
    expect(rules.map((r) => r.ID).sort()).toEqual(["abort-incomplete-multipart-uploads", "remove-expired-delete-markers"]);
    for (const rule of rules) {
      expect(rule.Expiration?.Days).toBeUndefined();
      expect(rule.Expiration?.Date).toBeUndefined();
      expect(rule.NoncurrentVersionExpiration).toBeUndefined();
    }
  });

  it("leaves the backup that was there (moto stores lifecycle rules but never runs them: the rules above are the proof)", async () => {
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: storage.dailyBackups.bucketName }));
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: storage.dailyBackups.bucketName }));
    expect(versions.Versions?.map((v) => v.Key)).toEqual([OLD_BACKUP_KEY]);
  });
});
