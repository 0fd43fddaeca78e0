/**
 * The offsite backup job and its restore verification, for real: Debian's MariaDB server (started here in a temp
 * directory on a private socket, never as a system service), the AWS emulator with an Object-Locked bucket, age,
 * the AWS CLI and the real script (backup/packagecloud-backup.sh).
 *
 * The GKE job runs with the image's userland: emulator/backup-rootfs.sh builds backup/Dockerfile's root filesystem
 * (bookworm, its pinned packages: awscli 2.9.19, MariaDB 10.11 client, age) and the job runs inside it (a private
 * mount namespace, chroot, read-only root, /work writable, uid 65532 as the CronJob), reaching the emulator and
 * MariaDB on loopback (the network namespace is shared). The VM variant runs with this machine's MariaDB tools
 * (the xbstream format packagecloud's database_backups writes).
 *
 * - A database with known rows is backed up into the locked bucket (deleting that version is refused), restored
 *   by the verification job into a fresh database and compared row for row.
 * - Failure paths: database unreachable, upload refused, an upload that stalls (a TCP server that accepts and
 *   never answers) beyond its timeout; each exits non-zero with its exit code in the metrics and the last success
 *   untouched. A restore whose canary does not match fails and still drops its scratch database.
 * - The metrics files the runs wrote are replayed through promtool's test harness against the generated rules.
 * - Issue 29: the GKE verification reaches its scratch server as the manifest says (root over the socket in the
 *   shared volume, the password the manifest's own init container generates in the image); a verification before
 *   any backup exits 8, distinct from a broken fetch (5); killed during a slow step (a checksum that ignores
 *   SIGTERM), the run pushes exit 143 before that step completes, which the old foreground `$(sha256sum …)` did not.
 * - The VM's systemd units pass `systemd-analyze verify`; the script passes shellcheck.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  CreateBucketCommand,
  PutObjectLockConfigurationCommand,
} from "@aws-sdk/client-s3";
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { stringify } from "yaml";
import { webIdentityTrust } from "../../constructs/gke-aws-federation";
import { clusterIssuer } from "../../backup/jobs";
import { loadEnvironments } from "../../config";
import { BACKUP_SCRIPT_SOURCE, BACKUP_SCRIPT_PATH, kubernetesObjects, systemdService, systemdTimer, VM_JOBS, VM_RESTORE_USER, VM_UNIT, vmSysusers } from "../../backup/jobs";
import { monitoringDefinitions } from "../../monitoring/from-config";
import { ALERTS, type AlertingRule, prometheusRules, prometheusRulesYaml } from "../../monitoring/prometheus-rules";
import { startEmulator, type Emulator } from "../../emulator/lib/moto";
import { freePort } from "../../emulator/lib/ports";
import { promtoolPath, requireTool } from "../../operator/lib/tools";

jest.setTimeout(120_000);

const SCRIPT = BACKUP_SCRIPT_SOURCE;
const BUCKET = "packagecloud-test-offsite";
const PREFIX = "backups/";
const work = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-backup-job-"));
const timings: Record<string, number> = {};
const started = Date.now();

let emulator: Emulator;
let s3: S3Client;
let mysqld: ReturnType<typeof spawn>;
let socket: string;
let dbPort: number;
let recipient: string;
let identityFile: string;
let awsBinDir: string;
let rootfs: string;
let scratchPassword: string;
/** The image's /work (an emptyDir in the CronJob): the job's WORK_DIR, HOME, metrics and the age identity. */
const imageWork = path.join(work, "image-work");
/**
 * The restore CronJob's two shared memory volumes, as host directories bound where the manifest mounts them: the
 * scratch server's socket directory (here MariaDB's, standing in for the scratch MySQL sidecar) and the per-run
 * password's directory.
 */
const scratchRun = path.join(work, "scratch-run");
const scratchAuth = path.join(work, "scratch-auth");
const IMAGE_USER = "65532:65532";

function must(command: string, args: string[], input?: string): string {
  const result = spawnSync(command, args, { encoding: "utf8", input });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  return result.stdout.trim();
}

const sql = (statement: string, database = "") =>
  must("mariadb", ["--no-defaults", `--socket=${socket}`, "--user=root", "--batch", "--skip-column-names", ...(database ? [database] : []), "-e", statement]);

interface Run {
  readonly code: number;
  readonly stderr: string;
  readonly seconds: number;
}

/**
 * argv that runs `program` inside the image's root filesystem, as the CronJob does: read-only root, /work the
 * only writable place, the script where the Dockerfile COPYs it, uid 65532. A private mount namespace keeps the
 * mounts away from this machine; the network namespace is shared, so loopback is this machine's.
 */
