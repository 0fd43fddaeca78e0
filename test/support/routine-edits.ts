/**
 * Plans a routine edit (test/corpus/routine-edits.ts) against an environment's deployed world and judges the plan:
 * the edit synthesized as `cdktf synth` would (test/support/edit-synth.ts), the edited stack planned with the real
 * Terraform against the deployed state (`-refresh=false`: the state is what the deploy wrote, and drift is not what
 * this check is about), then judged by the pipeline's own guard (operator/ci/plan-report.js --guard: no delete, no
 * replace, no update that stops a running instance) and by the edit's expected plan (exactly the named addresses
 * change, with the named actions).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EnvName } from "../../config";
import { stackName } from "../../config/naming";
import { emulatorTargetEnv } from "../../operator/lib/stacks";
import { PROJECT_ROOT, terraformAsync, terraformEnv } from "../../operator/lib/terraform";
import type { RoutineEdit } from "../corpus/routine-edits";
import { judgeEdit } from "./edit-judge";

/** One environment's deployment: where its stacks were synthesized and initialised, its state and emulator. */
export interface Deployment {
  readonly env: EnvName;
  /** The cdktf output the deployment applied (its stacks/<stack>/.terraform holds the initialised providers). */
  readonly outdir: string;
  readonly stateDir: string;
  readonly endpoint: string;
  /** The stand-ins' TF_REATTACH_PROVIDERS, for the gke and dns stacks. */
  readonly extraEnv?: Readonly<Record<string, string>>;
}

export interface EditPlan {
  readonly edit: RoutineEdit;
  readonly stack: string;
  /** `terraform show -json` of the plan. */
  readonly plan: any;
  readonly guard: { readonly code: number; readonly stderr: string };
  /** What is wrong with the plan; empty when the edit plans as it must. */
  readonly problems: string[];
  readonly seconds: number;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Synthesizes the edit, plans its stack against the deployment's state, and judges the plan. */
export async function planRoutineEdit(deployment: Deployment, edit: RoutineEdit): Promise<EditPlan> {
  const started = Date.now();
  const stack = stackName(deployment.env, edit.layer);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-edit-"));
  try {
    const outdir = path.join(scratch, "cdktf.out");
    const synth = await run(process.execPath, ["-r", "./tooling/register-swc.js", "test/support/edit-synth.ts", edit.name, deployment.env, outdir, deployment.endpoint, deployment.stateDir], process.env);
    if (synth.code !== 0) throw new Error(`synth of "${edit.name}" for ${deployment.env} failed:\n${synth.stderr}${synth.stdout}`);
    const deployed = path.join(deployment.outdir, "stacks", stack);
    const dir = path.join(outdir, "stacks", stack);
    // The deployment's initialised working directory (providers, backend settings, lock file): plan, no init.
    fs.cpSync(path.join(deployed, ".terraform"), path.join(dir, ".terraform"), { recursive: true, verbatimSymlinks: true });
    fs.copyFileSync(path.join(deployed, ".terraform.lock.hcl"), path.join(dir, ".terraform.lock.hcl"));
    const env = emulatorTargetEnv(dir, { ...terraformEnv(), ...(deployment.extraEnv ?? {}) });
    const plan = await terraformAsync(["plan", "-input=false", "-refresh=false", "-lock=false", "-out=edit.tfplan"], dir, env);
    if (plan.code !== 0) throw new Error(`terraform plan of "${edit.name}" in ${stack} failed:\n${plan.stderr}\n${plan.stdout.slice(-3000)}`);
    const shown = await terraformAsync(["show", "-json", "edit.tfplan"], dir, env);
    fs.writeFileSync(path.join(dir, "plan.json"), shown.stdout);
    // The pipeline's own guard, as the deploy job runs it.
    const guard = await run(process.execPath, [path.join(PROJECT_ROOT, "operator/ci/plan-report.js"), path.join(dir, "plan.json"), "--guard", stack], { ...process.env, ALLOW_DESTRUCTIVE_APPLY: "", ALLOW_INSTANCE_RESTART: "" });
    const json = JSON.parse(shown.stdout);
    const problems = judgeEdit(edit, json);
    if (guard.code !== 0) problems.unshift(`the pipeline's guard refuses it: ${guard.stderr.trim()}`);
    return { edit, stack, plan: json, guard: { code: guard.code, stderr: guard.stderr }, problems, seconds: (Date.now() - started) / 1000 };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
