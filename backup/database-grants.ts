/**
 * The database grants (issue 22): Cloud SQL creates the two IAM database users (constructs/cloud-sql-mysql.ts) with
 * no privileges ("Log in using IAM database authentication": an IAM user "has no privileges on any database" until
 * granted), and the provider deletes `root`@`%` after creating the instance. A Kubernetes Job logs in as the
 * built-in admin (its password from Secret Manager, through a Kubernetes Secret the documented step creates) through
 * the Cloud SQL Auth Proxy and runs `grantStatements`, which are idempotent (a GRANT of privileges already held
 * changes nothing): the pipeline can run it after every apply.
 *
 * Written at synth to `cdktf.out/kubernetes/<env>/run-once/database-grants.yaml` with the backup jobs' YAML writer:
 * in a folder of its own because `kubectl apply` of a changed Job fails (a Job's pod template is immutable), so
 * operator/ci/run-grants.sh deletes and creates it and waits for it, while operator/ci/kubectl-apply.sh (which applies
 * only the top folder's files) keeps to the rest. What the Job needs is created before it: its Namespace and
 * ServiceAccount (00-namespace.yaml) and its NetworkPolicy (10-network-policies.yaml), which run-grants.sh applies
 * first, and the admin password's Secret, which it creates (backup/manifests.ts).
 *
 * @example
 *   grantStatements(env)   // ["GRANT ALL PRIVILEGES ON `packagecloud`.* TO 'packagecloud-ops-app'@'%'", ...]
 *   grantJob(env)          // the Job, validated against the Kubernetes schema
 */
import { Job } from "kubernetes-models/batch/v1/Job";
import type { EnvironmentConfig } from "../config";
import { resourceName } from "../config/naming";
import { ADMIN_USER, adminSecretId, DATABASE_NAME } from "../constructs/cloud-sql-mysql";
import { backupDatabaseUser, CLOUD_SQL_PROXY_PORT, cloudSqlProxyArgs, cloudSqlProxySidecar, kubectlYaml, manifestPlaceholders, PLACEHOLDER_HEADER, restricted } from "./jobs";

/** The application's IAM database user: its service account id (constructs/workload-identity.ts, component "app"). */
export const appDatabaseUser = (env: EnvironmentConfig) => resourceName(env.name, "app");

/**
 * The application runs its own migrations (packagecloud is a Rails application: `db:migrate` creates, alters, drops
 * and indexes tables), so it holds every privilege on its own schema and nothing outside it. `ALL PRIVILEGES` at
 * database level is every database-level privilege "except GRANT OPTION and PROXY" (MySQL 8.0 Reference Manual,
 * 8.2.2 "Privileges Provided by MySQL"; MariaDB's GRANT: the same), so the application cannot pass privileges on.
 */
export const APP_PRIVILEGES = ["ALL PRIVILEGES"] as const;

/**
 * Exactly what the offsite backup's dump needs (backup/packagecloud-backup.sh: `--single-transaction --quick
 * --triggers --hex-blob --no-tablespaces`, mariadb-dump 10.11 in the image): SELECT for the tables, SHOW VIEW for
 * views, TRIGGER for `--triggers` (mysqldump's docs, "mysqldump requires at least the SELECT privilege for dumped
 * tables, SHOW VIEW for dumped views, TRIGGER for dumped triggers, LOCK TABLES if the --single-transaction option is
 * not used, and (as of MySQL 8.0.21) PROCESS if the --no-tablespaces option is not used"). Not granted, on purpose:
 * LOCK TABLES (--single-transaction takes no locks; with it the backup user could block the application's writes),
 * PROCESS (--no-tablespaces), EVENT (no --events), anything that writes. test/engine/database-grants.test.ts runs
 * the real dump with these flags as this user.
 */
export const BACKUP_PRIVILEGES = ["SELECT", "SHOW VIEW", "TRIGGER"] as const;

const quoteIdentifier = (name: string) => `\`${name.replace(/`/g, "``")}\``;
const quoteString = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
/** Cloud SQL creates IAM users on host '%' (an IAM login arrives through the proxy or connector, from anywhere). */
export const accountOf = (user: string) => `${quoteString(user)}@'%'`;

/**
 * The statements, valid for MySQL 8.0 (Cloud SQL) and MariaDB (the test's server). No CREATE USER: Cloud SQL
 * creates the IAM users (google_sql_user, CLOUD_IAM_SERVICE_ACCOUNT), and MySQL 8's GRANT refuses an unknown user,
 * so a missing user fails the Job loudly instead of creating a password-less account.
 */
export function grantStatements(env: EnvironmentConfig, database: string = DATABASE_NAME): string[] {
  const on = `${quoteIdentifier(database)}.*`;
  return [
    `GRANT ${APP_PRIVILEGES.join(", ")} ON ${on} TO ${accountOf(appDatabaseUser(env))}`,
    `GRANT ${BACKUP_PRIVILEGES.join(", ")} ON ${on} TO ${accountOf(backupDatabaseUser(env))}`,
  ];
}

