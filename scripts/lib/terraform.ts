/**
 * Running Terraform for the tests and local runs: a CLI config that installs hashicorp/aws from a local filesystem
 * mirror where there is one (this project's machines reach no registry), and every provider from the registry
 * where there is none (a CI runner), with a plugin cache so each provider is downloaded once per checkout.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { cliConfig, providerMirror } from "./terraform-config";
import { requireTool } from "./tools";

export { AWS_PROVIDER_VERSION, cliConfig, providerMirror } from "./terraform-config";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** Writes the CLI config and returns the environment Terraform should run with. */
export function terraformEnv(vars: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  requireTool("terraform");
  const dir = path.join(PROJECT_ROOT, ".tools");
  const pluginCache = path.join(dir, "terraform-plugin-cache");
  fs.mkdirSync(pluginCache, { recursive: true });
  const config = path.join(dir, "terraformrc");
  const body = cliConfig(providerMirror(vars), pluginCache);
  if (!fs.existsSync(config) || fs.readFileSync(config, "utf8") !== body) fs.writeFileSync(config, body);
  return { ...vars, TF_CLI_CONFIG_FILE: config, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" };
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