function inImage(program: string[], options: { script?: string; pathPrefix?: string } = {}): string[] {
  const q = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;
  const setup = [
    `export PATH=${options.pathPrefix ?? ""}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    `mount --bind ${q(rootfs)} ${q(rootfs)}`,
    `mount --bind ${q(imageWork)} ${q(rootfs)}/work`,
    // /var/run is /run in the image: the manifest's /var/run/mysqld and /var/run/scratch-mysql.
    `mount --bind ${q(scratchRun)} ${q(rootfs)}/run/mysqld`,
    `mount --bind ${q(scratchAuth)} ${q(rootfs)}/run/scratch-mysql`,
    `mount --bind ${q(options.script ?? SCRIPT)} ${q(rootfs)}/usr/local/sbin/packagecloud-backup`,
    `mount -t proc proc ${q(rootfs)}/proc`,
    `mount -o remount,bind,ro ${q(rootfs)}`,
    `exec chroot --userspec=${IMAGE_USER} ${q(rootfs)} ${program.map(q).join(" ")}`,
  ].join(" && ");
  return ["unshare", "--mount", "--propagation", "private", "sh", "-c", setup];
}

/** Runs the real script asynchronously (the stall test needs the event loop for its TCP server). */
function runScript(
  command: "backup" | "verify-restore",
  env: Record<string, string>,
  options: { image?: boolean; script?: string; pathPrefix?: string; onStderr?: (soFar: string, pid: number) => void } = {},
): Promise<Run> {
  const t0 = Date.now();
  const argv = options.image ? inImage(["/usr/local/sbin/packagecloud-backup", command], options) : ["bash", options.script ?? SCRIPT, command];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      env: {
        PATH: options.image ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" : `${awsBinDir}:${process.env.PATH}`,
        HOME: options.image ? "/work" : work,
        TMPDIR: options.image ? "/work" : work,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_DEFAULT_REGION: "us-west-1",
        // The host's CLI (1.45) reads AWS_ENDPOINT_URL; the image's 2.9.19 predates it: the script's S3_ENDPOINT_URL.
        AWS_ENDPOINT_URL: emulator.endpoint,
        S3_ENDPOINT_URL: emulator.endpoint,
        AWS_EC2_METADATA_DISABLED: "true",
        BACKUP_BUCKET: BUCKET,
        BACKUP_PREFIX: PREFIX,
        BACKUP_ENVIRONMENT: "test",
        RETRY_DELAY_SECONDS: "1",
        ...env,
      },
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => { stderr += chunk; options.onStderr?.(stderr, child.pid!); });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stderr, seconds: (Date.now() - t0) / 1000 }));
  });
}

/** The textfile, as { 'metric{backup="x"}': value }. */
function readMetrics(file: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const [key, value] = line.split(" ");
    out[key] = Number(value);
  }
  return out;
}

const M = (name: string, backup = "offsite-db") => `packagecloud_backup_${name}{backup="${backup}"}`;

const dbEnv = () => ({ BACKUP_SOURCE: "mysqldump", DB_SOCKET: socket, DB_USER: "root", DB_NAME: "packagecloud", AGE_RECIPIENT: recipient });
/** The CronJob's view: the database through the proxy on loopback, paths under /work. */
const imageDbEnv = () => ({ BACKUP_SOURCE: "mysqldump", DB_HOST: "127.0.0.1", DB_PORT: String(dbPort), DB_USER: "job", DB_NAME: "packagecloud", AGE_RECIPIENT: recipient, WORK_DIR: "/work" });
/**
 * The restore CronJob's view, read from the manifest: how its check reaches the scratch server (RESTORE_DB_*: root,
 * over the socket, with the password file), and the rest of the test's verification settings.
 */
const imageVerifyEnv = () => {
  const restore = kubernetesObjects(loadEnvironments().ops).find((c) => c.metadata?.name === "packagecloud-restore-verify")!;
  const verify = restore.spec!.jobTemplate.spec!.template.spec!.containers.find((c) => c.name === "verify")!;
  const login = Object.fromEntries((verify.env ?? []).filter((e) => e.name.startsWith("RESTORE_DB_")).map((e) => [e.name, e.value!]));
  return { ...verifyEnv(), RESTORE_DB_SOCKET: "", ...login, AGE_IDENTITY_FILE: "/work/age-identity.txt", WORK_DIR: "/work" };
};
/** A metrics file the image wrote under /work, copied beside the host runs' files (the promtool test reads them). */
const fromImage = (name: string) => { fs.copyFileSync(path.join(imageWork, name), path.join(work, name)); return path.join(work, name); };
const verifyEnv = () => ({
  AGE_IDENTITY_FILE: identityFile,
  RESTORE_DB_SOCKET: socket,
  RESTORE_DB_USER: "root",
  VERIFY_TABLES: "schema_migrations users repositories packages",
  VERIFY_NONEMPTY_TABLES: "schema_migrations users repositories",
  VERIFY_CANARY_QUERY: "SELECT name FROM repositories WHERE name = 'gitlab-ce'",
  VERIFY_CANARY_EXPECTED: "gitlab-ce",
});

const KNOWN_ROWS = `
  CREATE TABLE schema_migrations (version VARCHAR(32) PRIMARY KEY);
  INSERT INTO schema_migrations VALUES ('20240101000000'), ('20250101000000');
  CREATE TABLE users (id INT PRIMARY KEY, login VARCHAR(64) NOT NULL, created_at DATETIME NOT NULL);
  INSERT INTO users VALUES (1, 'gitlab', '2016-01-01 00:00:00'), (2, 'ops', '2020-02-02 02:02:02');
  CREATE TABLE repositories (id INT PRIMARY KEY, user_id INT NOT NULL, name VARCHAR(64) NOT NULL, private BOOL NOT NULL);
  INSERT INTO repositories VALUES (1, 1, 'gitlab-ce', 0), (2, 1, 'gitlab-ee', 0), (3, 1, 'pre-release', 1);
  CREATE TABLE packages (id BIGINT PRIMARY KEY, repository_id INT NOT NULL, filename VARCHAR(255) NOT NULL, sha256 CHAR(64), body BLOB);
  INSERT INTO packages VALUES (1, 1, 'gitlab-ce_17.0.0-ce.0_amd64.deb', REPEAT('a', 64), UNHEX('00FF10')),
    (2, 2, 'gitlab-ee-17.0.0-ee.0.el9.x86_64.rpm', REPEAT('b', 64), NULL), (3, 3, 'unicode ünïcødé.deb', NULL, '');
`;

beforeAll(async () => {
  for (const tool of ["mariadbd", "mariadb-install-db", "mariadb", "mariadb-dump", "mariadb-backup", "mbstream", "age", "age-keygen", "aws", "shellcheck", "systemd-analyze"] as const) requireTool(tool);
  awsBinDir = path.dirname(must("sh", ["-c", "command -v aws"]));
  // pyenv's shim costs a second a call: use the interpreter's own aws when the shim can name it.
  const real = spawnSync("pyenv", ["which", "aws"], { encoding: "utf8" });
  if (real.status === 0 && real.stdout.trim() !== "") awsBinDir = path.dirname(real.stdout.trim());

  const t0 = Date.now();
  const datadir = path.join(work, "mysql");
  // In the directory bound to the image's /var/run/mysqld: the GKE check connects through it, as to its sidecar.
  fs.mkdirSync(scratchRun, { recursive: true, mode: 0o755 });
  socket = path.join(scratchRun, "mysqld.sock");
  dbPort = await freePort();
  must("mariadb-install-db", ["--no-defaults", `--datadir=${datadir}`, "--auth-root-authentication-method=socket", "--skip-test-db", "--user=root"]);
  mysqld = spawn(
    "mariadbd",
    ["--no-defaults", `--datadir=${datadir}`, `--socket=${socket}`, `--port=${dbPort}`, "--bind-address=127.0.0.1", "--user=root",
      "--innodb-buffer-pool-size=16M", "--skip-log-bin", `--pid-file=${path.join(work, "mysql.pid")}`, `--log-error=${path.join(work, "mysql.err")}`],
    { stdio: "ignore" },
  );
  const [emu] = await Promise.all([startEmulator(), (async () => {
    for (let i = 0; i < 150; i++) {
      if (spawnSync("mariadb", ["--no-defaults", `--socket=${socket}`, "--user=root", "-e", "SELECT 1"]).status === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`mariadbd did not start: ${fs.readFileSync(path.join(work, "mysql.err"), "utf8")}`);
  })()]);
  emulator = emu;
  timings["start MariaDB and the emulator"] = (Date.now() - t0) / 1000;

  sql("CREATE DATABASE packagecloud");
  sql(KNOWN_ROWS, "packagecloud");

  s3 = new S3Client({ endpoint: emulator.endpoint, region: "us-west-1", forcePathStyle: true, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, ObjectLockEnabledForBucket: true, CreateBucketConfiguration: { LocationConstraint: "us-west-1" } }));
  await s3.send(new PutObjectLockConfigurationCommand({
    Bucket: BUCKET,
    ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "COMPLIANCE", Days: 1 } } },
  }));

  identityFile = path.join(work, "age-identity.txt");
  must("age-keygen", ["-o", identityFile]);
  recipient = must("age-keygen", ["-y", identityFile]);

  // The image's root filesystem (built once, cached outside the repository: the first build takes minutes).
  requireTool("mmdebstrap");
  if (process.getuid?.() !== 0) {
    throw new Error("running the job inside the image's root filesystem needs root (mmdebstrap's root mode, unshare --mount, chroot): run this test as root, as the privileged test:backup CI job does");
  }
  const t1 = Date.now();
  rootfs = must("bash", [path.join(__dirname, "..", "..", "emulator", "backup-rootfs.sh")]);
  timings["image rootfs (emulator/backup-rootfs.sh)"] = (Date.now() - t1) / 1000;
  // Mount points: the CronJob's /work, and the Dockerfile's COPY of the script (bound to the repository's).
  fs.mkdirSync(path.join(rootfs, "work"), { recursive: true });
  const installed = path.join(rootfs, "usr", "local", "sbin", "packagecloud-backup");
  if (!fs.existsSync(installed)) fs.writeFileSync(installed, "", { mode: 0o755 });
  fs.mkdirSync(imageWork, { recursive: true });
  fs.chmodSync(work, 0o711);
  fs.chownSync(imageWork, 65532, 65532);
  fs.copyFileSync(identityFile, path.join(imageWork, "age-identity.txt"));
  fs.chownSync(path.join(imageWork, "age-identity.txt"), 65532, 65532);
  // The CronJob reaches Cloud SQL through the Auth Proxy on loopback, without a password (the proxy does the IAM
  // login): here a passwordless TCP user on 127.0.0.1 stands in for it.
  sql("CREATE USER 'job'@'127.0.0.1'; GRANT ALL ON *.* TO 'job'@'127.0.0.1'");

  // The restore CronJob's scratch server: root over the socket, with the password its init container makes. The
  // init container's own command runs in the image, as the CronJob runs it (uid 65532, the shared volume).
  for (const dir of ["run/mysqld", "run/scratch-mysql"]) fs.mkdirSync(path.join(rootfs, dir), { recursive: true });
  fs.mkdirSync(scratchAuth, { recursive: true });
  fs.chownSync(scratchAuth, 65532, 65532);
  const restore = kubernetesObjects(loadEnvironments().ops).find((c) => c.metadata?.name === "packagecloud-restore-verify")!;
  const generator = restore.spec!.jobTemplate.spec!.template.spec!.initContainers!.find((c) => c.name === "scratch-password")!;
  const argv = inImage(generator.command!);
  must(argv[0], argv.slice(1));
  scratchPassword = fs.readFileSync(path.join(scratchAuth, "password"), "utf8");
  // MariaDB's root keeps its socket login for this test's own statements and gains the password, as the official
  // MySQL image's root@localhost has it (MYSQL_ROOT_PASSWORD_FILE).
  sql(`ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('${scratchPassword}')`);
});

afterAll(async () => {
  mysqld?.kill("SIGTERM");
  await emulator?.stop();
  fs.rmSync(work, { recursive: true, force: true });
  timings["whole test file"] = (Date.now() - started) / 1000;
  console.log(`backup job test timings (s): ${JSON.stringify(timings)}`);
});

describe("backup, then restore verification", () => {
  const metrics = () => path.join(work, "backup.prom");
  const restoreMetrics = () => path.join(work, "restore.prom");
  const pushed: Array<{ method: string; url: string; body: string }> = [];
  let key: string;

  it("the image's AWS CLI (2.9.19) refuses the upload option the script used before (the check has teeth)", () => {
    const result = spawnSync(inImage(["aws", "s3", "cp", "--checksum-algorithm", "SHA256", "/etc/hostname", "s3://x/y"])[0], inImage(["aws", "s3", "cp", "--checksum-algorithm", "SHA256", "/etc/hostname", "s3://x/y"]).slice(1), {
      encoding: "utf8", env: { PATH: "/usr/bin:/bin", HOME: "/work", AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_DEFAULT_REGION: "us-west-1" },
    });
    expect(result.stderr).toMatch(/Unknown options: --checksum-algorithm/);
    expect(result.status).toBe(252);
    const version = spawnSync(inImage(["aws", "--version"])[0], inImage(["aws", "--version"]).slice(1), { encoding: "utf8", env: { PATH: "/usr/bin:/bin", HOME: "/work" } });
    expect(version.stdout).toMatch(/^aws-cli\/2\.9\.19 /);
  });

  it("backs up the database into the Object-Locked bucket from inside the image (awscli 2.9.19, MariaDB 10.11 client, uid 65532), writes its metrics and pushes them", async () => {
    const pushgateway = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => { pushed.push({ method: req.method ?? "", url: req.url ?? "", body }); res.end(); });
    });
    await new Promise<void>((r) => pushgateway.listen(0, "127.0.0.1", () => r()));
    const port = (pushgateway.address() as net.AddressInfo).port;
    const run = await runScript("backup", { ...imageDbEnv(), METRICS_FILE: "/work/backup.prom", PUSHGATEWAY_URL: `http://127.0.0.1:${port}` }, { image: true });
    pushgateway.close();
    timings["backup of the test database (in the image)"] = run.seconds;
    expect(run.stderr).toMatch(/backup: done/);
    expect(run.code).toBe(0);
    fromImage("backup.prom");

    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: PREFIX }));
    expect(versions.Versions).toHaveLength(1);
    key = versions.Versions![0].Key!;
    expect(key).toMatch(/^backups\/packagecloud-test-db-\d{8}T\d{6}Z\.sql\.gz\.age$/);
    // The bucket has a default retention: the emulator (as S3) refuses a PutObject without Content-MD5 or a
    // flexible checksum, so this object proves the CLI sent Content-MD5.
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.Metadata?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // No lock headers were sent: the bucket's default retention (COMPLIANCE) applies.
    expect(head.ObjectLockMode).toBe("COMPLIANCE");
    expect(head.ObjectLockRetainUntilDate!.getTime()).toBeGreaterThan(Date.now() + 23 * 3600 * 1000);

    const m = readMetrics(metrics());
    expect(m[M("last_exit_code")]).toBe(0);
    expect(m[M("last_success_timestamp_seconds")]).toBeGreaterThan(Date.now() / 1000 - 120);
    expect(m[M("last_size_bytes")]).toBe(head.ContentLength);
    expect(m[M("count")]).toBe(1);
    // Pushgateway: POST (replaces only the metrics sent), grouped by environment and backup.
    expect(pushed).toEqual([{ method: "POST", url: "/metrics/job/packagecloud-backup/environment/test/backup/offsite-db", body: expect.stringContaining(`${M("last_exit_code")} 0`) }]);
  });

  it("the CronJob's web-identity environment resolves to the role's session (the storage stack's trust policy)", async () => {
    // The image's CLI 2.9.19 calls STS at its public endpoint (no endpoint setting for the credential provider):
    // this check runs with this machine's CLI, which honours AWS_ENDPOINT_URL.
    const issuer = clusterIssuer(loadEnvironments().ops);
    const iam = new IAMClient({ endpoint: emulator.endpoint, region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
    const provider = await iam.send(new CreateOpenIDConnectProviderCommand({ Url: issuer, ClientIDList: ["sts.amazonaws.com"] }));
    const role = await iam.send(new CreateRoleCommand({
      RoleName: "packagecloud-ops-offsite-backup-gke",
      AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [webIdentityTrust(provider.OpenIDConnectProviderArn!, issuer, "packagecloud", "packagecloud-offsite-backup")] }),
    }));
    const tokenFile = path.join(work, "token");
    const claims = { iss: issuer, sub: "system:serviceaccount:packagecloud:packagecloud-offsite-backup", aud: ["sts.amazonaws.com"], exp: Math.floor(Date.now() / 1000) + 3600 };
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    fs.writeFileSync(tokenFile, `${b64({ alg: "RS256", kid: "test" })}.${b64(claims)}.c2lnbmF0dXJl`);
    // The environment resolves to the role's web-identity session, not to a static key.
    const caller = spawnSync("aws", ["sts", "get-caller-identity", "--query", "Arn", "--output", "text"], {
      encoding: "utf8",
      env: { PATH: `${awsBinDir}:${process.env.PATH}`, HOME: work, AWS_DEFAULT_REGION: "us-west-1", AWS_ENDPOINT_URL: emulator.endpoint, AWS_EC2_METADATA_DISABLED: "true",
        AWS_ROLE_ARN: role.Role!.Arn!, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_SESSION_NAME: "backup-test" },
    });
    expect(caller.stdout.trim()).toMatch(/^arn:aws:sts::\d{12}:assumed-role\/packagecloud-ops-offsite-backup-gke\/backup-test$/);

  });

  it("cannot delete the backup's version (Object Lock, COMPLIANCE)", async () => {
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: PREFIX }));
    await expect(s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key, VersionId: versions.Versions![0].VersionId }))).rejects.toThrow(/Access ?Denied/i);
  });

  it("restores the newest backup (in the image) into a fresh database with the same rows, and records the verification", async () => {
    const run = await runScript("verify-restore", { ...imageVerifyEnv(), METRICS_FILE: "/work/restore.prom", RESTORE_KEEP_DATABASE: "restored_copy" }, { image: true });
    timings["restore verification of the test database (in the image)"] = run.seconds;
    fromImage("restore.prom");
    expect(run.stderr).toMatch(/restores and passes every check/);
    expect(run.code).toBe(0);
    for (const table of ["schema_migrations", "users", "repositories", "packages"]) {
      const dump = (db: string) => sql(`SELECT * FROM \`${table}\` ORDER BY 1`, db);
      expect(dump("restored_copy")).toBe(dump("packagecloud"));
      expect(sql(`SHOW CREATE TABLE \`${table}\``, "restored_copy")).toBe(sql(`SHOW CREATE TABLE \`${table}\``, "packagecloud"));
    }
    const m = readMetrics(restoreMetrics());
    expect(m[M("last_restore_exit_code")]).toBe(0);
    expect(m[M("last_restore_verified_timestamp_seconds")]).toBeGreaterThan(Date.now() / 1000 - 120);
    sql("DROP DATABASE restored_copy");
  });

  it("fails when the canary does not match, keeps the last verification time, and drops its scratch database", async () => {
    const before = readMetrics(restoreMetrics());
    fs.copyFileSync(restoreMetrics(), path.join(imageWork, "restore.prom"));
    const run = await runScript("verify-restore", { ...imageVerifyEnv(), METRICS_FILE: "/work/restore.prom", VERIFY_CANARY_EXPECTED: "gitlab-xx" }, { image: true });
    fromImage("restore.prom");
    expect(run.stderr).toMatch(/canary returned 'gitlab-ce', expected 'gitlab-xx'/);
    expect(run.code).toBe(7);
    const m = readMetrics(restoreMetrics());
    expect(m[M("last_restore_exit_code")]).toBe(7);
    expect(m[M("last_restore_verified_timestamp_seconds")]).toBe(before[M("last_restore_verified_timestamp_seconds")]);
    expect(sql("SHOW DATABASES LIKE 'packagecloud\\_restore\\_check\\_%'")).toBe("");
  });

  it("the scratch server's password, made by the CronJob's init container in the image: 64 hex digits, readable by the pod's group only", () => {
    expect(scratchPassword).toMatch(/^[0-9a-f]{64}$/);
    const stat = fs.statSync(path.join(scratchAuth, "password"));
    expect(stat.mode & 0o777).toBe(0o640);
    expect(stat.uid).toBe(65532);
  });

  it("before the first backup: the verification exits 8 (nothing to verify yet), distinct from a listing that fails (5)", async () => {
    const none = await runScript("verify-restore", { ...imageVerifyEnv(), BACKUP_PREFIX: "nothing-here/", METRICS_FILE: "/work/none.prom" }, { image: true });
    expect(none.stderr).toMatch(/no \*\.sql\.gz\.age backup under s3:\/\/packagecloud-test-offsite\/nothing-here\/ yet: nothing to verify/);
    expect(none.code).toBe(8);
    expect(readMetrics(fromImage("none.prom"))[M("last_restore_exit_code")]).toBe(8);
    const broken = await runScript("verify-restore", { ...imageVerifyEnv(), BACKUP_BUCKET: "no-such-bucket", METRICS_FILE: "/work/broken.prom" }, { image: true });
    expect(broken.stderr).toMatch(/fetch: cannot list s3:\/\/no-such-bucket\//);
    expect(broken.code).toBe(5);
  });

  describe("SIGTERM during a slow step: the failure metric reaches the Pushgateway first", () => {
    // A checksum that takes its time and ignores SIGTERM (as a read of hundreds of GB would outlast the pod's
    // grace period): it marks when it starts and when it is done, in the image's /work.
    const slowBin = path.join(imageWork, "slowbin");
    const started = path.join(imageWork, "slow-started");
    const done = path.join(imageWork, "slow-done");
    beforeAll(() => {
      fs.mkdirSync(slowBin, { recursive: true });
      fs.writeFileSync(path.join(slowBin, "sha256sum"), "#!/bin/sh\ntrap '' TERM\ntouch /work/slow-started\nsleep 8\ntouch /work/slow-done\nexec /usr/bin/sha256sum \"$@\"\n", { mode: 0o755 });
    });

    /** Runs the verification with the slow checksum, sends SIGTERM once it started, and records the push. */
    async function killedDuringChecksum(script?: string) {
      for (const marker of [started, done]) fs.rmSync(marker, { force: true });
      const pushes: Array<{ body: string; slowDone: boolean }> = [];
      const pushgateway = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => { pushes.push({ body, slowDone: fs.existsSync(done) }); res.end(); });
      });
      await new Promise<void>((r) => pushgateway.listen(0, "127.0.0.1", () => r()));
      const port = (pushgateway.address() as net.AddressInfo).port;
      let killed = false;
      const run = await runScript("verify-restore", { ...imageVerifyEnv(), PUSHGATEWAY_URL: `http://127.0.0.1:${port}` }, {
        image: true,
        script,
        pathPrefix: "/work/slowbin:",
        onStderr: (soFar, pid) => {
          if (killed || !/checking its sha256/.test(soFar)) return;
          killed = true;
          const poll = setInterval(() => { if (fs.existsSync(started)) { clearInterval(poll); process.kill(pid, "SIGTERM"); } }, 50);
        },
      });
      pushgateway.close();
      // The slow step itself completes afterwards (it ignored SIGTERM): wait for it, so nothing outlives the test.
      for (let i = 0; i < 200 && !fs.existsSync(done); i++) await new Promise((r) => setTimeout(r, 100));
      return { run, pushes, slowDoneAtEnd: fs.existsSync(done) };
    }

    it("pushes exit 143 (and the interrupted timestamp) before the slow step completes, then exits", async () => {
      const { run, pushes, slowDoneAtEnd } = await killedDuringChecksum();
      expect(run.stderr).toMatch(/interrupted \(exit code 143\)/);
      expect(run.code).toBe(143);
      expect(pushes).toHaveLength(1);
      expect(pushes[0].body).toContain(`${M("last_restore_exit_code")} 143`);
      expect(pushes[0].body).toMatch(new RegExp(`${M("last_restore_interrupted_timestamp_seconds").replace(/[{}"]/g, "\\$&")} \\d+`));
      // Measured, not timed: when the push arrived, the slow step had not completed; it did later.
      expect(pushes[0].slowDone).toBe(false);
      expect(slowDoneAtEnd).toBe(true);
    });

    it("fails if: the checksum runs in the foreground (`sha256=$(sha256sum …)`): the push waits for the slow step", async () => {
      const foreground = path.join(work, "foreground-checksum.sh");
      const text = fs.readFileSync(SCRIPT, "utf8");
      const step = 'if ! run_step "$FETCH_TIMEOUT_SECONDS" checksum "$object" >"$WORK/sha256"; then';
      expect(text).toContain(step);
      fs.writeFileSync(foreground, text.replace(step, "sha256=$(sha256sum \"$object\" | cut -d' ' -f1); echo \"$sha256\" >\"$WORK/sha256\"; if false; then"), { mode: 0o755 });
      const { run, pushes } = await killedDuringChecksum(foreground);
      expect(run.code).toBe(143);
      expect(pushes).toHaveLength(1);
      expect(pushes[0].slowDone).toBe(true); // bash ran the trap only once the command substitution returned
    });
  });
});

