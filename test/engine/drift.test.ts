/**
 * Drift detection for real, in its own emulator: `pre`'s AWS stacks (storage, then vm) deployed with the project's
 * deploy helpers, checked clean with `npm run drift`, then changed through the AWS API the way people change
 * things in a console, and checked again: the report names each drifted resource and attribute, the command exits
 * with the drift status, and nothing was applied.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AuthorizeSecurityGroupIngressCommand, CreateTagsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetBucketVersioningCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { loadEnvironments } from "../../config";
import { resourceName, stackName } from "../../config/naming";
import { DRIFT_EXIT, type DriftReport, type StackDriftReport } from "../../scripts/lib/drift";
import { applyStack, awsStacks, configuredAmiIds, synthForEmulator, type EmulatorWorkspace, type StackOutputs } from "../../scripts/lib/emulator-deploy";
import { startEmulator, type Emulator } from "../../scripts/lib/moto";
import { PROJECT_ROOT } from "../../scripts/lib/terraform";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const env = loadEnvironments().pre;
const STORAGE = stackName("pre", "storage");
const VM = stackName("pre", "vm");
const timings: Record<string, number> = {};
let emulator: Emulator;
let root: string;
let ws: EmulatorWorkspace;
const outputs: Record<string, StackOutputs> = {};

async function timed<T>(step: string, action: () => Promise<T> | T): Promise<T> {
  const started = Date.now();
  try {
    return await action();
  } finally {
    timings[step] = (Date.now() - started) / 1000;
  }
}

interface DriftRun {
  readonly code: number;
  readonly report: DriftReport;
  readonly markdown: string;
  readonly stderr: string;
}

/** `npm run drift -- pre` against the emulator, exactly as an operator runs it. */
function runDrift(name: string): Promise<DriftRun> {
  const reportDir = path.join(root, name);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", "./scripts/register-swc.js", "scripts/drift.ts", "pre", "--report-dir", reportDir], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PACKAGECLOUD_TARGET: "emulator", PACKAGECLOUD_EMULATOR_ENDPOINT: emulator.endpoint, PACKAGECLOUD_STATE_DIR: ws.stateDir },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const json = path.join(reportDir, "drift-report.json");
      if (!fs.existsSync(json)) return reject(new Error(`npm run drift wrote no report (exit ${code}):\n${stderr}`));
      resolve({ code: code ?? -1, report: JSON.parse(fs.readFileSync(json, "utf8")), markdown: fs.readFileSync(path.join(reportDir, "drift-report.md"), "utf8"), stderr });
    });
  });
}

function stack(report: DriftReport, name: string): StackDriftReport {
  const found = report.stacks.find((s) => s.stack === name);
  if (!found) throw new Error(`no ${name} in the report: ${report.stacks.map((s) => s.stack).join(", ")}`);
  return found;
}

