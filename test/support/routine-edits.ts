/**
 * Plans a routine edit (test/corpus/routine-edits.ts) against an environment's deployed world and judges the plan:
 * the edit synthesized as `cdktf synth` would (test/support/edit-synth.ts), the edited stack planned with the real
 * Terraform against the deployed state (`-refresh=false`: the state is what the deploy wrote, and drift is not what
 * this check is about), then judged by the pipeline's own guard (operator/ci/plan-report.js --guard: no delete, no
 * replace, no update that stops a running instance) and by the edit's expected plan (exactly the named addresses
 * change, with the named actions).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EnvName } from "../../config";
import { stackName } from "../../config/naming";
import { emulatorTargetEnv } from "../../operator/lib/stacks";
import { PROJECT_ROOT, terraformAsync, terraformEnv } from "../../operator/lib/terraform";
import type { RoutineEdit } from "../corpus/routine-edits";
import { judgeEdit } from "./edit-judge";
import { runProcess } from "./process";

/** One environment's deployment: where its stacks were synthesized and initialised, its state and emulator. */
export interface Deployment {
  readonly env: EnvName;
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

/** Synthesizes the edit, plans its stack against the deployment's state, and judges the plan. */
export async function planRoutineEdit(deployment: Deployment, edit: RoutineEdit): Promise<EditPlan> {
  const started = Date.now();
  const stack = stackName(deployment.env, edit.layer);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-edit-"));
  try {
    const outdir = path.join(scratch, "cdktf.out");
    const synth = await runProcess(process.execPath, ["-r", "./tooling/register-swc.js", "test/support/edit-synth.ts", edit.name, deployment.env, outdir, deployment.endpoint, deployment.stateDir], PROJECT_ROOT, process.env);
    if (synth.code !== 0) throw new Error(`synth of "${edit.name}" for ${deployment.env} failed:\n${synth.stderr}${synth.stdout}`);
    const dir = path.join(outdir, "stacks", stack);
    const env = emulatorTargetEnv(dir, { ...terraformEnv(), ...(deployment.extraEnv ?? {}) });
    // The same backend as the deployment (its local state file), the providers from the mirror or the stand-ins.
    const init = await terraformAsync(["init", "-input=false"], dir, env);
    if (init.code !== 0) throw new Error(`terraform init for "${edit.name}" in ${stack} failed:\n${init.stderr}`);
    const plan = await terraformAsync(["plan", "-input=false", "-refresh=false", "-lock=false", "-out=edit.tfplan"], dir, env);
    if (plan.code !== 0) throw new Error(`terraform plan of "${edit.name}" in ${stack} failed:\n${plan.stderr}\n${plan.stdout.slice(-3000)}`);
    const shown = await terraformAsync(["show", "-json", "edit.tfplan"], dir, env);
    fs.writeFileSync(path.join(dir, "plan.json"), shown.stdout);
    // The pipeline's own guard, as the deploy job runs it.
    const guard = await runProcess(process.execPath, [path.join(PROJECT_ROOT, "operator/ci/plan-report.js"), path.join(dir, "plan.json"), "--guard", stack], PROJECT_ROOT, { ...process.env, ALLOW_DESTRUCTIVE_APPLY: "", ALLOW_INSTANCE_RESTART: "" });
    const json = JSON.parse(shown.stdout);
    const problems = judgeEdit(edit, json);
    if (guard.code !== 0) problems.unshift(`the pipeline's guard refuses it: ${guard.stderr.trim()}`);
    return { edit, stack, plan: json, guard: { code: guard.code, stderr: guard.stderr }, problems, seconds: (Date.now() - started) / 1000 };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The corpus's edits that apply to an environment. */
export function editsFor(env: EnvName, edits: readonly RoutineEdit[]): RoutineEdit[] {
  return edits.filter((edit) => !edit.envs || edit.envs.includes(env));
}

/**
 * Plans every edit against the deployment, a few at a time (each is a synth and a plan of its own; none changes
 * the deployment). A failure to plan is kept as the edit's result, so each edit's test reports its own.
 */
export async function planEdits(deployment: Deployment, edits: readonly RoutineEdit[], concurrency = 2): Promise<Map<string, EditPlan | Error>> {
  const results = new Map<string, EditPlan | Error>();
  const queue = [...edits];
  const worker = async (): Promise<void> => {
    for (let edit = queue.shift(); edit; edit = queue.shift()) {
      try {
        results.set(edit.name, await planRoutineEdit(deployment, edit));
      } catch (error) {
        results.set(edit.name, error instanceof Error ? error : new Error(String(error)));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

/** The edit's problems, or the reason it could not be planned. */
export function problemsOf(result: EditPlan | Error | undefined): string[] {
  if (result === undefined) return ["not planned"];
  return result instanceof Error ? [`could not be planned: ${result.message}`] : result.problems;
}
