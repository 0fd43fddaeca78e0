/**
 * Synthesizes for the emulator target and applies stacks into moto_server with plain Terraform, the same
 * commands a pipeline runs. Shared by `npm run local` and the engine tests; the pipeline's own jobs deploy through
 * pipeline-deploy.ts, which reads the stacks' order and environment from here.
 */
import { TRANSIENT_TRANSPORT_ERROR } from "../../stacks/aws-provider";
import * as fs from "node:fs";
import * as path from "node:path";
import { LAYER_CLOUDS, LAYERS, stackName } from "../../config/naming";
import { loadEnvironments, type EnvName } from "../../config";
import { allStacks, awsStacks, emulatorTargetEnv, synthesize } from "../../operator/lib/stacks";
import { terraformAsync, terraformEnv, terraformOk, terraformOkAsync } from "../../operator/lib/terraform";

export { allStacks, awsStacks };

export interface EmulatorWorkspace {
  /** Where cdktf writes the synthesized stacks. */
  readonly outdir: string;
  /** Where the local state files live. */
  readonly stateDir: string;
  readonly endpoint: string;
  /** Added to Terraform's environment: the stand-ins' TF_REATTACH_PROVIDERS for the Google and DNS stacks. */
  readonly extraEnv?: Readonly<Record<string, string>>;
}

/** Synthesizes every stack of every environment for the emulator target, as `cdktf synth` does. */
export function synthForEmulator(ws: EmulatorWorkspace): void {
  synthesize({ kind: "emulator", endpoint: ws.endpoint, stateDir: ws.stateDir }, ws.outdir);
}

/** The stacks that need the stand-in providers (Google, Cloudflare, time), in deployment order. */
export function standinStacks(env: EnvName): string[] {
  return LAYERS.filter((layer) => LAYER_CLOUDS[layer] !== "aws").map((layer) => stackName(env, layer));
}

export function stackDir(ws: EmulatorWorkspace, stack: string): string {
  const dir = path.join(ws.outdir, "stacks", stack);
  if (!fs.existsSync(path.join(dir, "cdk.tf.json"))) throw new Error(`stack ${stack} was not synthesized into ${ws.outdir}`);
  return dir;
}

export type StackOutputs = Record<string, string>;

/** Terraform's environment for a stack in the emulator: the stand-ins' reattach map added (ws.extraEnv). */
export function stackEnv(ws: EmulatorWorkspace, stack: string): NodeJS.ProcessEnv {
  // The stand-ins attach through TF_REATTACH_PROVIDERS (ws.extraEnv); Terraform starts the AWS provider itself, a
  // fresh process for each command, as in the pipeline.
  return emulatorTargetEnv(stackDir(ws, stack), { ...terraformEnv(), ...(ws.extraEnv ?? {}) });
}

/** `terraform init` + `apply` of one synthesized stack; returns its outputs. Runs beside other stacks' applies. */
export async function applyStack(ws: EmulatorWorkspace, stack: string): Promise<StackOutputs> {
  const dir = stackDir(ws, stack);
  const env = stackEnv(ws, stack);
  fs.mkdirSync(ws.stateDir, { recursive: true });
  await terraformOkAsync(["init", "-input=false"], dir, env);
  await applyWithRetry(dir, env);
  return readOutputs(ws, stack);
}

/** `terraform apply`, repeated once when (and only when) it failed on a transient transport error. */
export async function applyWithRetry(dir: string, env: NodeJS.ProcessEnv, log: (line: string) => void = () => undefined): Promise<void> {
  const args = ["apply", "-auto-approve", "-input=false"];
  const first = await terraformAsync(args, dir, env);
  if (first.code === 0) return;
  if (!TRANSIENT_TRANSPORT_ERROR.test(first.stderr)) {
    throw new Error(`terraform ${args.join(" ")} failed in ${dir} (exit ${first.code}):\n${first.stderr}\n${first.stdout.slice(-4000)}`);
  }
  log(`transient transport error from the emulator, applying once more: ${first.stderr.match(TRANSIENT_TRANSPORT_ERROR)?.[0]}`);
  await terraformOkAsync(args, dir, env);
}

/** The stacks each synthesized stack depends on, as cdktf recorded them in manifest.json (`stack.dependencies`). */
export function stackDependencies(ws: EmulatorWorkspace): Record<string, string[]> {
  const manifest = JSON.parse(fs.readFileSync(path.join(ws.outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { dependencies?: string[] }> };
  return Object.fromEntries(Object.entries(manifest.stacks).map(([name, stack]) => [name, stack.dependencies ?? []]));
}

/**
 * Applies the given stacks as `cdktf deploy` orders them: each after the stacks it depends on, stacks with no
 * dependency between them side by side (storage and gke together, then vm and dns). A dependency outside the
 * list must already be deployed. Stops at the first failure, after the applies already running have finished.
 */
export async function applyInDependencyOrder(
  ws: EmulatorWorkspace,
  stacks: readonly string[],
  onApplied: (stack: string, outputs: StackOutputs, seconds: number) => void = () => undefined,
): Promise<Record<string, StackOutputs>> {
  const dependencies = stackDependencies(ws);
  const outputs: Record<string, StackOutputs> = {};
  const running = new Map<string, Promise<void>>();
  const start = (stack: string): Promise<void> => {
    const existing = running.get(stack);
    if (existing) return existing;
    const wanted = (dependencies[stack] ?? []).filter((dependency) => stacks.includes(dependency));
    const started = (async () => {
      await Promise.all(wanted.map(start));
      const began = Date.now();
      outputs[stack] = await applyStack(ws, stack);
      onApplied(stack, outputs[stack], (Date.now() - began) / 1000);
    })();
    running.set(stack, started);
    return started;
  };
  const results = await Promise.allSettled(stacks.map(start));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) throw failed.reason;
  return outputs;
}

/** `terraform plan -detailed-exitcode`: 0 = no changes, 2 = changes (the plan text is returned for the report). */
export async function secondPlan(ws: EmulatorWorkspace, stack: string): Promise<{ code: number; changes: string }> {
  const plan = await terraformAsync(["plan", "-detailed-exitcode", "-input=false"], stackDir(ws, stack), stackEnv(ws, stack));
  if (plan.code === 1) throw new Error(`terraform plan failed for ${stack}:\n${plan.stderr}`);
  const changes = plan.stdout.split("\n").filter((line) => /^\s*[-+~]|will be|must be replaced/.test(line)).join("\n");
  return { code: plan.code, changes };
}

/** The stack's outputs (read from its state; no provider runs). */
export function readOutputs(ws: EmulatorWorkspace, stack: string): StackOutputs {
  const raw = JSON.parse(terraformOk(["output", "-json"], stackDir(ws, stack), stackEnv(ws, stack)).stdout) as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v.value)]));
}

/** Every AMI the configuration pins, so the emulator can launch exactly the configured images. */
export function configuredAmiIds(): string[] {
  return [...new Set(Object.values(loadEnvironments()).map((env) => env.vm.amiId))];
}