describe("VM variant: packagecloud's xbstream, copied offsite, then opened by a scratch server of the same MySQL", () => {
  // On the VM the binaries are packagecloud's own (backupJob.vm); here MariaDB's: mariadb-backup streams the same
  // xbstream format packagecloud's database_backups writes, and mbstream unpacks it.
  const xbDir = path.join(work, "vm-xbstream");
  const vmMetrics = () => path.join(work, "vm-backup.prom");
  const vmRestoreMetrics = () => path.join(work, "vm-restore.prom");
  let restoreWork: string;
  let xbstreamBytes: number;
  const physicalEnv = () => ({
    ...verifyEnv(),
    RESTORE_DB_SOCKET: "",
    RESTORE_SOURCE: "xbstream",
    XBSTREAM_BIN: "mbstream",
    XTRABACKUP_BIN: "mariadb-backup",
    MYSQLD_BIN: "mariadbd",
    VERIFY_DATABASE: "packagecloud",
    // An absolute client path, as packagecloud's /opt/packagecloud/embedded/mysqlclient/bin/mysql on the VM.
    MYSQL_BIN: requireTool("mariadb"),
    SCRATCH_RESERVE_PERCENT: "1",
    SCRATCH_MYSQLD_MEMORY: "32M",
    WORK_DIR: restoreWork,
    // As root (the VM's service, and CI), the scratch server drops to an unprivileged user.
    ...(process.getuid?.() === 0 ? { MYSQLD_USER: "nobody" } : {}),
  });
  /** Processes whose command line names the restore's work directory (the scratch server while it runs). */
  const leftovers = () => spawnSync("pgrep", ["-f", "-a", restoreWork], { encoding: "utf8" }).stdout.trim();

  /** What database_backups does: a hot physical backup streamed as xbstream, named as in seed 000. */
  function physicalBackup(unixTime: number): string {
    fs.mkdirSync(xbDir, { recursive: true });
    const file = path.join(xbDir, `packagecloud-streamed-database-backup.${unixTime}.xbstream`);
    const target = fs.mkdtempSync(path.join(work, "mariabackup-"));
    const fd = fs.openSync(file, "w");
    const result = spawnSync("mariadb-backup", ["--backup", "--stream=xbstream", `--target-dir=${target}`, `--socket=${socket}`, "--user=root"], { stdio: ["ignore", fd, "pipe"], encoding: "utf8" });
    fs.closeSync(fd);
    if (result.status !== 0) throw new Error(`mariadb-backup --backup failed: ${result.stderr.slice(-2000)}`);
    fs.utimesSync(file, unixTime, unixTime);
    return file;
  }

  beforeAll(() => {
    // Traversable (not readable) by the scratch server's user, as /var/opt/packagecloud is on the VM.
    restoreWork = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-vm-restore-"));
    fs.chmodSync(restoreWork, 0o711);
  });
  afterAll(() => fs.rmSync(restoreWork, { recursive: true, force: true }));

  it("copies the newest xbstream offsite, recording its unpacked size", async () => {
    const t0 = Date.now();
    // Written two minutes ago: complete under the test's one-minute settle rule (backupJob.vm.xbstreamSettleMinutes).
    const file = physicalBackup(Math.floor(Date.now() / 1000) - 120);
    timings["physical backup of the test database (mariadb-backup)"] = (Date.now() - t0) / 1000;
    xbstreamBytes = fs.statSync(file).size;
    const run = await runScript("backup", { BACKUP_SOURCE: "xbstream", XBSTREAM_DIR: xbDir, AGE_RECIPIENT: recipient, METRICS_FILE: vmMetrics(), XBSTREAM_SETTLE_MINUTES: "1" });
    timings["VM backup (xbstream copied offsite)"] = run.seconds;
    expect(run.stderr).toMatch(/backup: done/);
    expect(run.code).toBe(0);
    const newest = (await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: PREFIX }))).Versions!.filter((v) => v.Key!.endsWith(".xbstream.gz.age"));
    expect(newest).toHaveLength(1);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: newest[0].Key! }));
    expect(head.Metadata).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), "source-bytes": String(xbstreamBytes) });
    expect(head.ObjectLockMode).toBe("COMPLIANCE");
  });

  it("never copies an xbstream database_backups is still writing: a file modified within the settle time is skipped for the newest complete one", async () => {
    const complete = fs.readdirSync(xbDir)[0];
    const writing = path.join(xbDir, `packagecloud-streamed-database-backup.${Math.floor(Date.now() / 1000)}.xbstream`);
    fs.writeFileSync(writing, fs.readFileSync(path.join(xbDir, complete)).subarray(0, 1000)); // half written, mtime now
    const run = await runScript("backup", { BACKUP_SOURCE: "xbstream", XBSTREAM_DIR: xbDir, AGE_RECIPIENT: recipient, METRICS_FILE: vmMetrics(), XBSTREAM_SETTLE_MINUTES: "1" });
    expect(run.stderr).toContain(`source: skipping ${writing}, modified in the last 1 minutes (still being written)`);
    expect(run.stderr).toContain(`source: ${path.join(xbDir, complete)} (${xbstreamBytes} bytes)`);
    expect(run.code).toBe(0);
    // With the configured 30 minutes nothing here is complete yet: no copy, exit 3 (the stale alert then speaks).
    const none = await runScript("backup", { BACKUP_SOURCE: "xbstream", XBSTREAM_DIR: xbDir, AGE_RECIPIENT: recipient, METRICS_FILE: path.join(work, "vm-settle.prom"), XBSTREAM_SETTLE_MINUTES: "30" });
    expect(none.stderr).toMatch(/no complete packagecloud-streamed-database-backup/);
    expect(none.code).toBe(3);
    fs.rmSync(writing);
  });

  it("refuses to unpack when the scratch copy would leave less than scratchReservePercent of the disk free (exit 6)", async () => {
    const run = await runScript("verify-restore", { ...physicalEnv(), METRICS_FILE: path.join(work, "vm-reserve.prom"), SCRATCH_RESERVE_PERCENT: "100" });
    expect(run.stderr).toMatch(/would leave less than 100% of .* disk free/);
    expect(run.stderr).not.toMatch(/restore: unpacking into/);
    expect(run.code).toBe(6);
  });

  it("restores it: unpacked, prepared, opened by a scratch server that passes every check, then stopped and deleted", async () => {
    const run = await runScript("verify-restore", { ...physicalEnv(), METRICS_FILE: vmRestoreMetrics() });
    timings["VM restore verification (fetch, unpack, prepare, open, check)"] = run.seconds;
    expect(run.stderr).toMatch(/restore: preparing/);
    expect(run.stderr).toMatch(/check: repositories has 3 rows/);
    expect(run.stderr).toMatch(/restores and passes every check/);
    expect(run.code).toBe(0);
    const m = readMetrics(vmRestoreMetrics());
    expect(m[M("last_restore_exit_code")]).toBe(0);
    expect(m[M("last_restore_verified_timestamp_seconds")]).toBeGreaterThan(Date.now() / 1000 - 120);
    expect(leftovers()).toBe("");
    expect(fs.readdirSync(restoreWork)).toEqual([]);
  });

  it("fails on a canary mismatch (exit 7), and still stops the scratch server and deletes the restore", async () => {
    const run = await runScript("verify-restore", { ...physicalEnv(), METRICS_FILE: vmRestoreMetrics(), VERIFY_CANARY_EXPECTED: "gitlab-xx" });
    expect(run.stderr).toMatch(/canary returned 'gitlab-ce', expected 'gitlab-xx'/);
    expect(run.code).toBe(7);
    expect(readMetrics(vmRestoreMetrics())[M("last_restore_exit_code")]).toBe(7);
    expect(leftovers()).toBe("");
    expect(fs.readdirSync(restoreWork)).toEqual([]);
  });

  it("refuses to start when the binaries of the MySQL that wrote the backup are missing (exit 2, naming the field)", async () => {
    const run = await runScript("verify-restore", { ...physicalEnv(), METRICS_FILE: vmRestoreMetrics(), XTRABACKUP_BIN: "/opt/packagecloud/embedded/bin/no-such-xtrabackup" });
    expect(run.stderr).toMatch(/XTRABACKUP_BIN \(\/opt\/packagecloud\/embedded\/bin\/no-such-xtrabackup\) is not an executable/);
    expect(run.code).toBe(2);
  });

  it("catches a backup cut short: its offsite copy uploads, but the restore fails (exit 6) and leaves nothing behind", async () => {
    const whole = physicalBackup(Math.floor(Date.now() / 1000) - 90);
    fs.truncateSync(whole, Math.floor(fs.statSync(whole).size / 2));
    fs.utimesSync(whole, Math.floor(Date.now() / 1000) - 90, Math.floor(Date.now() / 1000) - 90);
    const backup = await runScript("backup", { BACKUP_SOURCE: "xbstream", XBSTREAM_DIR: xbDir, AGE_RECIPIENT: recipient, METRICS_FILE: vmMetrics(), XBSTREAM_SETTLE_MINUTES: "1" });
    expect(backup.code).toBe(0);
    const before = readMetrics(vmRestoreMetrics());
    const run = await runScript("verify-restore", { ...physicalEnv(), METRICS_FILE: vmRestoreMetrics() });
    expect(run.stderr).toMatch(/restore: (unpacking the xbstream failed|.*--prepare failed|the scratch server did not open the backup)/);
    expect(run.code).toBe(6);
    const m = readMetrics(vmRestoreMetrics());
    expect(m[M("last_restore_exit_code")]).toBe(6);
    expect(m[M("last_restore_verified_timestamp_seconds")]).toBe(before[M("last_restore_verified_timestamp_seconds")]);
    expect(leftovers()).toBe("");
    expect(fs.readdirSync(restoreWork)).toEqual([]);
  });

  it("refuses to unpack a backup larger than the free space (exit 6), before writing anything", async () => {
    // The newest object claims (through the metadata the backup job records) to unpack to 1 EB.
    const body = Buffer.from("not unpacked: the space check comes first");
    const later = new Date(Date.now() + 3600_000).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    await s3.send(new PutObjectCommand({
      Bucket: BUCKET, Key: `${PREFIX}packagecloud-test-db-${later}.xbstream.gz.age`, Body: body,
      Metadata: { sha256: createHash("sha256").update(body).digest("hex"), "source-bytes": String(10n ** 18n) },
    }));
    const run = await runScript("verify-restore", { ...physicalEnv(), METRICS_FILE: vmRestoreMetrics() });
    expect(run.stderr).toMatch(/restore: .* bytes free; unpacking this backup needs about 1200000001073741824/);
    expect(run.stderr).not.toMatch(/restore: unpacking into/);
    expect(run.code).toBe(6);
    expect(fs.readdirSync(restoreWork)).toEqual([]);
  });
});

