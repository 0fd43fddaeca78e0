/**
 * An environment deployed by the pipeline's own jobs (pipeline-jobs.ts) into the emulated world: moto_server for
 * the AWS stacks, the stand-ins for Google, Cloudflare, time and random, and the model of Google's token and Cloud
 * DNS APIs (standin/google-apis.ts) for the DNS pre-flight. In the order an operator runs a pipeline on the default
 * branch: `synth`; `validate:<stack>` of every stack; then `plan:<stack>` and the manual `deploy:<stack>` of each stack
 * after the stacks it depends on (independent ones side by side), protected layers with CONFIRM_DEPLOY=<stack>;
 * and the scheduled `drift:<env>` job.
 *
 * The emulated world reaches the jobs the way real clouds do, through the project's CI/CD variables: the emulator
 * target (PACKAGECLOUD_TARGET, the endpoint, the state directory that stands for the remote state), the Terraform CLI
 * configuration for the offline provider mirror, TF_REATTACH_PROVIDERS for the stand-ins, the alert endpoints'
 * TF_VAR_*, the Google credentials (a service account key file, as GOOGLE_APPLICATION_CREDENTIALS) and the Cloud DNS
 * API's base URL for the pre-flight.
 *
 * Shared by the DR drill (dr-drill.ts, `npm run dr:drill`) and test/engine/pipeline-deploy.test.ts, where it is
 * `pre`'s one engine deployment.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadEnvironments, type EnvName } from "../../config";
import { PROTECTED_LAYERS, stackName, LAYERS } from "../../config/naming";
import { allStacks } from "../../operator/lib/stacks";
import { cliConfig, providerMirror } from "../../operator/lib/terraform-config";
import { PROJECT_ROOT, terraformOkAsync } from "../../operator/lib/terraform";
import { TRANSIENT_TRANSPORT_ERROR } from "../../stacks/aws-provider";
import { startStandins, typesUsed, type Standins } from "../standin/client";
import { seedAdoptedDnsRecord, seedExisting, type SeededRecord } from "../standin/fixtures";
import { startGoogleApiModel, type GoogleApiModel } from "../standin/google-apis";
import { configuredAmiIds, stackDependencies, stackDir, stackEnv, type EmulatorWorkspace, type StackOutputs } from "./emulator-deploy";
import { startEmulator, type Emulator } from "./moto";
import { PipelineJobs, type JobRun } from "./pipeline-jobs";

export interface PipelineStep {
  readonly step: string;
  readonly seconds: number;
  /** Ran beside other steps: not part of the total. */
  readonly beside?: boolean;
}

export interface PipelineWorld {
  readonly environment: EnvName;
  readonly emulator: Emulator;
  readonly standins: Standins;
  /** The model of Google's token and Cloud DNS APIs, for an environment whose zone is in Cloud DNS. */
  readonly googleApis?: GoogleApiModel;
  readonly jobs: PipelineJobs;
  /** The directory that stands for the environments' remote state: every job reaches it (PACKAGECLOUD_STATE_DIR). */
  readonly stateDir: string;
  /** The synth job's cdktf.out, as GitLab keeps the artifact. */
  readonly synthesized: string;
  readonly scratch: string;
  readonly steps: PipelineStep[];
  cleanup(): Promise<void>;
}

const seconds = (since: number) => (Date.now() - since) / 1000;

/** Throws with the job's log unless it passed. */
export function passed(run: JobRun): JobRun {
  if (run.code !== 0) throw new Error(`the pipeline job ${run.job} failed (exit ${run.code}):\n${run.log.slice(-6000)}`);
  return run;
}

/**
 * Starts the emulated world and runs the pipeline's first job, `synth`; the stand-ins then serve the types the
 * synthesized stacks use, and the variables that name them are set for the jobs that follow.
 */
