/**
 * docs/first-deploy.md as a test, on the environment the pipeline's jobs deploy (test/engine/pipeline-deploy.test.ts):
 * its command blocks run in document order with the tools an operator has, the stacks deployed by the pipeline's
 * jobs where the runbook says to run the pipeline. What each tool reaches:
 * - terraform, npm and the operator's scripts (operator/ci/) run for real, in an operator's checkout of this
 *   repository (its placeholders replaced, as the runbook's §2 says), against the deployed state;
 * - aws: the real AWS CLI, pointed at the emulator (AWS_ENDPOINT_URL);
 * - gcloud, kubectl, dig: MODELS (emulator/google/gcloud.ts, emulator/kubernetes/kubectl.ts, emulator/google/dig.ts),
 *   since neither Google's APIs nor a Kubernetes API server can run here: gcloud answers from the stand-ins' world
 *   (the secret Terraform wrote, the cluster, the instance) and a state of its own; kubectl keeps a ledger of the
 *   objects created so far and refuses what the API server refuses (a namespaced object before its Namespace, a Pod
 *   before its ServiceAccount, a Pod mounting a Secret nobody created never starts);
 * - the grants Job's script runs against a MariaDB standing for Cloud SQL (test/support/grants-runner.ts), its admin
 *   password the one Terraform generated, as the runbook's steps carry it from Secret Manager into the Job's Secret.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { EnvironmentConfig } from "../../config";
import { ADMIN_USER } from "../../constructs/cloud-sql-mysql";
import { appDatabaseUser } from "../../backup/database-grants";
import { backupDatabaseUser } from "../../backup/jobs";
import { PROJECT_ROOT, terraformEnv } from "../../operator/lib/terraform";
import { requireTool } from "../../operator/lib/tools";
import type { Standins } from "../../emulator/standin/client";
import { startMariadb, type ScratchMariadb } from "./mariadb";
import { Runbook, type BlockRun, type Skip } from "./runbook";

export const RUNBOOK = path.join(PROJECT_ROOT, "docs", "first-deploy.md");

/** The lines the test does not run, each with its reason (written by hand; a stale entry fails the test). */
export const SKIPS: readonly Skip[] = [
  { line: "npm ci && npm test", why: "this test is part of npm test, and the checkout uses the project's own node_modules" },
  { line: "npm run docs:tables", why: "regenerating the docs after a configuration edit: test/readme.test.ts and test/architecture.test.ts check them" },
  { line: "npm run docs", why: "same" },
  { line: "npx jest --selectProjects unit -u", why: "refreshing snapshots: test/stacks/snapshot.test.ts checks them" },
  { line: "npm test", why: "this test is part of npm test" },
  { line: "export CLOUDFLARE_API_TOKEN=...", why: "the by-hand pre-flight: the pipeline's dns plan job runs it (test/engine/pipeline-deploy.test.ts)", where: /^4\. / },
  { line: "export GOOGLE_APPLICATION_CREDENTIALS=...", why: "same", where: /^4\. / },
  { line: "npm run dns:preflight -- <env>", why: "same", where: /^4\. / },
  { line: "npm run synth", why: "the by-hand deploy: this test deploys through the pipeline's jobs (issue 27 §1)", where: /^4\. Deploy, in order › $/ },
  { line: "npx cdktf diff packagecloud-<env>-storage", why: "same", where: /^4\. / },
  { line: "npx cdktf deploy packagecloud-<env>-storage", why: "same", where: /^4\. / },
];

/** The operator's own files the runbook reads (from the secrets store, docs/vm.md "Secrets"). */
export const OPERATOR_FILES: Record<string, string> = {
  "apt-auth.conf": "machine packagecloud.io login 0123456789abcdef password\n",
  "packagecloud.rb": "# packagecloud.rb from the secrets store (a stand-in)\n",
};

export class FirstDeploy {
  readonly runbook: Runbook;
  readonly checkout: string;
  readonly ledgerFile: string;
  private readonly gcloudState: string;
  private mariadb?: ScratchMariadb;

