/**
 * Drift detection: plan each deployed stack, never apply, and say what changed outside Terraform.
 *
 * Each stack gets `terraform plan -detailed-exitcode -out=…` and `terraform show -json` of that plan. The JSON
 * carries two lists, and the report keeps both:
 * - `resource_drift`: what the refresh found, recorded state → actual object. This is exactly what a
 *   `-refresh-only` plan shows (Terraform computes it from the same refresh), so nothing is lost by planning
 *   normally; it includes changes Terraform would leave alone (an ingress rule added next to the managed ones
 *   shows up as the security group's `ingress` set growing).
 * - `resource_changes`: what the next apply would do to make reality match the code (a deleted alarm is
 *   re-created, a suspended versioning re-enabled), and also code merged but never deployed. A refresh-only
 *   plan cannot show this half.
 * A stack is clean only when both are empty.
 *
 * Used by `npm run drift` (operator/drift.ts) and the scheduled pipeline's drift jobs.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EnvName } from "../../config";
import { LAYERS, stackName } from "../../config/naming";
import { allStacks, awsStacks, emulatorTargetEnv, synthesize } from "./stacks";
import { terraformAsync as terraform, terraformEnv, type TerraformResult } from "./terraform";
import { driftFromPlan, summarize, type DriftReport, type StackDriftReport } from "./drift-report";

export { DRIFT_EXIT, diffAttributes, driftFromPlan, exitCode, renderMarkdown, summarize, writeReports } from "./drift-report";
export type { AttributeChange, DriftReport, PendingChange, ResourceDrift, StackDriftReport } from "./drift-report";

/** Terraform's own error, without the noise of the progress lines. */
function terraformError(result: TerraformResult): string {
  const text = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-40).join("\n");
  return text.length > 0 ? text : `terraform exited with ${result.code}`;
}

/**
 * Plans one synthesized stack (its directory holds cdk.tf.json) and reports its drift. Never applies and never
 * writes state: the plan is saved to drift.tfplan in the stack's directory only to be read back as JSON.
 */
export async function checkStackDrift(stack: string, dir: string, env: NodeJS.ProcessEnv): Promise<StackDriftReport> {
  const failed = (result: TerraformResult): StackDriftReport => ({ stack, status: "error", drift: [], pending: [], error: terraformError(result) });
  const init = await terraform(["init", "-input=false"], dir, env);
  if (init.code !== 0) return failed(init);
  const planFile = "drift.tfplan";
  // -lock-timeout: a deploy holding the state lock finishes first instead of failing the check.
  const plan = await terraform(["plan", "-input=false", "-detailed-exitcode", "-lock-timeout=10m", `-out=${planFile}`], dir, env);
  if (plan.code !== 0 && plan.code !== 2) return failed(plan);
  const shown = await terraform(["show", "-json", planFile], dir, env);
  fs.rmSync(path.join(dir, planFile), { force: true });
  if (shown.code !== 0) return failed(shown);
  const report = driftFromPlan(stack, JSON.parse(shown.stdout));
  // -detailed-exitcode 2 means the plan has changes; the JSON must agree, or the report would hide them.
  if (plan.code === 2 && report.pending.length === 0) {
    return { ...report, status: "drifted", pending: [{ address: "(plan)", type: "", actions: ["update"], attributes: [] }] };
  }
  return report;
}

/** Where the check runs: real clouds with remote state, or the emulator with local state files. */
export type DriftTarget =
  | { readonly kind: "aws" }
  | {
      readonly kind: "emulator";
      readonly endpoint: string;
      readonly stateDir: string;
      /**
       * The Google, Cloudflare, time and random providers are attached through TF_REATTACH_PROVIDERS (the emulated
       * world serves them): their stacks are checked too. @default false: the AWS stacks only
       */
      readonly reattachedProviders?: boolean;
    };

export interface DriftCheckOptions {
  readonly environment: EnvName;
  readonly target: DriftTarget;
  /** Where the stacks are synthesized (a scratch directory; removed afterwards when not given). */
  readonly synthDir?: string;
  /** Progress lines (stack planned, status). */
  readonly log?: (line: string) => void;
}

/**
 * The stacks a drift check plans: every layer of the environment on the real target; in the emulator, the stacks
 * that have been deployed there (a local state file exists) and whose providers it can reach: the AWS stacks
 * (moto_server), and the Google and DNS stacks only when their providers are attached.
 */
export function driftStacks(environment: EnvName, target: DriftTarget): string[] {
  if (target.kind === "aws") return LAYERS.map((layer) => stackName(environment, layer));
  const reachable = target.reattachedProviders ? allStacks(environment) : awsStacks(environment);
  return reachable.filter((stack) => fs.existsSync(path.join(target.stateDir, `${stack}.tfstate`)));
}

/**
 * Terraform's environment on the real target: the project's CLI config where the local provider mirror exists
 * (this project's machines), otherwise Terraform's defaults (a runner downloads providers from the registry).
 */
function realTargetEnv(): NodeJS.ProcessEnv {
  try {
    return terraformEnv();
  } catch (error) {
    if (!(error instanceof Error && /provider mirror/.test(error.message))) throw error;
    return { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" };
  }
}

/** Synthesizes, plans every deployed stack of the environment (never applies) and returns the report. */
export async function runDriftCheck(options: DriftCheckOptions): Promise<DriftReport> {
  const { environment, target } = options;
  const log = options.log ?? (() => undefined);
  const stacks = driftStacks(environment, target);
  if (stacks.length === 0) {
    throw new Error(`no deployed stack of ${environment} to check in the ${target.kind} target (no state file under ${target.kind === "emulator" ? target.stateDir : "the backend"})`);
  }
  const outdir = options.synthDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-drift-"));
  try {
    synthesize(target, outdir);
    const reports = await Promise.all(
      stacks.map(async (stack) => {
        const started = Date.now();
        const dir = path.join(outdir, "stacks", stack);
        const report = await checkStackDrift(stack, dir, target.kind === "emulator" ? emulatorTargetEnv(dir) : realTargetEnv());
        log(`${stack}: ${report.status} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        return report;
      }),
    );
    return summarize(environment, target.kind, reports);
  } finally {
    if (!options.synthDir) fs.rmSync(outdir, { recursive: true, force: true });
  }
}
