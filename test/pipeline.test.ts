/**
 * The GitLab pipeline users run: generated from the environments and layers, every stack planned and deployed,
 * deploys manual and default-branch only, protected layers guarded.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { ENV_NAMES } from "../config";
import { LAYERS, stackName, type Layer } from "../config/naming";

/**
 * The layers whose deploy needs CONFIRM_DEPLOY and passes the guard (no delete or replace), written by hand from
 * what each holds (docs/first-deploy.md, "Deploy, in order"): storage holds the buckets, the Object-Locked backups and
 * the keys; gke holds Cloud SQL and the cluster. The vm layer's one irreplaceable resource, the data volume, is
 * protected by prevent_destroy itself, and the DR rebuild replaces its instance on purpose; dns holds one record.
 */
const PROTECTED_BY_HAND: Record<Layer, "true" | "false"> = { storage: "true", vm: "false", gke: "true", dns: "false" };
import { PIPELINE_FILE, pipelineYaml } from "../tooling/pipeline";

const ROOT = path.resolve(__dirname, "..");
const committed = fs.readFileSync(PIPELINE_FILE, "utf8");
const ci = parse(committed);
const stacks = ENV_NAMES.flatMap((env) => LAYERS.map((layer) => ({ env, layer, stack: stackName(env, layer) })));

