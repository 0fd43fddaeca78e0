/**
 * The package buckets as CloudFront origins, in the emulator, as far as moto goes: packagecloud-pre-storage applied
 * into its own moto_server, then what packagecloud's CloudFront setup does to the buckets ("AWS CloudFront Setup":
 * an origin access identity, and its statement in the bucket policy).
 *
 * - Both package buckets (source and replica, which serves during failover) encrypt new packages with SSE-S3, the
 *   encryption an origin access identity can read (an OAI cannot decrypt SSE-KMS).
 * - The OAI statement the application writes into the bucket policy survives the next apply, on both buckets, and
 *   the plan after it is clean.
 *
 * What moto cannot show: moto 5.2.1 has no origin-access-identity API (its CloudFront backend implements origin
 * access controls only) and does not evaluate principals, so the OAI is an example id and the read through
 * CloudFront itself is not exercised; PC_S3_CDN_ORIGIN_NOT_KMS and test/constructs/cdn-setup.test.ts cover the
 * rest at synth.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  DeleteBucketPolicyCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  HeadObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { loadEnvironments } from "../../config";
import { applyStack, stackDir, stackEnv, synthForEmulator, type EmulatorWorkspace, type StackOutputs } from "../../scripts/lib/emulator-deploy";
import { startEmulator, type Emulator } from "../../scripts/lib/moto";
import { terraform, terraformOk } from "../../scripts/lib/terraform";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const STACK = "packagecloud-pre-storage";
const env = loadEnvironments().pre;
/** An example OAI id: moto 5.2.1 cannot create one (see above). */
const OAI_PRINCIPAL = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLEOAI";

let emulator: Emulator;
let root: string;
let ws: EmulatorWorkspace;
let outputs: StackOutputs;
const clients: S3Client[] = [];
const applySeconds: number[] = [];

function s3(region: string): S3Client {
  const client = new S3Client({ endpoint: emulator.endpoint, region, forcePathStyle: true, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
  clients.push(client);
  return client;
}

function timedApply(): void {
  const start = Date.now();
  terraformOk(["apply", "-auto-approve", "-input=false"], stackDir(ws, STACK), stackEnv(ws, STACK));
  applySeconds.push((Date.now() - start) / 1000);
}

beforeAll(async () => {
  emulator = await startEmulator();
  root = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-cdn-origin-"));
  ws = { outdir: path.join(root, "cdktf.out"), stateDir: path.join(root, "state"), endpoint: emulator.endpoint };
  synthForEmulator(ws);
  const start = Date.now();
  outputs = applyStack(ws, STACK);
  applySeconds.push((Date.now() - start) / 1000);
}, 900_000);

afterAll(async () => {
  console.log(`cdn-origin: applies took ${applySeconds.map((s) => `${s.toFixed(0)} s`).join(", ")}`);
  for (const client of clients) client.destroy();
  await emulator?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const buckets = () => [
  { name: outputs.packages_bucket_name, region: env.aws.region },
  { name: outputs.replica_bucket_name, region: env.aws.replicaRegion },
];
const packageKey = "pool/main/p/packagecloud-test/packagecloud-test_1.0_amd64.deb";

describe("package buckets as CloudFront origins (OAI), in the emulator", () => {
  it("default to SSE-S3 on the source and the replica", async () => {
    for (const { name, region } of buckets()) {
      const rules = (await s3(region).send(new GetBucketEncryptionCommand({ Bucket: name }))).ServerSideEncryptionConfiguration?.Rules;
      expect({ bucket: name, rules }).toEqual({ bucket: name, rules: [expect.objectContaining({ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } })] });
    }
  });

  it("store a package SSE-S3, and keep the application's OAI statement through the next apply, with a clean plan", async () => {
    const baselines = new Map<string, any>();
    for (const { name, region } of buckets()) {
      const client = s3(region);
      baselines.set(name, JSON.parse((await client.send(new GetBucketPolicyCommand({ Bucket: name }))).Policy!));
      // moto evaluates bucket policies without their conditions, so the TLS-only Deny refuses every object call
      // over the emulator's plain HTTP: remove the policy to put the package, then write it back as the app would.
      await client.send(new DeleteBucketPolicyCommand({ Bucket: name }));
      await client.send(new PutObjectCommand({ Bucket: name, Key: packageKey, Body: "package bytes" }));
      expect((await client.send(new HeadObjectCommand({ Bucket: name, Key: packageKey }))).ServerSideEncryption).toBe("AES256");
      const policy = baselines.get(name);
      policy.Statement.push({ Sid: "PackagecloudCloudFrontRead", Effect: "Allow", Principal: { AWS: OAI_PRINCIPAL }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${name}/*` });
      await client.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify(policy) }));
    }

    timedApply();

    for (const { name, region } of buckets()) {
      const statements = JSON.parse((await s3(region).send(new GetBucketPolicyCommand({ Bucket: name }))).Policy!).Statement;
      expect({ bucket: name, sids: statements.map((x: any) => x.Sid) }).toEqual({ bucket: name, sids: ["DenyInsecureTransport", "PackagecloudCloudFrontRead"] });
      expect(statements[1].Principal).toEqual({ AWS: OAI_PRINCIPAL });
    }
    const plan = terraform(["plan", "-detailed-exitcode", "-input=false"], stackDir(ws, STACK), stackEnv(ws, STACK));
    expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: "" });
  }, 600_000);
});