describe("failure paths: non-zero exit, failure metric written, last success untouched", () => {
  const PREVIOUS_SUCCESS = 1_700_000_000;
  const seeded = (name: string) => {
    const file = path.join(work, `${name}.prom`);
    fs.writeFileSync(file, [
      `${M("last_success_timestamp_seconds")} ${PREVIOUS_SUCCESS}`, `${M("last_size_bytes")} 123456`, `${M("count")} 7`, `${M("last_exit_code")} 0`, "",
    ].join("\n"));
    return file;
  };
  const expectFailure = (file: string, code: number) => {
    const m = readMetrics(file);
    expect(m[M("last_exit_code")]).toBe(code);
    expect(m[M("last_success_timestamp_seconds")]).toBe(PREVIOUS_SUCCESS);
    expect(m[M("last_size_bytes")]).toBe(123456);
    expect(m[M("count")]).toBe(7);
  };
  /** The VM variant's input: packagecloud's own daily xbstream files (seed 000's naming). */
  const xbstreamDir = () => {
    const dir = path.join(work, "xbstream");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "packagecloud-streamed-database-backup.1700000000.xbstream"), "older");
    const newest = path.join(dir, "packagecloud-streamed-database-backup.1700086400.xbstream");
    fs.writeFileSync(newest, Buffer.alloc(4096, 7));
    fs.utimesSync(path.join(dir, "packagecloud-streamed-database-backup.1700000000.xbstream"), 1_700_000_000, 1_700_000_000);
    fs.utimesSync(newest, 1_700_086_400, 1_700_086_400);
    return dir;
  };

  it("database unreachable: exits 3", async () => {
    const file = seeded("unreachable");
    const closed = await freePort();
    const run = await runScript("backup", { ...dbEnv(), DB_SOCKET: "", DB_HOST: "127.0.0.1", DB_PORT: String(closed), STEP_ATTEMPTS: "2", METRICS_FILE: file });
    expect(run.stderr).toMatch(/dump: attempt 2 of 2 failed/);
    expect(run.code).toBe(3);
    expectFailure(file, 3);
  });

  it("upload refused (no such bucket; VM variant, xbstream source): exits 4, and still exports the daily backups' freshness", async () => {
    const file = seeded("refused");
    const run = await runScript("backup", {
      BACKUP_SOURCE: "xbstream", XBSTREAM_DIR: xbstreamDir(), AGE_RECIPIENT: recipient, BACKUP_BUCKET: "no-such-bucket", STEP_ATTEMPTS: "1", METRICS_FILE: file,
    });
    expect(run.stderr).toMatch(/source: .*packagecloud-streamed-database-backup\.1700086400\.xbstream/);
    expect(run.stderr).toMatch(/NoSuchBucket/);
    expect(run.code).toBe(4);
    expectFailure(file, 4);
    const m = readMetrics(file);
    expect(m[M("last_success_timestamp_seconds", "daily-db")]).toBe(1_700_086_400);
    expect(m[M("last_size_bytes", "daily-db")]).toBe(4096);
    expect(m[M("count", "daily-db")]).toBe(2);
    expect(m[M("last_exit_code", "daily-db")]).toBe(0);
  });

  it("upload stalls (the server accepts and never answers): killed by the step timeout, exits 4", async () => {
    const sockets: net.Socket[] = [];
    const stall = net.createServer((s) => sockets.push(s)); // accepts, reads nothing, answers nothing
    await new Promise<void>((r) => stall.listen(0, "127.0.0.1", () => r()));
    const endpoint = `http://127.0.0.1:${(stall.address() as net.AddressInfo).port}`;
    const file = seeded("stalled");
    const run = await runScript("backup", {
      BACKUP_SOURCE: "xbstream", XBSTREAM_DIR: xbstreamDir(), AGE_RECIPIENT: recipient, AWS_ENDPOINT_URL: endpoint, S3_ENDPOINT_URL: endpoint,
      UPLOAD_TIMEOUT_SECONDS: "3", STEP_ATTEMPTS: "2", METRICS_FILE: file,
    });
    sockets.forEach((s) => s.destroy());
    stall.close();
    timings["stalled upload (2 attempts x 3 s timeout)"] = run.seconds;
    expect(run.stderr).toMatch(/step timed out after 3s/);
    expect(run.stderr).toMatch(/upload: attempt 2 of 2 failed \(exit 124\)/);
    expect(run.code).toBe(4);
    expect(run.seconds).toBeLessThan(30); // without the timeout the CLI waits 120 s per read, and retries
    expectFailure(file, 4);
  });

  it("killed mid-step by SIGTERM (a pod evicted, activeDeadlineSeconds, systemd stopping the unit): exits 143 at once, writes the failure metric, leaves no step running", async () => {
    const sockets: net.Socket[] = [];
    const stall = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => stall.listen(0, "127.0.0.1", () => r()));
    const endpoint = `http://127.0.0.1:${(stall.address() as net.AddressInfo).port}`;
    const file = seeded("sigterm");
    let killedAt = 0;
    const run = await runScript("backup", {
      BACKUP_SOURCE: "xbstream", XBSTREAM_DIR: xbstreamDir(), AGE_RECIPIENT: recipient, AWS_ENDPOINT_URL: endpoint, S3_ENDPOINT_URL: endpoint,
      UPLOAD_TIMEOUT_SECONDS: "600", STEP_ATTEMPTS: "1", METRICS_FILE: file,
    }, {
      onStderr: (soFar, pid) => {
        // Mid-upload: the CLI is connected to the stalled endpoint and waiting.
        if (!killedAt && /uploading to/.test(soFar)) { killedAt = Date.now(); setTimeout(() => process.kill(pid, "SIGTERM"), 1000); }
      },
    });
    sockets.forEach((s) => s.destroy());
    stall.close();
    timings["SIGTERM mid-upload: kill to exit"] = (Date.now() - killedAt) / 1000;
    expect(run.stderr).toMatch(/interrupted \(exit code 143\): the next attempt decides/);
    expect(run.code).toBe(143);
    expect(Date.now() - killedAt).toBeLessThan(15_000); // not after the step's 600 s timeout
    expectFailure(file, 143);
    // The interruption says so in a metric of its own (the rules do not page on 143: the next attempt decides).
    expect(readMetrics(file)[M("last_interrupted_timestamp_seconds")]).toBeGreaterThan(Date.now() / 1000 - 120);
    expect(spawnSync("pgrep", ["-f", "-a", endpoint.replace("http://", "")], { encoding: "utf8" }).stdout.trim()).toBe("");
  });

  it("missing configuration still writes the failure metric: exits 2", async () => {
    const file = seeded("config");
    const run = await runScript("backup", { BACKUP_SOURCE: "mysqldump", METRICS_FILE: file });
    expect(run.stderr).toMatch(/AGE_RECIPIENT is not set/);
    expect(run.code).toBe(2);
    expectFailure(file, 2);
  });
});

