/**
 * The pipeline's own jobs, run here as a runner runs them: each generated job of .gitlab-ci.yml through
 * gitlab-ci-local (a devDependency) with the shell executor in an isolated copy of the project
 * (`--shell-isolation`: tracked files only, as a clone), its own before_script and script, artifacts passed from
 * the jobs it `needs` as GitLab passes them, and the CI/CD variables an operator sets for the project.
 *
 * What each job can run is what its image has plus what its before_script installs (job-image.ts): the job's PATH
 * is a directory of exactly those commands. The install step itself runs as written; the tools it names are put
 * on that PATH beforehand (a model: the real step downloads them, and then finds them present, as it does on the
 * CI image). gitlab-ci-local itself runs with this machine's PATH: it is the runner, and its rsync and git are the
 * runner's, not the job's.
 *
 * Used by the DR drill (dr-drill.ts) and test/engine/pipeline-deploy.test.ts.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { jobPathDir, type JobPath } from "./job-image";

/** gitlab-ci-local's directory name for a job (its Utils.safeDockerString: other characters base64url-encoded). */
export function safeJobName(job: string): string {
  return job.replace(/[^\w-]+/g, (match) => Buffer.from(match).toString("base64url"));
}

/** The before_script line that installs tools (tooling/pipeline.ts INSTALL_TOOLS). */
const INSTALL_STEP = /^bash operator\/ci\/install-tools-ci\.sh (.+)$/;

export interface JobRun {
  readonly job: string;
  /** gitlab-ci-local's exit code: 0 when the job succeeded. */
  readonly code: number;
  readonly seconds: number;
  /** Everything the runner printed for the job, colours removed. */
  readonly log: string;
  /** The tools its before_script installs (on its PATH besides the image's commands). */
  readonly installs: readonly string[];
  /** The variables given when running it, besides the project's (e.g. CONFIRM_DEPLOY). */
  readonly extra: Readonly<Record<string, string>>;
}

export interface ListedJob {
  readonly name: string;
  readonly stage: string;
  readonly when: string;
}

export interface PipelineJobsOptions {
  /** A git checkout of the project. */
  readonly root: string;
  /** The pipeline file, relative to root. @default ".gitlab-ci.yml" */
  readonly file?: string;
  /** gitlab-ci-local's state directory (builds, artifacts), relative to root. */
  readonly stateDir: string;
  /** A scratch directory for the jobs' PATH directories and the runner's HOME. */
  readonly scratch: string;
  /** The project's CI/CD variables, given to every job (settable later: setVariable). */
  readonly variables: Readonly<Record<string, string>>;
  readonly log?: (line: string) => void;
}

export class PipelineJobs {
  private readonly ci: Record<string, any>;
  private readonly paths = new Map<string, JobPath>();
  /** Invocations start one at a time: each copies the project into one shared directory before its job starts. */
  private startGate: Promise<void> = Promise.resolve();
  private readonly binary: string;
  private readonly variables: Record<string, string>;
  /** Every job run, in the order they ended. */
  readonly runs: JobRun[] = [];

  constructor(readonly options: PipelineJobsOptions) {
    this.variables = { ...options.variables };
    this.ci = parse(fs.readFileSync(path.join(options.root, options.file ?? ".gitlab-ci.yml"), "utf8"));
    this.binary = path.join(options.root, "node_modules", "gitlab-ci-local", "src", "index.js");
    if (!fs.existsSync(this.binary)) throw new Error("gitlab-ci-local is required: it is a devDependency, run npm ci");
    fs.mkdirSync(path.join(options.scratch, "home"), { recursive: true });
  }

  /** Sets a CI/CD variable of the project (for the jobs run from now on). */
  setVariable(key: string, value: string): void {
    this.variables[key] = value;
  }

  /** The project's CI/CD variables as they are now. */
  projectVariables(): Readonly<Record<string, string>> {
    return { ...this.variables };
  }

  /** The job's definition with `extends` and `default` applied (only the keys a runner needs here). */
  definition(job: string): Record<string, any> {
    const own = this.ci[job];
    if (!own || typeof own !== "object") throw new Error(`no job ${job} in .gitlab-ci.yml`);
    const chain = [own];
    for (let current = own; current.extends; ) {
      const parent = this.ci[Array.isArray(current.extends) ? current.extends[0] : current.extends];
      chain.push(parent);
      current = parent;
    }
    const merged: Record<string, any> = { ...(this.ci.default ?? {}) };
    for (const layer of chain.reverse()) Object.assign(merged, layer);
    return merged;
  }

