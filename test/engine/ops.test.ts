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
 *
 * Then two journeys that apply, on the same deployment, each a documented command block run as written (read from
 * the doc itself): the data disk restored from a snapshot (docs/disaster-recovery.md §3.4), which must end with
 * the instance running, and the data disk grown (docs/vm.md, "Growing the data disk"), which must change the volume
 * in place and nothing else. The configuration edit each needs (the snapshot id, the size) is made here, where the
 * operator would make it in config/environments.ts, and synthesized as `npm run synth` would.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSnapshotCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  EC2Client,
  waitUntilSnapshotCompleted,
} from "@aws-sdk/client-ec2";
import { DeletePublicAccessBlockCommand, GetBucketVersioningCommand, GetObjectCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { loadEnvironments, parseEnvironments } from "../../config";
import { ENVIRONMENTS } from "../../config/environments";
import { buildApp } from "../../stacks/app";
import { synthesizeAtomically } from "../../stacks/synthesize";
import { VM_CONFIG_KEY } from "../../constructs/vm-config";
import { stackName } from "../../config/naming";
import { DRIFT_EXIT, type DriftReport, type StackDriftReport } from "../../operator/lib/drift";
import { allStacks, configuredAmiIds, readOutputs, type EmulatorWorkspace, type StackOutputs } from "../../emulator/lib/emulator-deploy";
import { startEmulator, type Emulator } from "../../emulator/lib/moto";
import { emulatorTargetEnv, synthesize } from "../../operator/lib/stacks";
import { startStandins, standinsHandle, typesUsed, type Standins } from "../../emulator/standin/client";
import { ROUTINE_EDITS } from "../corpus/routine-edits";
import { editsFor, planEdits, problemsOf, type EditPlan } from "../support/routine-edits";
import { runProcess } from "../support/process";
import { PROJECT_ROOT, terraformAsync, terraformEnv, terraformOk } from "../../operator/lib/terraform";

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
let standins: Standins;
let plain: Array<{ stack: string; code: number; stdout: string; stderr: string }>;
let edits: Map<string, EditPlan | Error>;

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
  // The emulator and the stand-ins are this test's: `npm run local` deploys into them and leaves them running for
  // what follows (the plain-Terraform plans, the routine edits, drift). The stand-ins serve the types the stacks use.
  const types = path.join(root, "types");
  synthesize({ kind: "emulator", endpoint: emulator.endpoint, stateDir: ws.stateDir }, types);
  standins = await startStandins({ types: typesUsed(allStacks("ops").map((s) => path.join(types, "stacks", s))) });
  local = await timed("npm run local -- ops", () =>
    run("emulator/local.ts", ["ops"], { PACKAGECLOUD_EMULATOR_ENDPOINT: emulator.endpoint, PACKAGECLOUD_LOCAL_DIR: dir, PACKAGECLOUD_STANDINS: standinsHandle(standins) }, path.join(root, "local.log")),
  );
  console.log(`npm run local -- ops: ${timings["npm run local -- ops"].toFixed(1)} s\n${local.log.split("\n").filter((l) => /applied in|second plan|side by side/.test(l)).join("\n")}`);
  if (local.code !== 0) return;
  vm = readOutputs(ws, VM);
  // The AWS stacks' working directories, as an operator finds them: plain `terraform plan`, with nothing but the
  // project's CLI configuration (the offline mirror) in the environment.
  plain = await timed("plain terraform plan in .local (storage, vm)", () =>
    Promise.all(
      [STORAGE, VM].map(async (stack) => {
        const cwd = path.join(ws.outdir, "stacks", stack);
        const vars = { PATH: process.env.PATH, HOME: process.env.HOME, TF_CLI_CONFIG_FILE: terraformEnv().TF_CLI_CONFIG_FILE };
        // -refresh=false: the question is whether plain Terraform can plan here at all; the refresh is the second
        // plan's business (npm run local's, above).
        return { stack, ...(await runProcess("terraform", ["plan", "-refresh=false", "-detailed-exitcode", "-input=false", "-no-color"], cwd, vars)) };
      }),
    ),
  );
  // The routine edits (test/corpus/routine-edits.ts), planned against this deployment before anything changes it.
  edits = await timed("routine edits planned", () =>
    planEdits({ env: "ops", stateDir: ws.stateDir, endpoint: emulator.endpoint, extraEnv: standins.env }, editsFor("ops", ROUTINE_EDITS)),
  );

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
  await standins?.stop();
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

describe("the .local working directories after npm run local (issue 30 §1)", () => {
  it.each([STORAGE, VM])("%s plans with plain Terraform (the CLI configuration only): no changes", (stack) => {
    const result = plain.find((p) => p.stack === stack)!;
    expect(`${result.code}\n${result.stderr}`).toBe("0\n");
    expect(result.stdout).toMatch(/No changes\. Your infrastructure matches the configuration\./);
  });
});

describe("routine edits planned against ops's deployment (issue 28 §2): the pipeline's guard passes each, and each changes exactly what it names", () => {
  it.each(editsFor("ops", ROUTINE_EDITS).map((edit) => [edit.name, edit] as const))("%s", (name) => {
    expect(problemsOf(edits.get(name))).toEqual([]);
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

/**
 * A documented command block, read from the doc: the first ```sh block of the section under `heading` that holds
 * `needle`, as its lines (comments and blank lines dropped).
 */
function documentedBlock(doc: string, heading: string, needle: string): string[] {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, doc), "utf8");
  const start = text.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`${doc} has no heading "${heading}"`);
  const level = heading.match(/^#+/)![0].length;
  const rest = text.slice(start + heading.length);
  const next = rest.search(new RegExp(`\\n#{1,${level}} `));
  const section = next < 0 ? rest : rest.slice(0, next);
  const blocks = [...section.matchAll(/^ *```sh\n([\s\S]*?)^ *```$/gm)].map((m) => m[1]);
  const block = blocks.find((b) => b.includes(needle));
  if (!block) throw new Error(`${doc} § "${heading}" has no sh block with "${needle}"`);
  return block.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));
}

interface Journey {
  readonly lines: string[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/**
 * Runs a documented block as the operator would, from a checkout of the merged configuration: `npm run synth`
 * (its first line) synthesizes ops with `edit` applied (the edit the merge request makes to config/environments.ts),
 * for this emulator; every other line runs, in order, in one bash with `set -euo pipefail`, with Terraform as the
 * project runs it and the AWS CLI pointed at the emulator.
 */
async function runDocumented(name: string, lines: string[], edit: (ops: any) => void): Promise<Journey> {
  const started = Date.now();
  expect(lines[0]).toBe("npm run synth");
  const checkout = path.join(root, name);
  const input = structuredClone(ENVIRONMENTS) as any;
  edit(input.ops);
  const environments = parseEnvironments(input);
  synthesizeAtomically(path.join(checkout, "cdktf.out"), (app) => buildApp(app, { environments, target: { kind: "emulator", endpoint: emulator.endpoint, stateDir: ws.stateDir } }));
  const script = ["set -euo pipefail", ...lines.slice(1)].join("\n");
  const vars = {
    ...emulatorTargetEnv(path.join(checkout, "cdktf.out", "stacks", VM), terraformEnv()),
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_DEFAULT_REGION: env.aws.region,
  };
  const result = await runProcess("bash", ["-c", script], checkout, vars);
  return { lines, ...result, seconds: (Date.now() - started) / 1000 };
}

/** A saved plan's changes other than no-op and read, as "address: actions". */
function planned(dir: string, planFile: string): Record<string, string> {
  const plan = JSON.parse(terraformOk(["show", "-json", planFile], dir, emulatorTargetEnv(dir, terraformEnv())).stdout);
  return Object.fromEntries(
    plan.resource_changes
      .filter((c: any) => !c.change.actions.every((a: string) => a === "no-op" || a === "read"))
      .map((c: any) => [c.address, c.change.actions.join(",")]),
  );
}

/** The last n lines a block printed: its closing checks (Terraform's own output comes before them). */
const lastLines = (stdout: string, n: number) => stdout.trimEnd().split("\n").slice(-n);

const instanceOf = async (id: string) => (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]?.Instances?.[0];

describe("restoring the data disk from a snapshot, as docs/disaster-recovery.md §3.4 writes it", () => {
  let restore: Journey;
  let snapshotId: string;
  let before: Awaited<ReturnType<typeof instanceOf>>;
  let changes: Record<string, string>;
  const stackDirectory = () => path.join(root, "restore", "cdktf.out", "stacks", VM);

  beforeAll(async () => {
    before = await instanceOf(vm.instance_id);
    // The recovery point. AWS Backup keeps EBS recovery points as snapshots; moto runs no backup jobs, so the test
    // takes the snapshot AWS Backup would have taken (step 1 of the doc lists them; step 2 is the edit below).
    const snapshot = await ec2.send(new CreateSnapshotCommand({ VolumeId: vm.data_volume_id, Description: "recovery point (test)" }));
    snapshotId = snapshot.SnapshotId!;
    await waitUntilSnapshotCompleted({ client: ec2, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { SnapshotIds: [snapshotId] });
    const lines = documentedBlock("docs/disaster-recovery.md", "### 3.4 The VM's data disk from a snapshot", "terraform state rm");
    restore = await timed("restore the data disk (docs/disaster-recovery.md §3.4)", () =>
      runDocumented("restore", lines, (ops) => (ops.vm.dataVolumeSnapshotId = snapshotId)),
    );
    if (fs.existsSync(path.join(stackDirectory(), "restore.tfplan"))) changes = planned(stackDirectory(), "restore.tfplan");
    console.log(`restore journey: ${restore.seconds.toFixed(1)} s`);
  }, 900_000);

  it("runs the documented commands in order, to the end", () => {
    expect(restore.lines).toEqual([
      "npm run synth",
      "cd cdktf.out/stacks/packagecloud-ops-vm",
      "terraform init",
      "terraform state rm aws_ebs_volume.vm_data_volume",
      "terraform plan -out restore.tfplan",
      "terraform apply restore.tfplan",
      expect.stringMatching(/^aws ec2 describe-instances /),
      expect.stringMatching(/^aws ec2 describe-volumes /),
    ]);
    expect({ code: restore.code, stderr: restore.code === 0 ? "" : restore.stderr.slice(-4000) }).toEqual({ code: 0, stderr: "" });
  });

  it("plans what the doc says: a volume from the snapshot, the attachment and the running state replaced, the bundle updated, nothing destroyed", () => {
    expect(changes["aws_ebs_volume.vm_data_volume"]).toBe("create");
    expect(changes["aws_volume_attachment.vm_data_volume_attachment"]).toBe("delete,create");
    expect(changes["aws_ec2_instance_state.vm_instance_running"]).toBe("delete,create");
    expect(changes["aws_s3_object.vm_config_bundle"]).toBe("update");
    // The instance itself is kept (its tags, changed in the console above, are put back in place).
    expect(changes["aws_instance.vm_instance"] ?? "no-op").toMatch(/^(no-op|update)$/);
    const destroyed = Object.entries(changes).filter(([, actions]) => actions.includes("delete")).map(([address]) => address);
    expect(destroyed.sort()).toEqual(["aws_ec2_instance_state.vm_instance_running", "aws_volume_attachment.vm_data_volume_attachment"]);
  });

  it("ends with the same instance running (EC2 API), the doc's own check printing running", async () => {
    const after = await instanceOf(vm.instance_id);
    expect({ id: after?.InstanceId, state: after?.State?.Name }).toEqual({ id: before?.InstanceId, state: "running" });
    expect(lastLines(restore.stdout, 2)[0]).toBe("running");
  });

  it("attaches the volume made from the snapshot, and keeps the lost one (forgotten, not deleted)", async () => {
    const restored = readOutputs({ ...ws, outdir: path.join(root, "restore", "cdktf.out") }, VM).data_volume_id;
    expect(restored).not.toBe(vm.data_volume_id);
    const [volume] = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [restored] }))).Volumes ?? [];
    expect(volume).toMatchObject({ SnapshotId: snapshotId, State: "in-use", Size: env.vm.dataVolumeGiB, Encrypted: true });
    expect(volume?.Attachments).toEqual([expect.objectContaining({ InstanceId: vm.instance_id, Device: "/dev/sdf", State: "attached" })]);
    expect(lastLines(restore.stdout, 2)[1]).toBe(`${snapshotId}\tin-use`);
    const [lost] = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [vm.data_volume_id] }))).Volumes ?? [];
    expect(lost?.State).toBe("available");
  });

  it("tells the VM the new volume id through its bundle (the agent's data-disk step finds the device by it)", async () => {
    const restored = readOutputs({ ...ws, outdir: path.join(root, "restore", "cdktf.out") }, VM).data_volume_id;
    const bundle = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: vm.config_bucket_name, Key: VM_CONFIG_KEY }))).Body!.transformToString());
    const dataDisk = bundle.files.find((f: any) => f.path === "/usr/local/sbin/packagecloud-data-disk").content;
    expect(dataDisk).toContain(`VOLUME_ID='${restored}'`);
    expect(bundle.commands.find((c: any) => c.id === "data-disk")).toMatchObject({ always: true });
  });

  it("plans no changes afterwards", async () => {
    const plan = await terraformAsync(["plan", "-detailed-exitcode", "-input=false"], stackDirectory(), emulatorTargetEnv(stackDirectory(), terraformEnv()));
    expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: "" });
  }, 300_000);
});

