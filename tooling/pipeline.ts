/**
 * `npm run pipeline`: writes .gitlab-ci.yml from the project's own lists of environments and stack layers, so
 * the pipeline cannot forget a stack. test/pipeline.test.ts fails when the committed file is out of date.
 *
 * Stages: test (`test`: type-check, unit, snapshot, policy in about a minute; `test:<engine>`: the engine tests,
 * one job per set of tools) → synth (cdktf.out as an artifact) → validate (every stack, every provider: the
 * runners can download them) → plan (per environment and stack, the plan summary as the merge request's
 * Terraform report; the dns stacks' plan runs the DNS pre-flight before their first apply) → deploy (manual, default
 * branch only, applies exactly the reviewed plan; protected layers need CONFIRM_DEPLOY=<stack>).
 *
 * Every job runs on a stock runner: its image is $PACKAGECLOUD_CI_IMAGE (a pinned node:20 bookworm image, or one
 * built from ci/Dockerfile) and it installs what its tests need with operator/ci/install-tools-ci.sh, which does
 * nothing where the tool is present. test/ci-tools.test.ts holds every job to the tools its tests require.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { ENV_NAMES } from "../config";
import { LAYERS, PROTECTED_LAYERS, stackName } from "../config/naming";

export const PIPELINE_FILE = path.resolve(__dirname, "..", ".gitlab-ci.yml");

/** The default job image: pinned, the same base as ci/Dockerfile. */
export const NODE_IMAGE = "node:20.20.2-bookworm";
/** Runner tag of the runners that may run privileged jobs (loop devices, mounts); a CI/CD variable can rename it. */
export const PRIVILEGED_TAG_VARIABLE = "PACKAGECLOUD_PRIVILEGED_TAG";
export const INSTALL_TOOLS = "bash operator/ci/install-tools-ci.sh";

/**
 * The engine tests (test/engine/), one job per set of external tools (names of operator/lib/tools.ts), so only the
 * job that needs loop devices needs a privileged runner. Every engine test file belongs to exactly one job.
 */
export interface EngineTestJob {
  readonly files: readonly string[];
  /** Tools for operator/ci/install-tools-ci.sh: at least those the files require (test/ci-tools.test.ts). */
  readonly tools: readonly string[];
  /** Runs on a privileged runner (the job gets the `$PACKAGECLOUD_PRIVILEGED_TAG` tag). @default false */
  readonly privileged?: boolean;
  /** One file at a time. @default false: jest's workers */
  readonly runInBand?: boolean;
}

export const ENGINE_TEST_JOBS: Readonly<Record<string, EngineTestJob>> = {
  // In band: without a local mirror its files run `terraform init` against one provider plugin cache, which
  // Terraform does not make safe for concurrent use.
  "test:emulator": {
    files: ["test/engine/ops.test.ts", "test/engine/adoption.test.ts", "test/engine/validate.test.ts", "test/engine/placeholder-guard.test.ts"],
    tools: ["terraform", "moto_server"],
    runInBand: true,
  },
  "test:first-boot": { files: ["test/engine/first-boot.test.ts"], tools: ["shellcheck", "cloud-init", "mkfs.xfs", "xfs_growfs", "losetup", "curl", "dpkg-deb", "gpg", "unshare", "python3"], privileged: true },
  "test:promtool": { files: ["test/engine/promtool.test.ts", "test/engine/monitoring-output.test.ts"], tools: ["promtool"] },
  "test:backup": {
    files: ["test/engine/backup-job.test.ts"],
    tools: ["moto_server", "mariadbd", "mariadb-install-db", "mariadb", "mariadb-dump", "mariadb-backup", "mbstream", "age", "age-keygen", "aws", "shellcheck", "systemd-analyze", "systemd-sysusers", "cloud-init", "promtool", "mmdebstrap"],
    // mmdebstrap (root mode) and the job's run inside the image's root filesystem mount (/proc, bind mounts in a
    // private mount namespace): root with CAP_SYS_ADMIN.
    privileged: true,
  },
  "test:pipeline": { files: ["test/engine/pipeline.test.ts"], tools: ["rsync", "git"] },
  // `pre` deployed by this pipeline's own jobs through gitlab-ci-local, on the job image's commands alone, into moto
  // and the stand-ins; the checks that read pre's deployment, and its disaster-recovery drill, stand on it.
  "test:pipeline-deploy": {
    files: ["test/engine/pipeline-deploy.test.ts"],
    // The runbook's steps (docs/first-deploy.md): the AWS CLI, age-keygen, and a MariaDB for the grants Job.
    tools: ["terraform", "moto_server", "rsync", "git", "aws", "age-keygen", "mariadbd", "mariadb-install-db", "mariadb"],
  },
  // Terraform 1.11.4 attached to the stand-in providers (emulator/standin/), the providers' reviewed decisions
  // through Terraform, and the schema derivation proven against the real aws provider's `terraform providers schema -json`.
  "test:standin": {
    files: ["test/engine/standin-terraform.test.ts", "test/engine/standin-decide.test.ts", "test/engine/standin-schema.test.ts", "test/engine/cluster-taint.test.ts", "test/engine/gke-rebuild.test.ts"],
    tools: ["terraform"],
  },
  // The aws decision table (emulator/standin/decisions/aws.ts) held against the real aws 5.100.0 binary: one
  // deployment in moto, edits planned against it, validate on broken values (issue 28 §1).
  "test:aws-decisions": { files: ["test/engine/aws-decisions.test.ts"], tools: ["terraform", "moto_server"] },
  // A scratch MariaDB as an unprivileged process: no root needed, unlike test:backup.
  "test:database-grants": { files: ["test/engine/database-grants.test.ts"], tools: ["mariadbd", "mariadb-install-db", "mariadb", "mariadb-dump"] },
};