  constructor(
    private readonly env: EnvironmentConfig,
    private readonly scratch: string,
    world: { readonly endpoint: string; readonly stateDir: string; readonly standins: Standins },
  ) {
    requireTool("terraform");
    requireTool("aws");
    requireTool("age-keygen");
    this.checkout = path.join(scratch, "checkout");
    this.makeCheckout();
    const bin = path.join(scratch, "bin");
    fs.mkdirSync(bin, { recursive: true });
    const model = (name: string, file: string) =>
      fs.writeFileSync(path.join(bin, name), `#!/bin/sh\nexec "${process.execPath}" -r "${PROJECT_ROOT}/tooling/register-swc.js" "${PROJECT_ROOT}/${file}" "$@"\n`, { mode: 0o755 });
    model("gcloud", "emulator/google/gcloud.ts");
    model("kubectl", "emulator/kubernetes/kubectl.ts");
    model("dig", "emulator/google/dig.ts");
    this.ledgerFile = path.join(scratch, "cluster-ledger.json");
    this.gcloudState = path.join(scratch, "gcloud-state.json");
    // A prerequisite the runbook's §1 names: the Alertmanager configuration, kept in Secret Manager.
    fs.writeFileSync(this.gcloudState, JSON.stringify({ services: [], secrets: { [`${env.gcp.project}/packagecloud-${env.name}-alertmanager-config`]: ["route:\n  receiver: stand-in\nreceivers:\n- name: stand-in\n"] } }));
    const runners = path.join(scratch, "runners");
    fs.mkdirSync(runners, { recursive: true });
    const terraform = terraformEnv();
    this.runbook = new Runbook(RUNBOOK, {
      cwd: this.checkout,
      skips: SKIPS,
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        HOME: process.env.HOME,
        TF_CLI_CONFIG_FILE: terraform.TF_CLI_CONFIG_FILE,
        TF_IN_AUTOMATION: "1",
        CHECKPOINT_DISABLE: "1",
        TF_REATTACH_PROVIDERS: world.standins.env.TF_REATTACH_PROVIDERS,
        PACKAGECLOUD_TARGET: "emulator",
        PACKAGECLOUD_EMULATOR_ENDPOINT: world.endpoint,
        PACKAGECLOUD_STATE_DIR: world.stateDir,
        AWS_ENDPOINT_URL: world.endpoint,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_DEFAULT_REGION: env.aws.region,
        AWS_PAGER: "",
        GCLOUD_MODEL_STATE: this.gcloudState,
        GCLOUD_MODEL_STANDINS: world.standins.url,
        KUBECONFIG: path.join(scratch, "kubeconfig"),
        KUBECTL_MODEL_LEDGER: this.ledgerFile,
        KUBECTL_MODEL_RUNNERS: runners,
      },
    });
    this.runbook.fill({ env: env.name, project: env.gcp.project });
    this.runners = runners;
  }

  private readonly runners: string;

  /** A checkout of this repository (its sources, the project's node_modules), placeholders replaced (§2). */
  private makeCheckout(): void {
    const skip = new Set(["node_modules", ".git", "cdktf.out", ".local", ".tools", ".gitlab-ci-local", "coverage", "drift-report"]);
    for (const entry of fs.readdirSync(PROJECT_ROOT)) {
      if (skip.has(entry)) continue;
      fs.cpSync(path.join(PROJECT_ROOT, entry), path.join(this.checkout, entry), { recursive: true });
    }
    for (const linked of ["node_modules", ".tools"]) fs.symlinkSync(path.join(PROJECT_ROOT, linked), path.join(this.checkout, linked));
    // §2: every shipped stand-in value replaced. Here the values stay (they match the emulated world); the markers go,
    // as the runbook says, so nothing refuses them as placeholders.
    const file = path.join(this.checkout, "config", "environments.ts");
    // The image digests become the operator's builds' (a digest of all zeros is nobody's image: kubectl-apply.sh
    // refuses it marked or not).
    const digest = (n: string) => createHash("sha256").update(`image ${n}`).digest("hex");
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, "utf8")
        .replace(/\bplaceholder\(/g, "(")
        .replace(/@sha256:0{63}([0-9a-f])\b/g, (_m, n: string) => `@sha256:${digest(n)}`),
    );
    for (const [name, content] of Object.entries(OPERATOR_FILES)) fs.writeFileSync(path.join(this.checkout, name), content, { mode: 0o600 });
  }

  /** The blocks before the first stack: the checkout's synth, the age key pair into Secret Manager. */
  before(): Promise<BlockRun[]> {
    return this.runbook.run([...this.runbook.blocksOf(/^$/), ...this.runbook.blocksOf(/^[123]\. /), ...this.runbook.blocksOf(/^4\. /, /^$/)]);
  }

  /**
   * "After `<layer>`": the stack's outputs fill its placeholders. Before the gke steps, the MariaDB that stands for
   * Cloud SQL is set up as the gke stack left the instance: the admin user with the password Terraform generated.
   */
  async after(layer: "storage" | "gke" | "vm" | "dns", outputs: Record<string, string>, standins: Standins): Promise<BlockRun[]> {
    this.runbook.fill(outputs);
    if (layer === "gke") await this.startCloudSql(standins);
    return this.runbook.run(this.runbook.blocksOf(/^4\. /, new RegExp(`^After \`${layer}\``)));
  }

  private async startCloudSql(standins: Standins): Promise<void> {
    const written = (await standins.writeOnly()).filter((w) => w.type === "google_sql_user" && w.attribute === "password_wo");
    if (written.length === 0) throw new Error("the gke stack wrote no admin password (google_sql_user.password_wo)");
    const password = String(written[written.length - 1].value);
    this.mariadb = await startMariadb(path.join(this.scratch, "cloud-sql"));
    this.mariadb.asRoot(
      [
        "CREATE DATABASE packagecloud CHARACTER SET utf8mb4",
        `CREATE USER '${ADMIN_USER}'@'%' IDENTIFIED BY '${password}'`,
        `GRANT ALL PRIVILEGES ON *.* TO '${ADMIN_USER}'@'%' WITH GRANT OPTION`,
        // The IAM users, here with passwords standing in for the proxy's IAM login; no privileges yet.
        `CREATE USER '${appDatabaseUser(this.env)}'@'%' IDENTIFIED BY 'iam-login-stand-in'`,
        `CREATE USER '${backupDatabaseUser(this.env)}'@'%' IDENTIFIED BY 'iam-login-stand-in'`,
      ].join("; "),
    );
    fs.writeFileSync(
      path.join(this.runners, "packagecloud-database-grants"),
      `#!/bin/sh\nGRANTS_RUNNER_PORT=${this.mariadb.port} GRANTS_RUNNER_DIR="${path.join(this.scratch, "grants-pod")}" exec "${process.execPath}" -r "${PROJECT_ROOT}/tooling/register-swc.js" "${PROJECT_ROOT}/test/support/grants-runner.ts" "$@"\n`,
      { mode: 0o755 },
    );
  }

  /** SHOW GRANTS for a database user, as Cloud SQL holds them now. */
  grantsOf(user: string): string {
    if (!this.mariadb) throw new Error("the Cloud SQL stand-in was never started (the gke steps did not run)");
    return this.mariadb.asRoot(`SHOW GRANTS FOR '${user}'@'%'`);
  }

  async stop(): Promise<void> {
    await this.mariadb?.stop();
  }
}