describe("the metrics files against the Prometheus rules (promtool test rules)", () => {
  it("a real success raises nothing; a real failure raises PackagecloudBackupFailed; a missing verification raises PackagecloudBackupRestoreUnverified", () => {
    const promtool = promtoolPath();
    const env = loadEnvironments().ops;
    const rules = path.join(work, "rules.yml");
    const defs = monitoringDefinitions(env);
    fs.writeFileSync(rules, prometheusRulesYaml(defs));
    const annotations = (alert: string) =>
      (prometheusRules(defs).groups.flatMap((g) => g.rules).find((r) => "alert" in r && r.alert === alert && r.labels.backup === "offsite-db") as AlertingRule).annotations;
    // The series are the lines the script wrote, as the textfile collector exposes them (plus the scrape's labels).
    const lines = (file: string) => fs.readFileSync(path.join(work, file), "utf8").split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    const asSeries = (line: string, minutes: number) => {
      const [key, value] = line.split(" ");
      return { series: key.replace("}", ', instance="vm:9100", job="node"}'), values: `${value}x${minutes}` };
    };
    const success = lines("backup.prom").map((l) => asSeries(l, 120));
    const failed = lines("stalled.prom").map((l) => asSeries(l, 120));
    const restore = lines("restore.prom").filter((l) => l.includes("verified")).map((l) => asSeries(l, 120));
    // Every series the rules need for offsite-db comes from real runs; daily-db from the VM run's own export.
    const daily = lines("refused.prom").filter((l) => l.includes('backup="daily-db"')).map((l) => asSeries(l, 120));
    // promtool's clock starts at 0: the real timestamps (2023 onwards) are "in the future", so not stale.
    const tests = [
      {
        name: "real successful backup and verification",
        interval: "1m",
        input_series: [...success, ...restore, ...daily],
        alert_rule_test: [ALERTS.backupStale, ALERTS.backupFailed, ALERTS.restoreUnverified].map((alertname) => ({ eval_time: "60m", alertname, exp_alerts: [] })),
      },
      {
        name: "real stalled upload: failed alert, not stale (the last success was kept)",
        interval: "1m",
        input_series: [...failed, ...restore, ...daily],
        alert_rule_test: [
          { eval_time: "60m", alertname: ALERTS.backupStale, exp_alerts: [] },
          {
            eval_time: "60m",
            alertname: ALERTS.backupFailed,
            exp_alerts: [{ exp_labels: { severity: "page", environment: "ops", backup: "offsite-db", instance: "vm:9100", job: "node" }, exp_annotations: annotations(ALERTS.backupFailed) }],
          },
        ],
      },
      {
        // ops's offsite backup is firstBackupPending in config (a fresh deploy): a ticket says the first
        // verification is pending; the page waits for the age of a reported verification.
        name: "no restore verification reported (first backup pending): a ticket, not the unverified page",
        interval: "1m",
        input_series: [...success, ...daily],
        alert_rule_test: [
          { eval_time: "60m", alertname: ALERTS.restoreUnverified, exp_alerts: [] },
          { eval_time: "60m", alertname: ALERTS.restoreFirstPending, exp_alerts: [{ exp_labels: { severity: "ticket", environment: "ops", backup: "offsite-db" }, exp_annotations: annotations(ALERTS.restoreFirstPending) }] },
        ],
      },
      {
        name: "last verification at 0h, none since: unverified alert past restoreVerificationMaxAgeHours (36h)",
        interval: "1m",
        input_series: [{ series: `${M("last_restore_verified_timestamp_seconds")}`, values: `0x${38 * 60}` }],
        alert_rule_test: [
          { eval_time: "35h", alertname: ALERTS.restoreUnverified, exp_alerts: [] },
          { eval_time: "36h30m", alertname: ALERTS.restoreUnverified, exp_alerts: [{ exp_labels: { severity: "page", environment: "ops", backup: "offsite-db" }, exp_annotations: annotations(ALERTS.restoreUnverified) }] },
        ],
      },
    ];
    const testFile = path.join(work, "backup-job.test.yml");
    fs.writeFileSync(testFile, stringify({ rule_files: [rules], evaluation_interval: "1m", tests }, { lineWidth: 0 }));
    const result = spawnSync(promtool, ["test", "rules", testFile], { encoding: "utf8" });
    expect(`${result.stdout}${result.stderr}`).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  });
});

