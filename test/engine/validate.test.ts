/**
 * `terraform validate` of every AWS stack, as synthesized for real AWS (S3 backend included), with the
 * provider from the local mirror, started by Terraform itself as in the pipeline. Google and Cloudflare
 * stacks go through the stand-ins (test/engine/standin-terraform.test.ts).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ENV_NAMES } from "../../config";
import { awsStacks } from "../../emulator/lib/emulator-deploy";
import { PROJECT_ROOT, terraformEnv, terraformOk } from "../../operator/lib/terraform";

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-validate-"));
const stacks = ENV_NAMES.flatMap((env) => awsStacks(env));

beforeAll(() => {
  const run = spawnSync(process.execPath, ["-r", "./tooling/register-swc.js", "main.ts"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: outdir, PACKAGECLOUD_TARGET: "aws" },
  });
  if (run.status !== 0) throw new Error(`synth failed:\n${run.stderr}`);
});

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

it.each(stacks)("%s passes terraform validate", (stack) => {
  const dir = path.join(outdir, "stacks", stack);
  const { TF_REATTACH_PROVIDERS: _pool, ...env } = terraformEnv();
  // -backend=false: validation needs no state; the S3 backend block is still parsed and checked.
  terraformOk(["init", "-backend=false", "-input=false"], dir, env);
  expect(terraformOk(["validate"], dir, env).stdout).toMatch(/Success! The configuration is valid/);
}, 120_000);
