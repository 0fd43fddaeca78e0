/**
 * Running Terraform for the tests and local runs: a CLI config that installs hashicorp/aws from a local filesystem
 * mirror where there is one (this project's machines reach no registry), and every provider from the registry
 * where there is none (a CI runner), with a plugin cache so each provider is downloaded once per checkout.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { cliConfig, providerMirror } from "./terraform-config";
import { requireTool } from "./tools";

export { AWS_PROVIDER_VERSION, cliConfig, providerMirror } from "./terraform-config";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/**
 * Go's collector setting for Terraform and the providers it starts (they inherit its environment), unless the
 * caller sets GOGC. The AWS provider spends much of each command building and validating its whole schema; with
 * the heap allowed to grow to twice the live data between collections (Go's default is one) a plan of the storage
 * stack takes ~12 % less CPU for ~10 % more memory (docs/speed.md). Terraform's behaviour is unchanged.
 */
export const TERRAFORM_GOGC = "200";

/** Writes the CLI config and returns the environment Terraform should run with. */
export function terraformEnv(vars: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  requireTool("terraform");
  const dir = path.join(PROJECT_ROOT, ".tools");
  const pluginCache = path.join(dir, "terraform-plugin-cache");
  fs.mkdirSync(pluginCache, { recursive: true });
  const config = path.join(dir, "terraformrc");
  const body = cliConfig(providerMirror(vars), pluginCache);
  if (!fs.existsSync(config) || fs.readFileSync(config, "utf8") !== body) fs.writeFileSync(config, body);
  return { GOGC: TERRAFORM_GOGC, ...vars, TF_CLI_CONFIG_FILE: config, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" };
}

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function terraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = terraformEnv()): TerraformResult {
  const run = spawnSync("terraform", [...args, "-no-color"], { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  return { code: run.status ?? 1, stdout: run.stdout, stderr: run.stderr };
}

/** Runs Terraform and throws with its output when it fails. */
export function terraformOk(args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): TerraformResult {
  const result = terraform(args, cwd, env);
  if (result.code !== 0) {
    throw new Error(`terraform ${args.join(" ")} failed in ${cwd} (exit ${result.code}):\n${result.stderr}\n${result.stdout.slice(-4000)}`);
  }
  return result;
}

/** Terraform as a child process that does not block the event loop, so that several run side by side. */
export function terraformAsync(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = terraformEnv()): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", [...args, "-no-color"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

/** {@link terraformAsync}, throwing with Terraform's output when it fails. */
export async function terraformOkAsync(args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<TerraformResult> {
  const result = await terraformAsync(args, cwd, env);
  if (result.code !== 0) {
    throw new Error(`terraform ${args.join(" ")} failed in ${cwd} (exit ${result.code}):\n${result.stderr}\n${result.stdout.slice(-4000)}`);
  }
  return result;
}