  /** The tools the job's before_script installs. */
  installsOf(job: string): string[] {
    const steps: string[] = this.definition(job).before_script ?? [];
    return steps.flatMap((step) => step.match(INSTALL_STEP)?.[1].split(/\s+/) ?? []);
  }

  /** The job's PATH: the image's commands and its installs, nothing else. */
  pathOf(job: string): JobPath {
    const installs = this.installsOf(job);
    const key = installs.join(" ");
    let found = this.paths.get(key);
    if (!found) {
      found = jobPathDir(path.join(this.options.scratch, `path-${this.paths.size}`), installs);
      this.paths.set(key, found);
    }
    return found;
  }

  /** Where GitLab keeps the job's artifacts after it ran. */
  artifactsDir(job: string): string {
    return path.join(this.options.root, this.options.stateDir, "artifacts", safeJobName(job));
  }

  private args(variables: Record<string, string>): string[] {
    return [
      ...(this.options.file ? ["--file", this.options.file] : []),
      "--state-dir",
      this.options.stateDir,
      "--force-shell-executor",
      "--shell-isolation",
      // Artifacts stay in the runner's store (the state directory), as on GitLab: never into the checkout.
      "--artifacts-to-source=false",
      "--no-color",
      // The journey runs its jobs as on the default branch: these two are set on purpose.
      "--ignore-predefined-vars",
      "CI_COMMIT_BRANCH,CI_DEFAULT_BRANCH",
      ...Object.entries(variables).flatMap(([key, value]) => ["--variable", `${key}=${value}`]),
    ];
  }

  private runner(args: string[], onOutput?: (text: string) => void): Promise<{ code: number; output: string }> {
    return new Promise((resolve, reject) => {
      // The runner's own environment: this machine's PATH for gitlab-ci-local's git and rsync, a scratch HOME (no
      // ~/.gitlab-ci-local settings, no ~/.terraformrc), and nothing else of this process: a job sees its image,
      // the variables below, and what GitLab's runner adds.
      const child = spawn(process.execPath, [this.binary, ...args], {
        cwd: this.options.root,
        env: { PATH: process.env.PATH ?? "", HOME: path.join(this.options.scratch, "home"), FORCE_COLOR: "0", NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      const take = (chunk: Buffer) => {
        const text = chunk.toString("utf8");
        output += text;
        onOutput?.(text);
      };
      child.stdout.on("data", take);
      child.stderr.on("data", take);
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? 1, output: output.replace(/\x1b\[[0-9;]*m/g, "") }));
    });
  }

  /** The jobs a pipeline with these variables holds, and when each runs (GitLab's rules evaluated). */
  async list(extra: Readonly<Record<string, string>> = {}): Promise<ListedJob[]> {
    const { code, output } = await this.runner(["--list-json", ...this.args({ ...this.variables, ...extra })]);
    if (code !== 0) throw new Error(`gitlab-ci-local --list-json failed (exit ${code}):\n${output}`);
    return JSON.parse(output.slice(output.indexOf("["))).map((j: any) => ({ name: j.name, stage: j.stage, when: j.when }));
  }

  /**
   * Runs one job as an operator triggers it (a manual job included), with the project's variables and `extra`
   * (variables given when running it, e.g. CONFIRM_DEPLOY). Resolves when it ended; a failed job is a JobRun with
   * a non-zero code, not an error.
   */
  async run(job: string, extra: Readonly<Record<string, string>> = {}): Promise<JobRun> {
    const jobPath = this.pathOf(job);
    const variables = { ...this.variables, ...extra, PATH: jobPath.dir };
    const gate = this.startGate;
    let started!: () => void;
    this.startGate = new Promise((resolve) => (started = resolve));
    await gate;
    const began = Date.now();
    const fallback = setTimeout(started, 60_000);
    const result = await this.runner([job, ...this.args(variables)], (text) => {
      if (/ starting shell /.test(text)) started();
    }).finally(() => {
      clearTimeout(fallback);
      started();
    });
    const run: JobRun = { job, code: result.code, seconds: (Date.now() - began) / 1000, log: result.output, installs: this.installsOf(job), extra: { ...extra } };
    this.runs.push(run);
    this.options.log?.(`${job}: ${run.code === 0 ? "passed" : `FAILED (exit ${run.code})`} in ${run.seconds.toFixed(1)} s`);
    return run;
  }

  /** Removes the runner's state (builds, artifacts, logs). */
  async cleanup(): Promise<void> {
    await fs.promises.rm(path.join(this.options.root, this.options.stateDir), { recursive: true, force: true });
  }
}
