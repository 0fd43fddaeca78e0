/**
 * Issue 22 item 1: the grant Job's statements and script against a real MySQL-compatible server (a scratch MariaDB in
 * a temp dir, as test/engine/backup-job.test.ts starts one). The server is set up as Cloud SQL leaves a new instance:
 * the database, the built-in admin (Cloud SQL's users get cloudsqlsuperuser: every privilege with GRANT OPTION, less
 * SUPER/FILE), and the two IAM users with no privileges (here with passwords, standing in for the proxy's IAM login).
 * The Job's own script, read from its manifest as kubectl reads it (YAML 1.1), then runs twice; each user logs in and
 * is checked for what it must and must not do. The backup user runs the backup script's real dump command.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { loadEnvironments } from "../../config";
import { ADMIN_USER } from "../../constructs/cloud-sql-mysql";
import { appDatabaseUser, GRANT_JOB_FILE, grantFiles, grantJob, grantStatements } from "../../backup/database-grants";
import { backupDatabaseUser, CLOUD_SQL_PROXY_PORT } from "../../backup/jobs";
import { requireTool } from "../../operator/lib/tools";
import { freePort } from "../../emulator/lib/ports";

jest.setTimeout(120_000);

const env = loadEnvironments().pre;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-grants-"));
const socket = path.join(work, "mysql.sock");
const secrets = path.join(work, "secrets");
const tmp = path.join(work, "tmp");
const ADMIN_PASSWORD = "0123456789abcdef0123456789abcdef";
const USER_PASSWORD = "iam-login-stand-in";
let port: number;
let mysqld: ReturnType<typeof spawn>;
const started = Date.now();

function must(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  return result.stdout.trim();
}
const asRoot = (statement: string) => must("mariadb", ["--no-defaults", `--socket=${socket}`, "--user=root", "--batch", "--skip-column-names", "-e", statement]);
/** One statement as a user over TCP (as through the proxy); the exit code and stderr, not thrown. */
const asUser = (user: string, statement: string, database = "packagecloud") =>
  spawnSync("mariadb", ["--no-defaults", "--host=127.0.0.1", `--port=${port}`, `--user=${user}`, `--password=${USER_PASSWORD}`, "--batch", "--skip-column-names", database, "-e", statement], { encoding: "utf8" });

/** The Job's container as kubectl reads the manifest: YAML 1.1, then the container named "grants". */
function jobContainer(): { command: string[]; env: Array<{ name: string; value: string }> } {
  const text = grantFiles([env])[GRANT_JOB_FILE(env.name)];
  const [job] = parseAllDocuments(text, { version: "1.1" }).map((d) => d.toJSON());
  return job.spec.template.spec.containers.find((c: { name: string }) => c.name === "grants");
}