let clean: DriftRun;
let drifted: DriftRun;
let s3: S3Client;
let ec2: EC2Client;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-drift-"));
  emulator = await timed("start the emulator", () => startEmulator({ amiIds: configuredAmiIds() }));
  ws = { outdir: path.join(root, "cdktf.out"), stateDir: path.join(root, "state"), endpoint: emulator.endpoint };
  await timed("synthesize", () => synthForEmulator(ws));
  expect(awsStacks("pre")).toEqual([STORAGE, VM]);
  // The vm stack attaches the storage stack's policies: storage first.
  outputs[STORAGE] = await timed(`deploy ${STORAGE}`, () => applyStack(ws, STORAGE));
  outputs[VM] = await timed(`deploy ${VM}`, () => applyStack(ws, VM));
  clean = await timed("drift check, untouched", () => runDrift("clean"));

  const client = { endpoint: emulator.endpoint, region: env.aws.region, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  s3 = new S3Client({ ...client, forcePathStyle: true });
  ec2 = new EC2Client(client);
  // What people do in a console.
  await s3.send(new PutBucketVersioningCommand({ Bucket: env.storage.packages.bucketName, VersioningConfiguration: { Status: "Suspended" } }));
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: outputs[VM].security_group_id,
      IpPermissions: [{ IpProtocol: "tcp", FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "debugging, remove later" }] }],
    }),
  );
  await ec2.send(new CreateTagsCommand({ Resources: [outputs[VM].instance_id], Tags: [{ Key: "Environment", Value: "production" }] }));
  // CloudWatch DeleteAlarms through its Query API (moto routes on the credential scope's service name).
  const deleted = await fetch(`${emulator.endpoint}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${env.aws.region}/monitoring/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ Action: "DeleteAlarms", Version: "2010-08-01", "AlarmNames.member.1": `${resourceName("pre", "packages")}-replication-failed` }),
  });
  expect(deleted.status).toBe(200);
  drifted = await timed("drift check, after the console changes", () => runDrift("drifted"));
  console.log(`drift test timings (s): ${JSON.stringify(timings)}`);
}, 1_200_000);

afterAll(async () => {
  s3?.destroy();
  ec2?.destroy();
  await emulator?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
}, 60_000);

describe("on an untouched deployment", () => {
  it("reports every deployed stack clean and exits 0", () => {
    expect({ code: clean.code, status: clean.report.status, stderr: clean.stderr }).toEqual({ code: DRIFT_EXIT.clean, status: "clean", stderr: expect.any(String) });
    expect(clean.report.stacks.map((s) => [s.stack, s.status, s.drift.length, s.pending.length])).toEqual([
      [STORAGE, "clean", 0, 0],
      [VM, "clean", 0, 0],
    ]);
    expect(clean.markdown).toMatch(/## packagecloud-pre-storage: clean/);
  });
});

describe("after console changes", () => {
  it("exits with the drift status", () => {
    expect(drifted.code).toBe(DRIFT_EXIT.drifted);
    expect(drifted.report.status).toBe("drifted");
  });

  it("names the suspended versioning: resource, attribute, recorded → actual, and what the next apply would do", () => {
    const storage = stack(drifted.report, STORAGE);
    expect(storage.drift).toContainEqual({
      address: "aws_s3_bucket_versioning.packages_source_versioning",
      type: "aws_s3_bucket_versioning",
      kind: "changed",
      attributes: [{ path: "versioning_configuration[0].status", from: "Enabled", to: "Suspended" }],
    });
    expect(storage.pending).toContainEqual(
      expect.objectContaining({ address: "aws_s3_bucket_versioning.packages_source_versioning", actions: ["update"], attributes: [{ path: "versioning_configuration[0].status", from: "Suspended", to: "Enabled" }] }),
    );
  });

  it("names the deleted alarm, which the next apply would re-create", () => {
    const storage = stack(drifted.report, STORAGE);
    expect(storage.drift).toContainEqual(expect.objectContaining({ address: "aws_cloudwatch_metric_alarm.replication_alarms_failed", kind: "deleted" }));
    expect(storage.pending).toContainEqual(expect.objectContaining({ address: "aws_cloudwatch_metric_alarm.replication_alarms_failed", actions: ["create"] }));
  });

  it("names the added ingress rule, which no rule resource manages", () => {
    const vm = stack(drifted.report, VM);
    expect(vm.drift).toContainEqual({
      address: "aws_security_group.vm_security_group",
      type: "aws_security_group",
      kind: "changed",
      attributes: [{ path: "ingress", from: "only the rules Terraform manages", to: ["+ tcp 3389 from 0.0.0.0/0 (debugging, remove later)"] }],
    });
  });

  it("names the changed tag", () => {
    const vm = stack(drifted.report, VM);
    const instance = vm.drift.find((d) => d.address === "aws_instance.vm_instance");
    expect(instance?.attributes).toContainEqual({ path: "tags_all.Environment", from: "pre", to: "production" });
  });

  it("reports nothing else: no noise from attributes the code does not set", () => {
    const addresses = drifted.report.stacks.flatMap((s) => s.drift.map((d) => d.address)).sort();
    expect(addresses).toEqual(
      ["aws_cloudwatch_metric_alarm.replication_alarms_failed", "aws_instance.vm_instance", "aws_s3_bucket_versioning.packages_source_versioning", "aws_security_group.vm_security_group"].sort(),
    );
  });

  it("writes a Markdown table a person can read: stack, resource, attribute, recorded → actual", () => {
    expect(drifted.markdown).toContain("## packagecloud-pre-storage: drifted");
    expect(drifted.markdown).toContain("| `aws_s3_bucket_versioning.packages_source_versioning` | `versioning_configuration[0].status` | `Enabled` | `Suspended` |");
    expect(drifted.markdown).toContain("| `aws_cloudwatch_metric_alarm.replication_alarms_failed` | (whole resource) | exists | **deleted** |");
    expect(drifted.markdown).toContain("| `aws_instance.vm_instance` | `tags_all.Environment` | `pre` | `production` |");
  });

  it("applies nothing: the versioning is still suspended", async () => {
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: env.storage.packages.bucketName }));
    expect(versioning.Status).toBe("Suspended");
  });
});