const NPM_CI = "npm ci --prefer-offline --no-audit --no-fund";
/**
 * The jobs that only synthesize or plan (synth, drift) install the runtime dependencies alone: half the install's
 * time and 1.2 GB instead of 1.7 GB (no jest, TypeScript, cdktf-cli, AWS SDK). @swc/core, which runs the
 * TypeScript entry points, is a runtime dependency for that reason.
 */
export const NPM_CI_RUNTIME = "npm ci --omit=dev --prefer-offline --no-audit --no-fund";

/** The npm cache of `.node`'s jobs, read but never written by jobs that install only now and then. */
const NPM_CACHE_PULL = { key: { files: ["package-lock.json"] }, paths: [".npm/"], policy: "pull" };

/**
 * The variable that makes a plan job run the DNS pre-flight before its stack's first apply (operator/ci/terraform.sh,
 * operator/dns-preflight.ts): set on the dns stacks' plan jobs, to the environment.
 */
export const DNS_PREFLIGHT_VARIABLE = "DNS_PREFLIGHT_ENVIRONMENT";

function engineTestJobs(): Record<string, unknown> {
  const jobs: Record<string, unknown> = {};
  for (const [name, job] of Object.entries(ENGINE_TEST_JOBS)) {
    const jest = ["npx jest --ci --selectProjects engine", ...(job.runInBand ? ["--runInBand"] : []), ...job.files];
    jobs[name] = {
      extends: ".node",
      stage: "test",
      before_script: [NPM_CI, `${INSTALL_TOOLS} ${job.tools.join(" ")}`],
      script: [jest.join(" ")],
      // Root with /dev/loop-control: the data-disk test formats and mounts loop devices.
      ...(job.privileged ? { tags: [`$${PRIVILEGED_TAG_VARIABLE}`] } : {}),
    };
  }
  return jobs;
}

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
      script: [`operator/ci/terraform.sh validate ${stack}`],
    };
    jobs[`plan:${stack}`] = {
      extends: ".terraform",
      stage: "plan",
      needs: ["synth", `validate:${stack}`],
      rules: [...selected(env, layer), { when: "on_success" }],
      // One plan or apply per stack at a time: state locking would refuse the second anyway.
      resource_group: stack,
      // The DNS pre-flight, before the dns stack's first apply: it installs the runtime dependencies then.
      ...(layer === "dns" ? { variables: { [DNS_PREFLIGHT_VARIABLE]: env }, cache: NPM_CACHE_PULL } : {}),
      script: [`operator/ci/terraform.sh plan ${stack}`],
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
      script: [`operator/ci/terraform.sh apply ${stack}`],
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
      PACKAGECLOUD_CI_IMAGE: {
        value: NODE_IMAGE,
        description: "Job image. An image built from ci/Dockerfile has every tool, so the install steps do nothing",
      },
      [PRIVILEGED_TAG_VARIABLE]: { value: "privileged", description: "Runner tag of privileged runners (loop devices)" },
    },
    default: { image: "$PACKAGECLOUD_CI_IMAGE", interruptible: true },
    ".node": {
      cache: { key: { files: ["package-lock.json"] }, paths: [".npm/"] },
      before_script: [NPM_CI],
    },
    ".terraform": {
      // The runners download providers from the registry (the Google and Cloudflare stacks are validated here).
      // Credentials come from the project's protected CI/CD variables or OIDC, never from the repository.
      // Terraform by version, its zip checked against the pinned SHA-256 and HashiCorp's signed SHA256SUMS.
      before_script: [`${INSTALL_TOOLS} terraform`, "terraform version"],
    },
    // The merge request's fast answer: needs nothing but node.
    test: {
      extends: ".node",
      stage: "test",
      script: ["npm run typecheck", "npx jest --ci --selectProjects unit"],
    },
    ...engineTestJobs(),
    synth: {
      extends: ".node",
      stage: "synth",
      before_script: [NPM_CI_RUNTIME],
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
      cache: NPM_CACHE_PULL,
      // Cloud credentials and the TF_VAR_* alert endpoints come from the project's protected CI/CD variables, as for plan.
      script: [NPM_CI_RUNTIME, `npm run drift -- ${env} --report-dir drift-report/${env}`],
      artifacts: { name: `drift-${env}`, when: "always", paths: [`drift-report/${env}/`], expire_in: "30 days" },
    };
  }
  return out;
}

export function pipelineYaml(): string {
  const header = "# Generated by `npm run pipeline` (tooling/pipeline.ts) from the environments and stack layers. Do not edit.\n";
  return header + stringify(pipeline(), { lineWidth: 0, aliasDuplicateObjects: false });
}

if (require.main === module) {
  fs.writeFileSync(PIPELINE_FILE, pipelineYaml());
  console.log(`wrote ${path.relative(process.cwd(), PIPELINE_FILE)}`);
}
