/**
 * `npm run pipeline`: writes .gitlab-ci.yml from the project's own lists of environments and stack layers, so
 * the pipeline cannot forget a stack. test/pipeline.test.ts fails when the committed file is out of date.
 *
 * Stages: test (type-check, unit, snapshot, policy, promtool, emulator) → synth (cdktf.out as an artifact) →
 * validate (every stack, every provider: the runners can download them) → plan (per environment and stack, the
 * plan summary as the merge request's Terraform report) → deploy (manual, default branch only, applies exactly
 * the reviewed plan; protected layers need CONFIRM_DEPLOY=<stack>).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { ENV_NAMES } from "../config";
import { LAYERS, PROTECTED_LAYERS, stackName } from "../constructs/naming";

export const PIPELINE_FILE = path.resolve(__dirname, "..", ".gitlab-ci.yml");

const TERRAFORM_VERSION = "1.11.4";

export function pipeline(): Record<string, unknown> {
  const jobs: Record<string, unknown> = {};
  const stacks = ENV_NAMES.flatMap((env) => LAYERS.map((layer) => ({ env, layer, stack: stackName(env, layer) })));
  // ENVIRONMENT and LAYER select the stacks of a pipeline run ("all" by default).
  const selected = (env: string, layer: string) => [
    { if: `$ENVIRONMENT != "all" && $ENVIRONMENT != "${env}"`, when: "never" },
    { if: `$LAYER != "all" && $LAYER != "${layer}"`, when: "never" },
  ];
  for (const { env, layer, stack } of stacks) {
    jobs[`validate:${stack}`] = {
      extends: ".terraform",
      stage: "validate",
      needs: ["synth"],
      script: [`scripts/ci/terraform.sh validate ${stack}`],
    };
    jobs[`plan:${stack}`] = {
      extends: ".terraform",
      stage: "plan",
      needs: ["synth", `validate:${stack}`],
      rules: [...selected(env, layer), { when: "on_success" }],
      // One plan or apply per stack at a time: state locking would refuse the second anyway.
      resource_group: stack,
      script: [`scripts/ci/terraform.sh plan ${stack}`],
      artifacts: {
        name: `plan-${stack}`,
        paths: [`cdktf.out/stacks/${stack}/plan.tfplan`, `cdktf.out/stacks/${stack}/.terraform.lock.hcl`],
        reports: { terraform: `cdktf.out/stacks/${stack}/plan-report.json` },
        expire_in: "7 days",
      },
    };
    jobs[`deploy:${stack}`] = {
      extends: ".terraform",
      stage: "deploy",
      needs: ["synth", `plan:${stack}`],
      rules: [
        ...selected(env, layer),
        { if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", when: "manual" },
        { when: "never" },
      ],
      resource_group: stack,
      environment: { name: env, deployment_tier: env === "ops" ? "production" : "staging" },
      variables: { PROTECTED_LAYER: PROTECTED_LAYERS.includes(layer) ? "true" : "false" },
      script: [`scripts/ci/terraform.sh apply ${stack}`],
    };
  }
  return withDriftDetection({
    workflow: {
      rules: [
        { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
        { if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" },
        { if: '$CI_PIPELINE_SOURCE == "web"' },
      ],
    },
    stages: ["test", "synth", "validate", "plan", "deploy"],
    variables: {
      ENVIRONMENT: { value: "all", options: ["all", ...ENV_NAMES], description: "Plan and deploy only this environment's stacks" },
      LAYER: { value: "all", options: ["all", ...LAYERS], description: "Plan and deploy only this layer's stacks" },
      TF_IN_AUTOMATION: "true",
      TF_INPUT: "0",
      NPM_CONFIG_CACHE: "$CI_PROJECT_DIR/.npm",
    },
    default: { image: "node:20-bookworm", interruptible: true },
    ".node": {
      cache: { key: { files: ["package-lock.json"] }, paths: [".npm/"] },
      before_script: ["npm ci --prefer-offline --no-audit --no-fund"],
    },
    ".terraform": {
      // The runners download providers from the registry (the Google and Cloudflare stacks are validated here).
      // Credentials come from the project's protected CI/CD variables or OIDC, never from the repository.
      before_script: [
        `command -v terraform >/dev/null || (apt-get update -qq && apt-get install -y -qq unzip curl >/dev/null && curl -fsSLo /tmp/tf.zip https://releases.hashicorp.com/terraform/${TERRAFORM_VERSION}/terraform_${TERRAFORM_VERSION}_linux_amd64.zip && unzip -q -o /tmp/tf.zip -d /usr/local/bin)`,
        "terraform version",
      ],
    },
    test: {
      extends: ".node",
      stage: "test",
      // The data-disk test formats and mounts loop devices: the runner must be privileged (root, /dev/loop-control).
      script: ["npm test"],
    },
    synth: {
      extends: ".node",
      stage: "synth",
      script: ["npm run synth"],
      artifacts: { name: "cdktf-out", paths: ["cdktf.out/"], expire_in: "30 days" },
    },
    ...jobs,
  });
}

/**
 * Scheduled drift detection: a pipeline schedule (CI/CD > Schedules) on the default branch with the variable
 * PIPELINE_KIND=drift runs one `drift:<env>` job per environment and nothing else. Each plans every stack of its
 * environment (`npm run drift`, never applies), keeps drift-report/<env>/ (JSON and Markdown) as an artifact even
 * when it fails, and fails on drift (exit 2) or on a stack it could not plan (exit 3), so GitLab's failed-pipeline
 * e-mail reaches the schedule's owner and whoever watches the pipeline. ENVIRONMENT narrows it to one environment.
 */