export async function startPipelineWorld(environment: EnvName, log: (line: string) => void = () => undefined): Promise<PipelineWorld> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const env = loadEnvironments()[environment];
  const steps: PipelineStep[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-pipeline-"));
  const stateDir = path.join(scratch, "state");
  fs.mkdirSync(stateDir);
  let began = Date.now();
  const emulator = await startEmulator({ amiIds: configuredAmiIds() });
  steps.push({ step: "start moto_server", seconds: seconds(began) });
  let standins: Standins | undefined;
  let googleApis: GoogleApiModel | undefined;
  const jobs = new PipelineJobs({
    root: PROJECT_ROOT,
    stateDir: `.gitlab-ci-local/pipeline-${process.pid}-${path.basename(scratch)}`,
    scratch: path.join(scratch, "runner"),
    variables: {
      PACKAGECLOUD_TARGET: "emulator",
      PACKAGECLOUD_EMULATOR_ENDPOINT: emulator.endpoint,
      PACKAGECLOUD_STATE_DIR: stateDir,
      TF_CLI_CONFIG_FILE: writeCliConfig(scratch),
      // GitLab's cache of `.npm/` (the `.node` jobs' cache, pulled by the drift and dns plan jobs): this machine's.
      NPM_CONFIG_CACHE: process.env.npm_config_cache || path.join(os.homedir(), ".npm"),
      // A pipeline of the default branch, where the deploy jobs are manual (and not `never`).
      CI_COMMIT_BRANCH: "main",
      CI_DEFAULT_BRANCH: "main",
    },
    log,
  });
  const cleanup = async () => {
    await googleApis?.stop();
    await standins?.stop();
    await emulator.stop();
    await jobs.cleanup();
    await fs.promises.rm(scratch, { recursive: true, force: true });
  };
  try {
    began = Date.now();
    passed(await jobs.run("synth"));
    steps.push({ step: "synth", seconds: seconds(began) });
    const synthesized = path.join(jobs.artifactsDir("synth"), "cdktf.out");
    const stacks = allStacks(environment);
    began = Date.now();
    standins = await startStandins({ types: typesUsed(stacks.map((stack) => path.join(synthesized, "stacks", stack))) });
    jobs.setVariable("TF_REATTACH_PROVIDERS", standins.env.TF_REATTACH_PROVIDERS);
    // The project exists before any stack (docs/first-deploy.md §1); the adopted DNS record is seeded later, before
    // the dns plan job, so the journey shows the pre-flight refusing without it.
    await seedExisting(standins, env, { adoptedRecord: false });
    // The DNS pre-flight's API: modelled for Cloud DNS only (a Cloudflare environment's dns plan job has no model here).
    if (env.dns.provider === "cloud-dns") {
      googleApis = await startGoogleApiModel(standins, `terraform@${env.gcp.project}.iam.gserviceaccount.com`);
      // A File-type CI/CD variable: GitLab writes the key to a file and sets the variable to its path.
      const keyFile = path.join(scratch, "google-credentials.json");
      fs.writeFileSync(keyFile, JSON.stringify(googleApis.serviceAccountKey), { mode: 0o600 });
      jobs.setVariable("GOOGLE_APPLICATION_CREDENTIALS", keyFile);
      jobs.setVariable("CLOUD_DNS_API_BASE_URL", googleApis.url);
    }
    steps.push({ step: "start the stand-ins and the Google API model", seconds: seconds(began) });
    // The masked TF_VAR_* of the alert endpoints each stack declares (docs/first-deploy.md §1); an emulator sends nothing.
    for (const stack of stacks) {
      const declared = JSON.parse(fs.readFileSync(path.join(synthesized, "stacks", stack, "cdk.tf.json"), "utf8")).variable ?? {};
      for (const name of Object.keys(declared)) jobs.setVariable(`TF_VAR_${name}`, `https://alerts.invalid/emulator/${name}`);
    }
    return { environment, emulator, standins, googleApis, jobs, stateDir, synthesized, scratch: path.join(scratch, "operator"), steps, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** The Terraform CLI configuration the jobs get: the offline mirror where there is one, the registry otherwise. */
function writeCliConfig(scratch: string): string {
  const file = path.join(scratch, "terraformrc");
  const mirror = providerMirror();
  // No plugin cache without a mirror: jobs run side by side, and Terraform's cache is not safe for concurrent use.
  fs.writeFileSync(file, mirror ? cliConfig(mirror, path.join(scratch, "unused-plugin-cache")) : "provider_installation {\n  direct {}\n}\n");
  return file;
}

/** The record the environment adopts, existing before the first deploy (standin/fixtures.ts). */
export function seedAdoptedRecord(world: PipelineWorld): Promise<SeededRecord | undefined> {
  return seedAdoptedDnsRecord(world.standins, loadEnvironments()[world.environment]);
}

/** A stack's outputs, from its state (the remote state every job writes). */
export function stateOutputs(world: PipelineWorld, stack: string): StackOutputs {
  const state = JSON.parse(fs.readFileSync(path.join(world.stateDir, `${stack}.tfstate`), "utf8"));
  return Object.fromEntries(Object.entries(state.outputs ?? {}).map(([k, v]) => [k, String((v as { value: unknown }).value)]));
}

/** The variables an operator gives a deploy job: CONFIRM_DEPLOY=<stack> for a protected layer (operator/ci/terraform.sh). */
export function deployVariables(stack: string): Record<string, string> {
  const layer = LAYERS.find((l) => stack.endsWith(`-${l}`));
  return layer && PROTECTED_LAYERS.includes(layer) ? { CONFIRM_DEPLOY: stack } : {};
}

/**
 * `plan:<stack>` then `deploy:<stack>`, as an operator runs them. A deploy that failed on one of the emulator's
 * transient transport errors (stacks/aws-provider.ts) left its saved plan stale: the operator plans and deploys once
 * more, and only then.
 */
export async function planAndDeploy(world: PipelineWorld, stack: string): Promise<void> {
  passed(await world.jobs.run(`plan:${stack}`));
  const deploy = await world.jobs.run(`deploy:${stack}`, deployVariables(stack));
  if (deploy.code !== 0 && TRANSIENT_TRANSPORT_ERROR.test(deploy.log)) {
    passed(await world.jobs.run(`plan:${stack}`));
    passed(await world.jobs.run(`deploy:${stack}`, deployVariables(stack)));
    return;
  }
  passed(deploy);
}

export interface DeployHooks {
  /** Awaited before a stack's plan job (e.g. what must exist before it, seeded into the emulated world). */
  readonly beforePlan?: (stack: string) => Promise<void>;
  /**
   * Work on the storage stack beside the rest, from the moment it is deployed (its outputs). The deployment waits for
   * it before it returns, and fails with it.
   */
  readonly alongsideStorage?: (outputs: StackOutputs) => Promise<void>;
  /**
   * Awaited after a stack's deploy job (e.g. a runbook's steps for that stack), before any stack that comes after it
   * in `order` starts its plan.
   */
  readonly afterDeploy?: (stack: string, outputs: StackOutputs) => Promise<void>;
  /**
   * Deploy one stack after another in this order (a runbook's), each after the one before it and its afterDeploy;
   * without it, stacks that do not depend on each other deploy side by side.
   */
  readonly order?: readonly string[];
}

/**
 * Every stack of the environment (or `stacks`), each through `validate`, `plan` and `deploy`, after the stacks it
 * depends on (cdktf's manifest, as `cdktf deploy` orders them); independent chains side by side. Returns the outputs.
 */
export async function deployStacks(world: PipelineWorld, hooks: DeployHooks = {}, stacks: readonly string[] = allStacks(world.environment)): Promise<Record<string, StackOutputs>> {
  const dependencies = stackDependencies({ outdir: world.synthesized, stateDir: world.stateDir, endpoint: world.emulator.endpoint });
  const outputs: Record<string, StackOutputs> = {};
  const chains = new Map<string, Promise<void>>();
  let alongside: Promise<void> = Promise.resolve();
  const chain = (stack: string): Promise<void> => {
    const existing = chains.get(stack);
    if (existing) return existing;
    const started = (async () => {
      const validate = world.jobs.run(`validate:${stack}`);
      await Promise.all((dependencies[stack] ?? []).filter((d) => stacks.includes(d)).map(chain));
      const previous = hooks.order ? hooks.order[hooks.order.indexOf(stack) - 1] : undefined;
      if (previous !== undefined && stacks.includes(previous)) await chain(previous);
      passed(await validate);
      await hooks.beforePlan?.(stack);
      const began = Date.now();
      await planAndDeploy(world, stack);
      world.steps.push({ step: `plan and deploy ${stack}`, seconds: seconds(began) });
      outputs[stack] = stateOutputs(world, stack);
      if (stack === stackName(world.environment, "storage") && hooks.alongsideStorage) {
        const besideStart = Date.now();
        alongside = hooks.alongsideStorage(outputs[stack]).then(() => {
          world.steps.push({ step: "storage checks (beside the other stacks)", seconds: seconds(besideStart), beside: true });
        });
        alongside.catch(() => undefined); // awaited below; unhandled meanwhile otherwise
      }
      await hooks.afterDeploy?.(stack, outputs[stack]);
    })();
    chains.set(stack, started);
    return started;
  };
  const results = await Promise.allSettled(stacks.map(chain));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  await alongside.catch((error: unknown) => {
    if (!failed) throw error;
  });
  if (failed) throw failed.reason;
  return outputs;
}

export interface DriftRun {
  readonly run: JobRun;
  /** drift-report/<env>/drift-report.json from the job's artifacts (kept even when it fails). */
  readonly report: any;
}

/** The scheduled drift job of the environment (a pipeline with PIPELINE_KIND=drift). */
export async function runDriftJob(world: PipelineWorld): Promise<DriftRun> {
  const began = Date.now();
  const run = await world.jobs.run(`drift:${world.environment}`, { PIPELINE_KIND: "drift" });
  world.steps.push({ step: `drift:${world.environment}`, seconds: seconds(began) });
  const file = path.join(world.jobs.artifactsDir(`drift:${world.environment}`), "drift-report", world.environment, "drift-report.json");
  if (!fs.existsSync(file)) throw new Error(`the drift job left no report (exit ${run.code}):\n${run.log.slice(-6000)}`);
  return { run, report: JSON.parse(fs.readFileSync(file, "utf8")) };
}

/**
 * An operator's own copy of the synthesized stacks (the synth job's artifact), to run Terraform by hand against the
 * same state, as docs/first-deploy.md does for outputs: each stack initialised on first use.
 */
export class OperatorWorkspace {
  readonly ws: EmulatorWorkspace;
  private readonly initialised = new Map<string, Promise<void>>();

  constructor(world: PipelineWorld) {
    const outdir = path.join(world.scratch, "cdktf.out");
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.mkdirSync(world.scratch, { recursive: true });
    fs.cpSync(world.synthesized, outdir, { recursive: true });
    this.ws = { outdir, stateDir: world.stateDir, endpoint: world.emulator.endpoint, extraEnv: world.standins.env };
  }

  /** The stack's directory, initialised. */
  async dir(stack: string): Promise<string> {
    let init = this.initialised.get(stack);
    if (!init) {
      init = terraformOkAsync(["init", "-input=false"], stackDir(this.ws, stack), this.env(stack)).then(() => undefined);
      this.initialised.set(stack, init);
    }
    await init;
    return stackDir(this.ws, stack);
  }

  env(stack: string): NodeJS.ProcessEnv {
    return stackEnv(this.ws, stack);
  }
}
