/**
 * The stacks of an environment and how to synthesize them for a target: shared by the operator's commands (drift)
 * and by the emulated world (emulator/), which builds on them. The emulator target is a deploy target of the
 * product (stacks/target.ts: endpoints and local state); nothing here starts or imports the emulated world.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { EnvName } from "../../config";
import { LAYER_CLOUDS, LAYERS, stackName } from "../../config/naming";
import { PROJECT_ROOT, terraformEnv } from "./terraform";

/** Where a synth points the stacks: real clouds with remote state, or an emulator endpoint with local state files. */
export type SynthTarget = { readonly kind: "aws" } | { readonly kind: "emulator"; readonly endpoint: string; readonly stateDir: string };

/** Runs the project's entry point, exactly as `cdktf synth` does, for the target, into `outdir`. */
export function synthesize(target: SynthTarget, outdir: string): void {
  const vars: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, PACKAGECLOUD_TARGET: target.kind };
  if (target.kind === "emulator") {
    vars.PACKAGECLOUD_EMULATOR_ENDPOINT = target.endpoint;
    vars.PACKAGECLOUD_STATE_DIR = target.stateDir;
  }
  const run = spawnSync(process.execPath, ["-r", "./tooling/register-swc.js", "main.ts"], { cwd: PROJECT_ROOT, encoding: "utf8", env: vars });
  if (run.status !== 0) throw new Error(`synth for the ${target.kind} target failed (exit ${run.status}):\n${run.stderr}${run.stdout}`);
}

/** The AWS stacks of an environment, in deployment order. */
export function awsStacks(env: EnvName): string[] {
  return LAYERS.filter((layer) => LAYER_CLOUDS[layer] === "aws").map((layer) => stackName(env, layer));
}

/** Every stack of an environment, in deployment order (storage, vm, gke, dns: app.ts's dependencies). */
export function allStacks(env: EnvName): string[] {
  return LAYERS.map((layer) => stackName(env, layer));
}

/**
 * Terraform's environment for a stack synthesized for the emulator target: every declared variable gets a
 * placeholder value unless the caller's environment sets TF_VAR_<name> (the variables are alert endpoints; an
 * emulator sends nothing).
 */
export function emulatorTargetEnv(stackDirectory: string, base: NodeJS.ProcessEnv = terraformEnv()): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  const declared = JSON.parse(fs.readFileSync(path.join(stackDirectory, "cdk.tf.json"), "utf8")).variable ?? {};
  for (const name of Object.keys(declared)) env[`TF_VAR_${name}`] ??= `https://alerts.invalid/emulator/${name}`;
  return env;
}