/** Runs the Job's script here: its paths and the proxy's port pointed at this test's directory and server. */
function runJobScript(): { code: number; stdout: string; stderr: string } {
  const container = jobContainer();
  expect(container.command.slice(0, 2)).toEqual(["sh", "-c"]);
  const script = container.command[2]
    .replaceAll("/tmp/", `${tmp}/`)
    .replaceAll("/var/run/secrets/sql-admin", secrets)
    .replace(`--port=${CLOUD_SQL_PROXY_PORT}`, `--port=${port}`);
  const vars = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
  const result = spawnSync("sh", ["-c", script], { encoding: "utf8", env: { PATH: process.env.PATH, ...vars } });
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  for (const tool of ["mariadbd", "mariadb-install-db", "mariadb", "mariadb-dump"] as const) requireTool(tool);
  port = await freePort();
  const datadir = path.join(work, "data");
  fs.mkdirSync(secrets);
  fs.mkdirSync(tmp);
  fs.writeFileSync(path.join(secrets, "password"), ADMIN_PASSWORD, { mode: 0o400 });
  must("mariadb-install-db", ["--no-defaults", `--datadir=${datadir}`, "--auth-root-authentication-method=socket", "--skip-test-db", "--user=root"]);
  mysqld = spawn("mariadbd", [
    "--no-defaults", `--datadir=${datadir}`, `--socket=${socket}`, `--port=${port}`, "--bind-address=127.0.0.1", "--user=root",
    "--innodb-buffer-pool-size=16M", "--skip-log-bin", `--pid-file=${path.join(work, "mysql.pid")}`, `--log-error=${path.join(work, "mysql.err")}`,
  ]);
  for (let i = 0; i < 100; i++) {
    if (spawnSync("mariadb", ["--no-defaults", `--socket=${socket}`, "--user=root", "-e", "SELECT 1"]).status === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  // As Cloud SQL leaves a new instance after the first apply (constructs/cloud-sql-mysql.ts).
  asRoot([
    "CREATE DATABASE packagecloud CHARACTER SET utf8mb4",
    `CREATE USER '${ADMIN_USER}'@'%' IDENTIFIED BY '${ADMIN_PASSWORD}'`,
    `GRANT ALL PRIVILEGES ON *.* TO '${ADMIN_USER}'@'%' WITH GRANT OPTION`,
    `CREATE USER '${appDatabaseUser(env)}'@'%' IDENTIFIED BY '${USER_PASSWORD}'`,
    `CREATE USER '${backupDatabaseUser(env)}'@'%' IDENTIFIED BY '${USER_PASSWORD}'`,
    // Something of each kind the dump reads: a table, a view, a trigger.
    "CREATE TABLE packagecloud.repositories (id INT PRIMARY KEY, name VARCHAR(64))",
    "INSERT INTO packagecloud.repositories VALUES (1, 'gitlab-ce')",
    "CREATE VIEW packagecloud.repository_names AS SELECT name FROM packagecloud.repositories",
    "CREATE TRIGGER packagecloud.repositories_name BEFORE INSERT ON packagecloud.repositories FOR EACH ROW SET NEW.name = LOWER(NEW.name)",
  ].join("; "));
}, 60_000);

afterAll(async () => {
  if (mysqld && mysqld.exitCode === null) {
    const exited = new Promise((resolve) => mysqld.once("exit", resolve));
    mysqld.kill("SIGTERM");
    await exited;
  }
  fs.rmSync(work, { recursive: true, force: true });
  console.log(`database grants test: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

describe("the grant Job against a real server", () => {
  let firstGrants: string;

  it("the IAM users start with nothing: the application cannot read its own database", () => {
    expect(asUser(appDatabaseUser(env), "SELECT COUNT(*) FROM repositories").stderr).toMatch(/denied/i);
  });

  it("applies its statements with the admin password from the mounted secret", () => {
    const run = runJobScript();
    expect(`${run.code} ${run.stderr}`).toBe("0 ");
    expect(run.stdout).toContain("grants applied");
    firstGrants = [appDatabaseUser(env), backupDatabaseUser(env)].map((u) => asRoot(`SHOW GRANTS FOR '${u}'@'%'`)).join("\n");
    expect(firstGrants).toContain(`GRANT ALL PRIVILEGES ON \`packagecloud\`.* TO \`${appDatabaseUser(env)}\`@\`%\``);
    expect(firstGrants).toContain(`GRANT SELECT, SHOW VIEW, TRIGGER ON \`packagecloud\`.* TO \`${backupDatabaseUser(env)}\`@\`%\``);
    expect(firstGrants).not.toMatch(/WITH GRANT OPTION/);
  });

  it("is idempotent: a second run succeeds and changes nothing", () => {
    const run = runJobScript();
    expect(`${run.code} ${run.stderr}`).toBe("0 ");
    expect([appDatabaseUser(env), backupDatabaseUser(env)].map((u) => asRoot(`SHOW GRANTS FOR '${u}'@'%'`)).join("\n")).toBe(firstGrants);
  });

  it("fails (non-zero) without the secret's file, rather than logging in without a password", () => {
    fs.renameSync(path.join(secrets, "password"), path.join(secrets, "moved"));
    try {
      const run = runJobScript();
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/No such file/);
      expect(run.stderr).not.toMatch(/ERROR/);
    } finally {
      fs.renameSync(path.join(secrets, "moved"), path.join(secrets, "password"));
    }
  });

  it("fails (non-zero) with a wrong admin password, rather than reporting success", () => {
    fs.chmodSync(path.join(secrets, "password"), 0o600);
    fs.writeFileSync(path.join(secrets, "password"), "wrong");
    try {
      const run = runJobScript();
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/Access denied/);
    } finally {
      fs.writeFileSync(path.join(secrets, "password"), ADMIN_PASSWORD);
    }
  });

  it("the application can do what its migrations and requests do, in its own schema only", () => {
    const app = appDatabaseUser(env);
    for (const statement of [
      "CREATE TABLE schema_migrations (version VARCHAR(255) PRIMARY KEY)",
      "ALTER TABLE schema_migrations ADD COLUMN applied_at DATETIME",
      "CREATE INDEX by_applied ON schema_migrations (applied_at)",
      "INSERT INTO schema_migrations (version) VALUES ('20260101000000')",
      "UPDATE schema_migrations SET applied_at = NOW()",
      "SELECT COUNT(*) FROM repositories",
      "DELETE FROM schema_migrations",
      "DROP TABLE schema_migrations",
    ]) {
      const result = asUser(app, statement);
      expect(`${statement}: ${result.status} ${result.stderr}`).toBe(`${statement}: 0 `);
    }
    for (const statement of ["CREATE DATABASE other", "SELECT user FROM mysql.user", `GRANT SELECT ON packagecloud.* TO '${backupDatabaseUser(env)}'@'%'`]) {
      expect(`${statement}: ${asUser(app, statement).stderr}`).toMatch(/denied/i);
    }
  });

  it("the backup user can run the backup's dump, and cannot write, drop or lock", () => {
    const backup = backupDatabaseUser(env);
    // The dump command of backup/packagecloud-backup.sh (dump_pipeline), with the image's client (mariadb-dump).
    const script = fs.readFileSync(path.join(__dirname, "../../backup/packagecloud-backup.sh"), "utf8");
    expect(script).toContain("--single-transaction --quick --triggers --hex-blob --no-tablespaces");
    const dump = spawnSync("mariadb-dump", ["--no-defaults", "--host=127.0.0.1", `--port=${port}`, `--user=${backup}`, `--password=${USER_PASSWORD}`,
      "--single-transaction", "--quick", "--triggers", "--hex-blob", "--no-tablespaces", "packagecloud"], { encoding: "utf8" });
    expect(`${dump.status} ${dump.stderr}`).toBe("0 ");
    expect(dump.stdout).toContain("INSERT INTO `repositories` VALUES");
    expect(dump.stdout).toMatch(/VIEW `repository_names`/);
    expect(dump.stdout).toMatch(/TRIGGER[^\n]*repositories_name/);
    for (const statement of [
      "INSERT INTO repositories VALUES (2, 'x')",
      "DELETE FROM repositories",
      "DROP TABLE repositories",
      "CREATE TABLE t (id INT)",
      "LOCK TABLES repositories READ",
      "SELECT user FROM mysql.user",
    ]) {
      expect(`${statement}: ${asUser(backup, statement).stderr}`).toMatch(/denied/i);
    }
  });
});

describe("the Job's manifest, as kubectl reads it", () => {
  it("reads back as the Job object under YAML 1.1 and 1.2 alike, with the statements of grantStatements", () => {
    const text = grantFiles([env])[GRANT_JOB_FILE(env.name)];
    const object = JSON.parse(JSON.stringify(grantJob(env).toJSON()));
    expect(parseAllDocuments(text, { version: "1.1" }).map((d) => d.toJSON())).toEqual([object]);
    expect(parseAllDocuments(text, { version: "1.2" }).map((d) => d.toJSON())).toEqual([object]);
    expect(jobContainer().env.find((e) => e.name === "GRANT_STATEMENTS")!.value).toBe(grantStatements(env).map((s) => `${s};`).join("\n"));
    // The admin logs in with its password: the proxy must not replace it with an IAM token.
    const proxy = object.spec.template.spec.initContainers[0];
    expect(proxy.args).not.toContain("--auto-iam-authn");
  });
});