export const DRIFT_SCHEDULE = { variable: "PIPELINE_KIND", value: "drift" } as const;

const PIPELINE_KEYWORDS = new Set(["workflow", "stages", "variables", "default", "include", "image", "services", "cache", "before_script", "after_script"]);

function withDriftDetection(ci: Record<string, unknown>): Record<string, unknown> {
  const isDrift = `$${DRIFT_SCHEDULE.variable} == "${DRIFT_SCHEDULE.value}"`;
  const notInDrift = { if: isDrift, when: "never" };
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(ci)) {
    if (PIPELINE_KEYWORDS.has(name) || name.startsWith(".") || typeof value !== "object" || value === null) {
      out[name] = value;
      continue;
    }
    // Every other job stays out of a drift pipeline.
    const job = value as Record<string, unknown>;
    const rules = (job.rules as unknown[] | undefined) ?? [{ when: "on_success" }];
    out[name] = { ...job, rules: [notInDrift, ...rules] };
  }
  out.stages = [...((ci.stages as string[]) ?? []), "drift"];
  for (const env of ENV_NAMES) {
    out[`drift:${env}`] = {
      extends: ".terraform",
      stage: "drift",
      needs: [],
      rules: [{ if: `${isDrift} && ($ENVIRONMENT == "all" || $ENVIRONMENT == "${env}")` }],
      // A drift check must not be cancelled by a newer pipeline: its failure is the notification.
      interruptible: false,
      timeout: "1h",
      cache: { key: { files: ["package-lock.json"] }, paths: [".npm/"], policy: "pull" },
      // Cloud credentials and the TF_VAR_* alert endpoints come from the project's protected CI/CD variables, as for plan.
      script: ["npm ci --prefer-offline --no-audit --no-fund", `npm run drift -- ${env} --report-dir drift-report/${env}`],
      artifacts: { name: `drift-${env}`, when: "always", paths: [`drift-report/${env}/`], expire_in: "30 days" },
    };
  }
  return out;
}

export function pipelineYaml(): string {
  const header = "# Generated by `npm run pipeline` (scripts/pipeline.ts) from the environments and stack layers. Do not edit.\n";
  return header + stringify(pipeline(), { lineWidth: 0, aliasDuplicateObjects: false });
}

if (require.main === module) {
  fs.writeFileSync(PIPELINE_FILE, pipelineYaml());
  console.log(`wrote ${path.relative(process.cwd(), PIPELINE_FILE)}`);
}