describe("growing the data disk, as docs/vm.md writes it", () => {
  let grow: Journey;
  let changes: Record<string, string>;
  let before: Awaited<ReturnType<typeof instanceOf>>;
  const GROWN_GIB = env.vm.dataVolumeGiB + 1024;
  const stackDirectory = () => path.join(root, "grow", "cdktf.out", "stacks", VM);

  beforeAll(async () => {
    before = await instanceOf(vm.instance_id);
    const lines = documentedBlock("docs/vm.md", "## Growing the data disk", "grow.tfplan");
    // The configuration after the restore above, so the snapshot id stays set (docs/disaster-recovery.md §3.4).
    const restored = JSON.parse(fs.readFileSync(path.join(root, "restore", "cdktf.out", "stacks", VM, "cdk.tf.json"), "utf8")).resource.aws_ebs_volume.vm_data_volume.snapshot_id;
    grow = await timed("grow the data disk (docs/vm.md)", () =>
      runDocumented("grow", lines, (ops) => {
        ops.vm.dataVolumeSnapshotId = restored;
        ops.vm.dataVolumeGiB = GROWN_GIB;
      }),
    );
    if (fs.existsSync(path.join(stackDirectory(), "grow.tfplan"))) changes = planned(stackDirectory(), "grow.tfplan");
    console.log(`growth journey: ${grow.seconds.toFixed(1)} s; ops test timings (s): ${JSON.stringify(timings)}`);
  }, 900_000);

  it("runs the documented commands in order, to the end", () => {
    expect(grow.lines.slice(0, 5)).toEqual(["npm run synth", "cd cdktf.out/stacks/packagecloud-ops-vm", "terraform init", "terraform plan -out grow.tfplan", "terraform apply grow.tfplan"]);
    expect({ code: grow.code, stderr: grow.code === 0 ? "" : grow.stderr.slice(-4000) }).toEqual({ code: 0, stderr: "" });
  });

  it("plans one in-place update of the data volume and nothing else: no replacement, no instance change", () => {
    expect(changes).toEqual({ "aws_ebs_volume.vm_data_volume": "update" });
  });

  it("grows the volume (EC2 API; the doc's check prints the new size) under the same instance, still running, never stopped", async () => {
    const volumeId = readOutputs({ ...ws, outdir: path.join(root, "grow", "cdktf.out") }, VM).data_volume_id;
    const [volume] = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes ?? [];
    expect(volume).toMatchObject({ Size: GROWN_GIB, State: "in-use" });
    expect(lastLines(grow.stdout, 1)).toEqual([String(GROWN_GIB)]);
    const after = await instanceOf(vm.instance_id);
    expect({ id: after?.InstanceId, state: after?.State?.Name, launched: after?.LaunchTime }).toEqual({ id: before?.InstanceId, state: "running", launched: before?.LaunchTime });
  });
});
