/**
 * Issue 22 item 4: a failed cluster create leaves the cluster tainted (google 6.50.0 resource_container_cluster.go,
 * "Don't clear cluster id, this will taint the resource") and `prevent_destroy` refuses the replacement. Through
 * Terraform 1.11.4 and the stand-ins: apply packagecloud-pre-gke, taint the cluster as the provider would, see the
 * plan refuse, then run the recovery commands docs/gke-and-dns.md shows (read from the doc, so it stays right)
 * and see a clean plan.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadEnvironments } from "../../config";
import { stackName } from "../../config/naming";
import { GkeStack } from "../../stacks/gke-stack";
import { stackEnv, type EmulatorWorkspace } from "../../emulator/lib/emulator-deploy";
import { startStandins, typesUsed, type Standins } from "../../emulator/standin/client";
import { seedExisting } from "../../emulator/standin/fixtures";
import { synth, testApp } from "../support/synth";

const ROOT = path.resolve(__dirname, "../..");
const root = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-taint-"));
const ws: { outdir: string; stateDir: string; endpoint: string; extraEnv?: NodeJS.ProcessEnv } = { outdir: path.join(root, "cdktf.out"), stateDir: path.join(root, "state"), endpoint: "http://127.0.0.1:9" };
const stack = stackName("pre", "gke");
const dir = path.join(ws.outdir, "stacks", stack);
let standins: Standins;

function tf(args: readonly string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", [...args, "-no-color"], { cwd: dir, env: stackEnv(ws as EmulatorWorkspace, stack) });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

/** The `terraform` commands of the recovery block in docs/gke-and-dns.md, comments stripped. */
function documentedRecovery(): string[][] {
  const doc = fs.readFileSync(path.join(ROOT, "docs/gke-and-dns.md"), "utf8");
  const block = /<!-- cluster-taint-recovery -->([\s\S]*?)<!-- \/cluster-taint-recovery -->/.exec(doc);
  if (!block) throw new Error("docs/gke-and-dns.md has no cluster-taint-recovery block");
  return block[1]
    .split("\n")
    .map((line) => line.replace(/#.*$/, "").trim())
    .filter((line) => line.startsWith("terraform "))
    .map((line) => line.split(/\s+/).slice(1));
}

beforeAll(async () => {
  const env = loadEnvironments().pre;
  const out = synth(new GkeStack(testApp(), { env, target: { kind: "emulator", endpoint: ws.endpoint, stateDir: ws.stateDir } }));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), out.raw);
  standins = await startStandins({ types: typesUsed([dir]) });
  // The project the stack reads (data.google_project) exists before the deploy, as in npm run local.
  await seedExisting(standins, env);
  ws.extraEnv = standins.env;
}, 120_000);

afterAll(async () => {
  await standins?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

it("a tainted cluster blocks the plan (prevent_destroy), and the documented untaint recovers it", async () => {
  const commands = documentedRecovery();
  expect(commands.map((c) => c.join(" "))).toEqual(["plan", "untaint google_container_cluster.cluster", "plan"]);
  const address = commands[1][1];
  // The address the docs name is the synthesized stack's cluster.
  const json = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
  expect(Object.keys(json.resource.google_container_cluster).map((n) => `google_container_cluster.${n}`)).toEqual([address]);

  expect((await tf(["init", "-input=false"])).code).toBe(0);
  const apply = await tf(["apply", "-auto-approve", "-input=false"]);
  expect(apply.out).toMatch(/Apply complete!/);

  // What the provider leaves after a failed create: the id kept, the object tainted.
  expect((await tf(["taint", address])).code).toBe(0);
  const blocked = await tf(["plan", "-input=false", "-detailed-exitcode"]);
  expect(blocked.code).toBe(1);
  expect(blocked.out).toMatch(/Instance cannot be destroyed[\s\S]*google_container_cluster\.cluster[\s\S]*prevent_destroy/);

  for (const args of commands.slice(1, -1)) expect((await tf(args)).code).toBe(0);
  const clean = await tf(["plan", "-input=false", "-detailed-exitcode"]);
  expect(`${clean.code}\n${clean.out}`).toMatch(/^0\n[\s\S]*No changes/);
}, 600_000);