describe(".gitlab-ci.yml", () => {
  it("is the generated file (run `npm run pipeline` after changing environments or layers)", () => {
    expect(committed).toBe(pipelineYaml());
  });

  it("runs the tests and keeps the synthesized output as an artifact", () => {
    expect(ci.test.script).toEqual(["npm run typecheck", "npx jest --ci --selectProjects unit"]);
    expect(ci.synth.script).toEqual(["npm run synth"]);
    expect(ci.synth.artifacts.paths).toEqual(["cdktf.out/"]);
  });

  it.each(stacks.map((s) => [s.stack, s] as const))("validates, plans and deploys %s", (_name, { env, layer, stack }) => {
    expect(ci[`validate:${stack}`].script).toEqual([`operator/ci/terraform.sh validate ${stack}`]);
    const plan = ci[`plan:${stack}`];
    expect(plan.script).toEqual([`operator/ci/terraform.sh plan ${stack}`]);
    expect(plan.artifacts.reports.terraform).toBe(`cdktf.out/stacks/${stack}/plan-report.json`);
    const deploy = ci[`deploy:${stack}`];
    expect(deploy.needs).toEqual(["synth", `plan:${stack}`]);
    expect(deploy.script).toEqual([`operator/ci/terraform.sh apply ${stack}`]);
    expect(deploy.rules).toEqual([
      { if: '$PIPELINE_KIND == "drift"', when: "never" },
      { if: `$ENVIRONMENT != "all" && $ENVIRONMENT != "${env}"`, when: "never" },
      { if: `$LAYER != "all" && $LAYER != "${layer}"`, when: "never" },
      { if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", when: "manual" },
      { when: "never" },
    ]);
    expect(deploy.variables.PROTECTED_LAYER).toBe(PROTECTED_BY_HAND[layer]);
    expect(deploy.resource_group).toBe(stack);
  });

  it("runs the DNS pre-flight in the plan job of each dns stack only, for its environment, with the npm cache to install it", () => {
    for (const { env, layer, stack } of stacks) {
      const plan = ci[`plan:${stack}`];
      expect([stack, plan.variables?.DNS_PREFLIGHT_ENVIRONMENT]).toEqual([stack, layer === "dns" ? env : undefined]);
      if (layer === "dns") expect(plan.cache).toEqual({ key: { files: ["package-lock.json"] }, paths: [".npm/"], policy: "pull" });
      // Never in a deploy job: it applies exactly the plan the plan job made after the pre-flight.
      expect(ci[`deploy:${stack}`].variables).not.toHaveProperty("DNS_PREFLIGHT_ENVIRONMENT");
    }
  });

  it("asks no job for a password or gcloud: no TF_VAR_ of a password anywhere, no gcloud in any script", () => {
    expect(committed).not.toMatch(/TF_VAR_[a-z_]*password/i);
    expect(committed).not.toMatch(/\bgcloud\b/);
    expect(fs.readFileSync(path.join(ROOT, "operator/ci/terraform.sh"), "utf8")).not.toMatch(/\bgcloud\b|TF_VAR_/);
  });

  it("selects stacks by ENVIRONMENT and LAYER variables", () => {
    expect(ci.variables.ENVIRONMENT.options).toEqual(["all", ...ENV_NAMES]);
    expect(ci.variables.LAYER.options).toEqual(["all", ...LAYERS]);
  });
});

describe("the scheduled drift pipeline (PIPELINE_KIND=drift)", () => {
  const jobs = Object.keys(ci).filter((k) => !k.startsWith(".") && typeof ci[k] === "object" && !["workflow", "stages", "variables", "default"].includes(k));
  const driftJobs = ENV_NAMES.map((env) => `drift:${env}`);

  it.each(ENV_NAMES)("checks %s with npm run drift, keeps the report even on failure, and runs only on the schedule", (env) => {
    const job = ci[`drift:${env}`];
    expect(job.script).toContain(`npm run drift -- ${env} --report-dir drift-report/${env}`);
    expect(job.artifacts).toMatchObject({ when: "always", paths: [`drift-report/${env}/`] });
    expect(job.rules).toEqual([{ if: `$PIPELINE_KIND == "drift" && ($ENVIRONMENT == "all" || $ENVIRONMENT == "${env}")` }]);
    expect(job.allow_failure).toBeUndefined(); // a failed drift job fails the pipeline: that is the notification
    expect(ci.stages).toContain(job.stage);
  });

  it("keeps every other job out of a drift pipeline", () => {
    for (const name of jobs.filter((j) => !driftJobs.includes(j))) {
      expect([name, ci[name].rules?.[0]]).toEqual([name, { if: '$PIPELINE_KIND == "drift"', when: "never" }]);
    }
  });

  it("lets a scheduled pipeline on the default branch run at all", () => {
    expect(ci.workflow.rules).toContainEqual({ if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" });
  });
});

describe("operator/ci/plan-report.js", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-plan-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const plan = (actions: string[][]) => {
    const file = path.join(dir, `plan-${actions.length}-${Math.random()}.json`);
    fs.writeFileSync(file, JSON.stringify({ resource_changes: actions.map((a, i) => ({ address: `aws_s3_bucket.b${i}`, change: { actions: a } })) }));
    return file;
  };
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [path.join(ROOT, "operator/ci/plan-report.js"), ...args], { encoding: "utf8", env: { ...process.env, ...env } });

  it("prints GitLab's Terraform report", () => {
    const out = run([plan([["create"], ["update"], ["delete", "create"], ["no-op"]])]);
    expect(JSON.parse(out.stdout)).toEqual({ create: 2, update: 1, delete: 1 });
  });

  it("refuses a plan that deletes or replaces in a protected layer, naming what and how to allow it", () => {
    const out = run([plan([["delete", "create"]]), "--guard", "packagecloud-ops-storage"]);
    expect(out.status).toBe(3);
    expect(out.stderr).toMatch(/Refusing to apply packagecloud-ops-storage: the plan deletes or replaces 1 resource\(s\)[\s\S]*aws_s3_bucket\.b0 \(delete, create\)[\s\S]*ALLOW_DESTRUCTIVE_APPLY=packagecloud-ops-storage/);
  });

  it("lets it through only when ALLOW_DESTRUCTIVE_APPLY names that exact stack", () => {
    const file = plan([["delete"]]);
    expect(run([file, "--guard", "packagecloud-ops-storage"], { ALLOW_DESTRUCTIVE_APPLY: "packagecloud-pre-storage" }).status).toBe(3);
    expect(run([file, "--guard", "packagecloud-ops-storage"], { ALLOW_DESTRUCTIVE_APPLY: "packagecloud-ops-storage" }).status).toBe(0);
    expect(run([plan([["create"], ["update"]]), "--guard", "packagecloud-ops-storage"]).status).toBe(0);
  });

  const instancePlan = (before: object, after: object) => {
    const file = path.join(dir, `instance-${Math.random()}.json`);
    const change = { address: "aws_instance.vm_instance", type: "aws_instance", change: { actions: ["update"], before, after, after_unknown: {} } };
    fs.writeFileSync(file, JSON.stringify({ resource_changes: [change] }));
    return file;
  };

  it("refuses an update of a running instance that stops it (user data, instance type), naming the attributes and how to allow it", () => {
    const out = run([instancePlan({ user_data_base64: "old", tags: {} }, { user_data_base64: "new", tags: {} }), "--guard", "packagecloud-ops-vm"]);
    expect(out.status).toBe(3);
    expect(out.stderr).toMatch(/updates 1 running instance\(s\)[\s\S]*aws_instance\.vm_instance \(update of user_data_base64\)[\s\S]*ALLOW_INSTANCE_RESTART=packagecloud-ops-vm/);
    const typed = instancePlan({ instance_type: "c4.2xlarge" }, { instance_type: "c5.2xlarge" });
    expect(run([typed, "--guard", "packagecloud-ops-vm"], { ALLOW_INSTANCE_RESTART: "packagecloud-ops-vm" }).status).toBe(0);
  });

  it("lets an instance's tags and API protections change without a restart", () => {
    const out = run([instancePlan({ tags: { a: "1" }, disable_api_termination: false }, { tags: { a: "2" }, disable_api_termination: true }), "--guard", "packagecloud-ops-vm"]);
    expect(out.stderr).toMatch(/no deletes, replacements or instance restarts/);
    expect(out.status).toBe(0);
  });
});

describe("operator/ci/terraform.sh apply", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-ci-"));
  const stack = "packagecloud-ops-storage";
  beforeAll(() => {
    fs.mkdirSync(path.join(root, "operator/ci"), { recursive: true });
    fs.copyFileSync(path.join(ROOT, "operator/ci/terraform.sh"), path.join(root, "operator/ci/terraform.sh"));
    fs.mkdirSync(path.join(root, "cdktf.out/stacks", stack), { recursive: true });
    fs.writeFileSync(path.join(root, "cdktf.out/stacks", stack, "cdk.tf.json"), "{}");
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const apply = (env: Record<string, string>) =>
    spawnSync("bash", [path.join(root, "operator/ci/terraform.sh"), "apply", stack], { encoding: "utf8", env: { ...process.env, ...env } });

  it("refuses to apply without the reviewed plan", () => {
    const out = apply({});
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/no reviewed plan for packagecloud-ops-storage/);
  });

  it("refuses a protected layer without CONFIRM_DEPLOY naming the stack", () => {
    fs.writeFileSync(path.join(root, "cdktf.out/stacks", stack, "plan.tfplan"), "");
    const out = apply({ PROTECTED_LAYER: "true", CONFIRM_DEPLOY: "packagecloud-pre-storage" });
    expect(out.status).toBe(3);
    expect(out.stderr).toMatch(/packagecloud-ops-storage is a protected layer: re-run this job with CONFIRM_DEPLOY=packagecloud-ops-storage/);
  });
});
