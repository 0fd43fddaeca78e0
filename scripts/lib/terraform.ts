/**
 * Running Terraform offline: a CLI config that installs hashicorp/aws from the local filesystem mirror
 * (the only provider source this machine can reach) and nothing from the network.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { requireTool } from "./tools";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const AWS_PROVIDER_VERSION = "5.100.0";
const DEFAULT_MIRROR = "/opt/tf-plugins";

/** The provider mirror: $PACKAGECLOUD_TF_MIRROR, or the image's /opt/tf-plugins. */
export function providerMirror(vars: NodeJS.ProcessEnv = process.env): string {
  const mirror = vars.PACKAGECLOUD_TF_MIRROR ?? DEFAULT_MIRROR;
  const provider = path.join(mirror, "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION);
  if (!fs.existsSync(provider)) {
    throw new Error(
      `The Terraform provider mirror has no hashicorp/aws ${AWS_PROVIDER_VERSION} at ${provider}. ` +
        "Set PACKAGECLOUD_TF_MIRROR to a filesystem mirror holding it (terraform providers mirror <dir>).",
    );
  }
  return mirror;
}

/** Writes the CLI config (once per process) and returns the environment Terraform should run with. */
export function terraformEnv(vars: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  requireTool("terraform");
  const mirror = providerMirror(vars);
  const dir = path.join(PROJECT_ROOT, ".tools");
  fs.mkdirSync(dir, { recursive: true });
  const config = path.join(dir, "terraformrc");
  const body = [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirror)}`,
    '    include = ["registry.terraform.io/hashicorp/aws"]',
    "  }",
    "  direct {",
    '    exclude = ["registry.terraform.io/hashicorp/aws"]',
    "  }",
    "}",
    "",
  ].join("\n");
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