describe("the script and the VM's units", () => {

  it("the script passes shellcheck", () => {
    const result = spawnSync("shellcheck", ["--severity=style", SCRIPT], { encoding: "utf8" });
    expect(result.stdout).toBe("");
    expect(result.status).toBe(0);
  });

  it.each(["pre", "ops"].flatMap((name) => (["backup", "verify-restore"] as const).map((job) => [name, job] as const)))(
    "the systemd service and timer of %s's %s job pass systemd-analyze verify",
    (name, job) => {
      const env = loadEnvironments()[name as "pre" | "ops"];
      const { unit, envFile } = VM_JOBS[job];
      const dir = path.join(work, `units-${name}-${job}`);
      fs.mkdirSync(dir, { recursive: true });
      // verify checks that ExecStart's program and the EnvironmentFile exist: point them into the temp directory.
      const program = path.join(dir, "packagecloud-backup");
      fs.copyFileSync(SCRIPT, program);
      fs.chmodSync(program, 0o755);
      fs.writeFileSync(path.join(dir, "env"), "");
      const service = systemdService(env, job).replace(BACKUP_SCRIPT_PATH, program).replace(envFile, path.join(dir, "env"));
      fs.writeFileSync(path.join(dir, `${unit}.service`), service);
      fs.writeFileSync(path.join(dir, `${unit}.timer`), systemdTimer(env, job));
      const result = spawnSync("systemd-analyze", ["verify", path.join(dir, `${unit}.service`), path.join(dir, `${unit}.timer`)], { encoding: "utf8" });
      expect(`${result.stdout}${result.stderr}`).toBe("");
      expect(result.status).toBe(0);
    },
  );

  it("the restore verification's user is created by systemd-sysusers, unprivileged and without a login", () => {
    requireTool("systemd-sysusers");
    const root = path.join(work, "sysusers-root");
    fs.mkdirSync(path.join(root, "etc"), { recursive: true });
    const conf = path.join(work, "packagecloud-restore.conf");
    fs.writeFileSync(conf, vmSysusers());
    const result = spawnSync("systemd-sysusers", [`--root=${root}`, conf], { encoding: "utf8" });
    expect(result.status).toBe(0);
    const entry = fs.readFileSync(path.join(root, "etc", "passwd"), "utf8").split("\n").find((l) => l.startsWith(`${VM_RESTORE_USER}:`));
    const [, , uid, , , home, shell] = entry!.split(":");
    expect(Number(uid)).toBeGreaterThan(0);
    expect(Number(uid)).toBeLessThan(1000); // a system user
    expect([home, shell]).toEqual(["/nonexistent", "/usr/sbin/nologin"]);
  });

  it("systemd-analyze verify refuses a bad calendar (the check has teeth)", () => {
    const dir = path.join(work, "units-bad");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${VM_UNIT}.timer`), systemdTimer(loadEnvironments().ops).replace(/OnCalendar=.*/, "OnCalendar=*-*-* 25:00:00 UTC"));
    const result = spawnSync("systemd-analyze", ["verify", path.join(dir, `${VM_UNIT}.timer`)], { encoding: "utf8" });
    expect(result.stderr).toMatch(/Failed to parse calendar specification/);
    expect(result.status).not.toBe(0);
  });
});

/**
 * Issue 27 §3: the database comes back from the offsite backup into the rebuilt Cloud SQL instance, with the
 * commands docs/disaster-recovery.md gives ("Into the rebuilt instance", read from the doc), run in the image's
 * userland as an operator runs them in the backup image. A second MariaDB server stands in for the rebuilt
 * instance: fresh, its `packagecloud` database created empty (as the gke stack's google_sql_database creates it),
 * the admin logging in with a password from a file, reached on loopback TCP as through the Cloud SQL Auth Proxy's
 * forwarded port (the proxy and `kubectl port-forward` cannot run here). The dump it restores is the backup job's
 * own, taken in the image from the test database into a bucket of its own.
 */
describe("disaster recovery: the offsite backup restored into the rebuilt instance, as docs/disaster-recovery.md says", () => {
  const DR_BUCKET = "packagecloud-test-dr-offsite";
  const ADMIN_PASSWORD = "dr-drill-admin-password";
  let rebuilt: ReturnType<typeof spawn>;
  let rebuiltSocket: string;
  let rebuiltPort: number;
  const rebuiltSql = (statement: string, database = "") =>
    must("mariadb", ["--no-defaults", `--socket=${rebuiltSocket}`, "--user=root", "--batch", "--skip-column-names", ...(database ? [database] : []), "-e", statement]);

  /** The doc's database-restore block, for this drill's bucket and the port the proxy's forward would listen on. */
  function documentedRestore(): string {
    const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "disaster-recovery.md"), "utf8");
    const block = /<!-- database-restore -->\s*```sh\n([\s\S]*?)```\s*<!-- \/database-restore -->/.exec(doc);
    if (!block) throw new Error("docs/disaster-recovery.md has no database-restore block");
    expect(block[1]).toContain("RESTORE_DB_PORT=3306");
    return block[1].replaceAll("<offsite bucket>", DR_BUCKET).replaceAll("<env>", "test").replace("RESTORE_DB_PORT=3306", `RESTORE_DB_PORT=${rebuiltPort}`);
  }

  /** The block in the image (uid 65532, read-only root, /work), with an operator's AWS credentials and the VERIFY_* of the restore-verify CronJob. */
  function runDocumented(): Promise<Run> {
    const t0 = Date.now();
    const argv = inImage(["bash", "-euo", "pipefail", "-c", documentedRestore()]);
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0], argv.slice(1), {
        env: {
          PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          HOME: "/work",
          TMPDIR: "/work",
          AWS_ACCESS_KEY_ID: "testing",
          AWS_SECRET_ACCESS_KEY: "testing",
          AWS_DEFAULT_REGION: "us-west-1",
          S3_ENDPOINT_URL: emulator.endpoint,
          AWS_EC2_METADATA_DISABLED: "true",
          RETRY_DELAY_SECONDS: "1",
          VERIFY_TABLES: verifyEnv().VERIFY_TABLES,
          VERIFY_NONEMPTY_TABLES: verifyEnv().VERIFY_NONEMPTY_TABLES,
          VERIFY_CANARY_QUERY: verifyEnv().VERIFY_CANARY_QUERY,
          VERIFY_CANARY_EXPECTED: verifyEnv().VERIFY_CANARY_EXPECTED,
        },
      });
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? 1, stderr, seconds: (Date.now() - t0) / 1000 }));
    });
  }

  beforeAll(async () => {
    const t0 = Date.now();
    const datadir = path.join(work, "rebuilt-mysql");
    rebuiltSocket = path.join(work, "rebuilt.sock");
    rebuiltPort = await freePort();
    must("mariadb-install-db", ["--no-defaults", `--datadir=${datadir}`, "--auth-root-authentication-method=socket", "--skip-test-db", "--user=root"]);
    rebuilt = spawn(
      "mariadbd",
      ["--no-defaults", `--datadir=${datadir}`, `--socket=${rebuiltSocket}`, `--port=${rebuiltPort}`, "--bind-address=127.0.0.1", "--user=root",
        "--innodb-buffer-pool-size=16M", "--skip-log-bin", `--pid-file=${path.join(work, "rebuilt.pid")}`, `--log-error=${path.join(work, "rebuilt.err")}`],
      { stdio: "ignore" },
    );
    for (let i = 0; spawnSync("mariadb", ["--no-defaults", `--socket=${rebuiltSocket}`, "--user=root", "-e", "SELECT 1"]).status !== 0; i++) {
      if (i >= 150) throw new Error(`the rebuilt instance's mariadbd did not start: ${fs.readFileSync(path.join(work, "rebuilt.err"), "utf8")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // What the rebuild leaves: the database, empty (constructs/cloud-sql-mysql.ts: utf8mb4), and the admin user.
    rebuiltSql("CREATE DATABASE packagecloud CHARACTER SET utf8mb4");
    rebuiltSql(`CREATE USER 'packagecloud-admin'@'127.0.0.1' IDENTIFIED BY '${ADMIN_PASSWORD}'; GRANT ALL ON *.* TO 'packagecloud-admin'@'127.0.0.1'`);
    fs.writeFileSync(path.join(imageWork, "sql-admin-password"), ADMIN_PASSWORD, { mode: 0o400 });
    fs.chownSync(path.join(imageWork, "sql-admin-password"), 65532, 65532);
    // The offsite backup: the job's own, from the test database (the image, as the CronJob runs it).
    await s3.send(new CreateBucketCommand({ Bucket: DR_BUCKET, CreateBucketConfiguration: { LocationConstraint: "us-west-1" } }));
    const backup = await runScript("backup", { ...imageDbEnv(), BACKUP_BUCKET: DR_BUCKET, METRICS_FILE: "/work/dr-backup.prom" }, { image: true });
    expect(`${backup.code} ${backup.stderr}`).toMatch(/^0 [\s\S]*backup: done/);
    timings["DR drill: rebuilt instance started and the offsite backup taken"] = (Date.now() - t0) / 1000;
  });
  afterAll(() => {
    rebuilt?.kill("SIGTERM");
  });

  it("loads the newest offsite dump into the rebuilt instance's empty packagecloud database, passes every check, and the canary row reads back", async () => {
    expect(rebuiltSql("SHOW TABLES", "packagecloud")).toBe("");
    const run = await runDocumented();
    timings["DR drill: documented restore into the rebuilt instance (in the image)"] = run.seconds;
    expect(`${run.code} ${run.stderr}`).toMatch(/^0 [\s\S]*restore: loading into packagecloud[\s\S]*restores and passes every check/);
    // The restored data is readable on the rebuilt instance, row for row as the source had it.
    expect(rebuiltSql("SELECT name FROM repositories WHERE name = 'gitlab-ce'", "packagecloud")).toBe("gitlab-ce");
    for (const table of ["schema_migrations", "users", "repositories", "packages"]) {
      expect(rebuiltSql(`SELECT * FROM \`${table}\` ORDER BY 1`, "packagecloud")).toBe(sql(`SELECT * FROM \`${table}\` ORDER BY 1`, "packagecloud"));
    }
  });

  it("never loads over data: run again into the now-filled database, it exits 6 naming why, and the rows stay as they were", async () => {
    rebuiltSql("INSERT INTO repositories VALUES (4, 1, 'written-after-the-restore', 0)", "packagecloud");
    const run = await runDocumented();
    expect(run.stderr).toMatch(/restore: packagecloud already holds 4 tables: RESTORE_KEEP_DATABASE loads only into a new or empty database/);
    expect(run.stderr).not.toMatch(/restore: loading into/);
    expect(run.code).toBe(6);
    expect(rebuiltSql("SELECT COUNT(*) FROM repositories", "packagecloud")).toBe("4");
  });
});
