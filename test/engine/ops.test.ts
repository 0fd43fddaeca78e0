/**
 * `ops` deployed exactly as a user runs it, `npm run local -- ops`, into a moto_server this test owns (and the
 * stand-in providers for gke and dns): every stack applies, each after the stacks it depends on, and plans clean a
 * second time. Then drift detection on that same deployment, `npm run drift -- ops`: the vm stack changed through
 * the AWS API the way people change things in a console, the storage stack left alone. The report names each
 * drifted resource and attribute and nothing else, the untouched stack is clean, the command exits with the drift
 * status, and nothing was applied.
 *
 * One deployment serves both: the second plans `npm run local` prints are the clean check (the drift command's
 * clean path is the storage stack here; its exit codes are unit-tested in test/drift.test.ts).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AuthorizeSecurityGroupIngressCommand, CreateTagsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DeletePublicAccessBlockCommand, GetBucketVersioningCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { loadEnvironments } from "../../config";
import { stackName } from "../../config/naming";
import { DRIFT_EXIT, type DriftReport, type StackDriftReport } from "../../operator/lib/drift";
import { allStacks, configuredAmiIds, readOutputs, type EmulatorWorkspace, type StackOutputs } from "../../emulator/lib/emulator-deploy";
import { startEmulator, type Emulator } from "../../emulator/lib/moto";
import { PROJECT_ROOT } from "../../operator/lib/terraform";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const env = loadEnvironments().ops;
const STORAGE = stackName("ops", "storage");
const VM = stackName("ops", "vm");
const timings: Record<string, number> = {};
const root = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-ops-"));
let emulator: Emulator;
let ws: EmulatorWorkspace;
let local: { code: number; log: string };
let vm: StackOutputs;
let drifted: DriftRun;
let s3: S3Client;
let ec2: EC2Client;

interface DriftRun {
  readonly code: number;
  readonly report: DriftReport;
  readonly markdown: string;
  readonly stderr: string;
}

/** A project command as a user runs it, output to a file (a blocked event loop never stalls it). */
function run(script: string, args: string[], extraEnv: NodeJS.ProcessEnv, logFile: string): Promise<{ code: number; log: string }> {
  const fd = fs.openSync(logFile, "w");
  const child = spawn(process.execPath, ["-r", "./tooling/register-swc.js", script, ...args], { cwd: PROJECT_ROOT, stdio: ["ignore", fd, fd], env: { ...process.env, ...extraEnv } });
  fs.closeSync(fd);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, log: fs.readFileSync(logFile, "utf8") }));
  });
}

async function timed<T>(step: string, action: () => Promise<T> | T): Promise<T> {
  const started = Date.now();
  try {
    return await action();
  } finally {
    timings[step] = (Date.now() - started) / 1000;
  }
}

/** `npm run drift -- ops` against the emulator, exactly as an operator runs it. */
async function runDrift(name: string): Promise<DriftRun> {
  const reportDir = path.join(root, name);
  const result = await run("operator/drift.ts", ["ops", "--report-dir", reportDir], { PACKAGECLOUD_TARGET: "emulator", PACKAGECLOUD_EMULATOR_ENDPOINT: emulator.endpoint, PACKAGECLOUD_STATE_DIR: ws.stateDir }, path.join(root, `${name}.log`));
  const json = path.join(reportDir, "drift-report.json");
  if (!fs.existsSync(json)) throw new Error(`npm run drift wrote no report (exit ${result.code}):\n${result.log}`);
  return { code: result.code, report: JSON.parse(fs.readFileSync(json, "utf8")), markdown: fs.readFileSync(path.join(reportDir, "drift-report.md"), "utf8"), stderr: result.log };
}

function stack(report: DriftReport, name: string): StackDriftReport {
  const found = report.stacks.find((s) => s.stack === name);
  if (!found) throw new Error(`no ${name} in the report: ${report.stacks.map((s) => s.stack).join(", ")}`);
  return found;
}

beforeAll(async () => {
  emulator = await startEmulator({ amiIds: configuredAmiIds() });
  const dir = path.join(root, "local");
  ws = { outdir: path.join(dir, "cdktf.out"), stateDir: path.join(dir, "state"), endpoint: emulator.endpoint };
  // The emulator is this test's: `npm run local` deploys into it and leaves it running for the drift check.
  local = await timed("npm run local -- ops", () => run("emulator/local.ts", ["ops"], { PACKAGECLOUD_EMULATOR_ENDPOINT: emulator.endpoint, PACKAGECLOUD_LOCAL_DIR: dir }, path.join(root, "local.log")));
  console.log(`npm run local -- ops: ${timings["npm run local -- ops"].toFixed(1)} s\n${local.log.split("\n").filter((l) => /applied in|second plan|side by side/.test(l)).join("\n")}`);
  if (local.code !== 0) return;
  vm = readOutputs(ws, VM);

  const client = { endpoint: emulator.endpoint, region: env.aws.region, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  s3 = new S3Client({ ...client, forcePathStyle: true });
  ec2 = new EC2Client(client);
  // What people do in a console, all of it to the vm stack's resources: the storage stack stays untouched.
  await s3.send(new PutBucketVersioningCommand({ Bucket: vm.config_bucket_name, VersioningConfiguration: { Status: "Suspended" } }));
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket: vm.config_bucket_name }));
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: vm.security_group_id,
      IpPermissions: [{ IpProtocol: "tcp", FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "debugging, remove later" }] }],
    }),
  );
  await ec2.send(new CreateTagsCommand({ Resources: [vm.instance_id], Tags: [{ Key: "Environment", Value: "production" }] }));
  drifted = await timed("npm run drift -- ops, after the console changes", () => runDrift("drifted"));
  console.log(`ops test timings (s): ${JSON.stringify(timings)}`);
}, 1_200_000);

