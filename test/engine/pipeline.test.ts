/**
 * The pipeline checked for real with gitlab-ci-local: it parses (and passes GitLab's JSON schema) and lists every
 * job, in a normal pipeline and in the scheduled drift pipeline. Its jobs run, synth to drift, in
 * test/engine/pipeline-deploy.test.ts, where they deploy `pre`.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ENV_NAMES } from "../../config";
import { LAYERS, stackName } from "../../config/naming";
import { requireTool } from "../../operator/lib/tools";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "node_modules/.bin/gitlab-ci-local");

function gitlabCiLocal(args: string[]) {
  if (!fs.existsSync(BIN)) throw new Error("gitlab-ci-local is required: it is a devDependency, run npm ci");
  requireTool("rsync"); // gitlab-ci-local copies the project into its build directory with it
  return spawnSync(BIN, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: "" } });
}

it("parses the pipeline and lists a validate, plan and deploy job for every stack", () => {
  const run = gitlabCiLocal(["--list-json"]);
  expect(run.status).toBe(0);
  const jobs = JSON.parse(run.stdout.slice(run.stdout.indexOf("["))).map((j: any) => j.name);
  for (const env of ENV_NAMES) {
    for (const layer of LAYERS) {
      for (const kind of ["validate", "plan", "deploy"]) expect(jobs).toContain(`${kind}:${stackName(env, layer)}`);
    }
  }
  expect(jobs).toEqual(expect.arrayContaining(["test", "synth"]));
}, 120_000);

it("runs only the drift jobs in a pipeline scheduled with PIPELINE_KIND=drift, and none of them otherwise", () => {
  const list = (args: string[]) => {
    const run = gitlabCiLocal(["--list-json", ...args]);
    expect(run.status).toBe(0);
    return JSON.parse(run.stdout.slice(run.stdout.indexOf("["))).filter((j: any) => j.when !== "never").map((j: any) => j.name);
  };
  expect(list(["--variable", "PIPELINE_KIND=drift"])).toEqual(ENV_NAMES.map((env) => `drift:${env}`));
  expect(list([]).filter((name: string) => name.startsWith("drift:"))).toEqual([]);
}, 120_000);