export const GRANT_JOB_NAME = "packagecloud-database-grants";
/** The Kubernetes Secret (key `password`) the documented step fills from the Secret Manager secret. */
export const ADMIN_KUBERNETES_SECRET = "packagecloud-sql-admin";
const ADMIN_SECRET_DIR = "/var/run/secrets/sql-admin";
/** The official MySQL image's uid (the scratch MySQL of the restore check runs the same image). */
const MYSQL_UID = 999;

/**
 * The client script: the password goes into an option file on a memory-backed volume (never on a command line,
 * which `ps` shows, nor in MYSQL_PWD, deprecated in MySQL 8.0), then one `mysql` run applies every statement and
 * stops at the first error (exit non-zero: the Job fails and kubectl shows why).
 */
export const GRANT_SCRIPT = [
  "set -eu",
  "umask 077",
  // An assignment of its own, so that `set -e` stops on a missing or unreadable secret.
  `password=$(cat ${ADMIN_SECRET_DIR}/password)`,
  `printf '[client]\\npassword="%s"\\n' "$password" > /tmp/admin.cnf`,
  `mysql --defaults-extra-file=/tmp/admin.cnf --host=127.0.0.1 --port=${CLOUD_SQL_PROXY_PORT} --user="$ADMIN_USER" --batch -e "$GRANT_STATEMENTS"`,
  "echo 'grants applied'",
].join("\n");

/**
 * The Job. Connects as the offsite backup's Kubernetes service account, whose Google service account holds
 * roles/cloudsql.client (constructs/workload-identity.ts APP_ROLES): the proxy needs that to open the connection; the
 * database login itself is the admin's password, so the proxy runs without `--auto-iam-authn`. Shared rather than its
 * own: a ServiceAccount of its own would need its own Workload Identity binding in the gke stack, and the backup's
 * grants nothing the admin login does not already hold (its second role, cloudsql.instanceUser, logs in as the backup
 * user, whose rights this Job grants).
 */
export function grantJob(env: EnvironmentConfig): Job {
  const k = env.backupJob.kubernetes;
  const labels = { "app.kubernetes.io/name": GRANT_JOB_NAME, "app.kubernetes.io/part-of": "packagecloud", "packagecloud.io/environment": env.name };
  return new Job({
    metadata: { name: GRANT_JOB_NAME, namespace: k.namespace, labels },
    spec: {
      backoffLimit: 2,
      activeDeadlineSeconds: 600,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: k.backupServiceAccount,
          automountServiceAccountToken: false,
          restartPolicy: "Never",
          // fsGroup: the Secret's file belongs to this group (mode 0440), so the client's uid can read it.
          securityContext: { runAsNonRoot: true, fsGroup: MYSQL_UID, seccompProfile: { type: "RuntimeDefault" } },
          nodeSelector: { "packagecloud.io/pool": "background" },
          volumes: [
            { name: "sql-admin", secret: { secretName: ADMIN_KUBERNETES_SECRET, defaultMode: 0o440, items: [{ key: "password", path: "password" }] } },
            { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
          ],
          initContainers: [cloudSqlProxySidecar(env, cloudSqlProxyArgs(env).filter((a) => a !== "--auto-iam-authn"))],
          containers: [
            {
              name: "grants",
              // The MySQL image the restore check pins: its `mysql` client is MySQL 8's.
              image: k.images.scratchMysql,
              command: ["sh", "-c", GRANT_SCRIPT],
              env: [
                { name: "ADMIN_USER", value: ADMIN_USER },
                { name: "GRANT_STATEMENTS", value: grantStatements(env).map((s) => `${s};`).join("\n") },
              ],
              volumeMounts: [
                { name: "sql-admin", mountPath: ADMIN_SECRET_DIR, readOnly: true },
                { name: "tmp", mountPath: "/tmp" },
              ],
              resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
              securityContext: restricted(MYSQL_UID),
            },
          ],
        },
      },
    },
  });
}

/** Where the admin password lives, for the docs and the Job's error text. */
export const adminPasswordSource = (env: EnvironmentConfig) => ({ secretManager: adminSecretId(env.name), kubernetes: ADMIN_KUBERNETES_SECRET });

/** The Job's file in the synth output, with the same placeholder header as the backup jobs' file. */
export const GRANT_JOB_FILE = (envName: string) => `kubernetes/${envName}/run-once/database-grants.yaml`;

export function grantFiles(envs: readonly EnvironmentConfig[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const env of envs) {
    const job = grantJob(env);
    job.validate();
    const body = kubectlYaml([job.toJSON()]);
    const placeholders = manifestPlaceholders(env, body);
    files[GRANT_JOB_FILE(env.name)] =
      `# Generated by packagecloud-infra at synth (backup/database-grants.ts) for ${env.name}: run with operator/ci/run-grants.sh ${env.name}\n` +
      `${PLACEHOLDER_HEADER} ${placeholders.length > 0 ? placeholders.join(", ") : "none"}\n` +
      body;
  }
  return files;
}