afterAll(async () => {
  s3?.destroy();
  ec2?.destroy();
  await emulator?.stop();
  fs.rmSync(root, { recursive: true, force: true });
}, 60_000);

describe("packagecloud-ops in the emulator (npm run local -- ops)", () => {
  it("deploys every stack of ops: AWS into moto, Google and DNS into the stand-in providers", () => {
    expect({ code: local.code, tail: local.code === 0 ? "" : local.log.slice(-4000) }).toEqual({ code: 0, tail: "" });
    for (const name of allStacks("ops")) expect(local.log).toMatch(new RegExp(`${name}: applied in`));
  });

  it("applies each stack after the stacks it depends on (vm after storage, dns after gke)", () => {
    const at = (name: string) => local.log.indexOf(`${name}: applied in`);
    expect(at(VM)).toBeGreaterThan(at(STORAGE));
    expect(at(stackName("ops", "dns"))).toBeGreaterThan(at(stackName("ops", env.variant === "gke" ? "gke" : "vm")));
  });

  it("shows no changes on a second plan of every stack (emulator quirks declared in stacks/emulator-quirks.ts)", () => {
    for (const name of allStacks("ops")) expect(local.log).toMatch(new RegExp(`${name}: second plan shows no changes`));
  });
});

describe("npm run drift -- ops after console changes", () => {
  it("exits with the drift status", () => {
    expect({ code: drifted.code, status: drifted.report.status }).toEqual({ code: DRIFT_EXIT.drifted, status: "drifted" });
  });

  it("reports the untouched storage stack clean", () => {
    expect(drifted.report.stacks.map((s) => [s.stack, s.status, s.drift.length, s.pending.length])).toEqual([
      [STORAGE, "clean", 0, 0],
      [VM, "drifted", 4, expect.any(Number)],
    ]);
    expect(drifted.markdown).toMatch(/## packagecloud-ops-storage: clean/);
  });

  it("names the suspended versioning: resource, attribute, recorded → actual, and what the next apply would do", () => {
    const report = stack(drifted.report, VM);
    expect(report.drift).toContainEqual({
      address: "aws_s3_bucket_versioning.vm_config_bucket_versioning",
      type: "aws_s3_bucket_versioning",
      kind: "changed",
      attributes: [{ path: "versioning_configuration[0].status", from: "Enabled", to: "Suspended" }],
    });
    expect(report.pending).toContainEqual(
      expect.objectContaining({ address: "aws_s3_bucket_versioning.vm_config_bucket_versioning", actions: ["update"], attributes: [{ path: "versioning_configuration[0].status", from: "Suspended", to: "Enabled" }] }),
    );
  });

  it("names the deleted public access block, which the next apply would re-create", () => {
    const report = stack(drifted.report, VM);
    expect(report.drift).toContainEqual(expect.objectContaining({ address: "aws_s3_bucket_public_access_block.vm_config_bucket_public_access_block", kind: "deleted" }));
    expect(report.pending).toContainEqual(expect.objectContaining({ address: "aws_s3_bucket_public_access_block.vm_config_bucket_public_access_block", actions: ["create"] }));
  });

  it("names the added ingress rule, which no rule resource manages", () => {
    expect(stack(drifted.report, VM).drift).toContainEqual({
      address: "aws_security_group.vm_security_group",
      type: "aws_security_group",
      kind: "changed",
      attributes: [{ path: "ingress", from: "only the rules Terraform manages", to: ["+ tcp 3389 from 0.0.0.0/0 (debugging, remove later)"] }],
    });
  });

  it("names the changed tag", () => {
    const instance = stack(drifted.report, VM).drift.find((d) => d.address === "aws_instance.vm_instance");
    expect(instance?.attributes).toContainEqual({ path: "tags_all.Environment", from: "ops", to: "production" });
  });

  it("reports nothing else: no noise from attributes the code does not set", () => {
    const addresses = drifted.report.stacks.flatMap((s) => s.drift.map((d) => d.address)).sort();
    expect(addresses).toEqual(
      [
        "aws_instance.vm_instance",
        "aws_s3_bucket_public_access_block.vm_config_bucket_public_access_block",
        "aws_s3_bucket_versioning.vm_config_bucket_versioning",
        "aws_security_group.vm_security_group",
      ].sort(),
    );
  });

  it("writes a Markdown table a person can read: stack, resource, attribute, recorded → actual", () => {
    expect(drifted.markdown).toContain("## packagecloud-ops-vm: drifted");
    expect(drifted.markdown).toContain("| `aws_s3_bucket_versioning.vm_config_bucket_versioning` | `versioning_configuration[0].status` | `Enabled` | `Suspended` |");
    expect(drifted.markdown).toContain("| `aws_s3_bucket_public_access_block.vm_config_bucket_public_access_block` | (whole resource) | exists | **deleted** |");
    expect(drifted.markdown).toContain("| `aws_instance.vm_instance` | `tags_all.Environment` | `ops` | `production` |");
  });

  it("applies nothing: the versioning is still suspended", async () => {
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: vm.config_bucket_name }));
    expect(versioning.Status).toBe("Suspended");
  });
});
