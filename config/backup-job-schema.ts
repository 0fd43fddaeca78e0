/**
 * Configuration of the offsite backup job and its restore verification (issue 13; seed 004's copycat-db and
 * "Phoenix"), one block per environment under `backupJob`. Both variants read it: the VM's systemd timer and
 * the GKE CronJobs are generated from the same values, so schedules and checks cannot drift apart.
 *
 * No secret lives here: the age *recipient* is a public key (the backup job can encrypt, never decrypt); the age
 * *identity* (private key) is created and kept outside this project (docs/disaster-recovery.md, "Backup keys").
 */
import { z } from "zod";
import { dailyRuns, overlaps, type WeekInterval } from "./maintenance-window";
import { pushgatewayUrl } from "./url-secrets";

const IN_CLUSTER_SERVICE_URL = /^https?:\/\/[a-z0-9]([-a-z0-9]*[a-z0-9])?\.[a-z0-9]([-a-z0-9]*[a-z0-9])?\.svc(\.cluster\.local)?:\d{1,5}\/?$/;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (UTC)");
const k8sName = (what: string) =>
  z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, `must be a Kubernetes ${what} name (RFC 1123 label)`);
/**
 * An image pinned by digest: a tag can be moved under the job, a digest cannot. A tag may stay beside the digest
 * (`name:tag@sha256:…`, the reference grammar of distribution/reference: `name [":" tag] ["@" digest]`); the
 * digest decides what runs, the tag only says which release it was.
 */
const pinnedImage = z
  .string()
  .regex(
    /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@sha256:[0-9a-f]{64}$/,
    "must be an image pinned by digest: <registry>/<repository>[:<tag>]@sha256:<64 hex digits>",
  );
/** Table names are pasted into the verification's SQL: plain identifiers only. */
const tableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "must be a plain MySQL table name (letters, digits, _)");
/** A binary on the VM: an absolute path, pasted into a systemd environment file. */
const binaryPath = z.string().regex(/^\/[A-Za-z0-9._/+-]+$/, "must be an absolute path (letters, digits and . _ / + -)");
const minutes = (field: string, max: number) =>
  z.number().int(`${field} must be whole minutes`).min(1, `${field} must be at least 1 minute`).max(max, `${field} must be at most ${max} minutes`);

export const backupJobSchema = z
  .object({
    /** Daily run times (UTC): the VM timer's OnCalendar and the CronJobs' schedule are both derived from them. */
    schedule: z.object({ backupUtc: hhmm, restoreVerificationUtc: hhmm }).strict(),
    /** The age public key backups are encrypted to (`age-keygen -y identity.txt`). Public: safe in state. */
    ageRecipient: z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/, "must be an age X25519 public key (age1 followed by 58 bech32 characters)"),
    /** Hard timeouts (minutes) for each step; a stalled step fails the run (seed 000's stalled upload). */
    timeouts: z
      .object({
        dumpMinutes: minutes("dumpMinutes", 720),
        uploadMinutes: minutes("uploadMinutes", 720),
        fetchMinutes: minutes("fetchMinutes", 720),
        restoreMinutes: minutes("restoreMinutes", 1440),
      })
      .strict(),
    /** Attempts per step (dump, upload, download): bounded, so a broken run ends with a failure. */
    attempts: z.number().int().min(1, "attempts must be at least 1").max(5, "attempts must be at most 5"),
    /** What a restored backup must contain (checked by the restore verification). */
    verify: z
      .object({
        tables: z.array(tableName).min(1, "tables must list at least one table"),
        nonEmptyTables: z.array(tableName),
        /** A query returning one value, and the value a good backup returns. */
        canary: z.object({ query: z.string().regex(/^SELECT\s/i, "must be a SELECT statement"), expected: z.string().min(1, "expected must not be empty") }).strict(),
      })
      .strict(),
    /** Alert when no restore verification succeeded for this many hours (also when the metric is absent). */
    restoreVerificationMaxAgeHours: z.number().int().min(25, "restoreVerificationMaxAgeHours must be at least 25 (verification is daily)").max(336, "restoreVerificationMaxAgeHours must be at most 336"),
    /**
     * VM variant: the restore verification opens the offsite xbstream with the MySQL that wrote it. packagecloud's
     * omnibus package ships that MySQL, and the xtrabackup and xbstream its database_backups service uses (seed 000),
     * so the versions match by construction; a scratch server of any other MySQL might refuse the files.
     */
    vm: z
      .object({
        /**
         * mysql: packagecloud's own client, not on PATH (packagecloud's upgrade docs, "Upgrading from 2.0.4 to
         * 2.05": `/opt/packagecloud/embedded/mysqlclient/bin/mysql -S /var/opt/packagecloud/lib/mysql/mysql.socket`).
         */
        binaries: z.object({ xbstream: binaryPath, xtrabackup: binaryPath, mysqld: binaryPath, mysql: binaryPath }).strict(),
        /** The schema packagecloud's tables live in (same docs: `TRUNCATE packages_onpremise.deb_files`). */
        database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "must be a plain MySQL database name (letters, digits, _)"),
        /**
         * The complete-file rule: the backup copies the newest xbstream not modified for this many minutes. Every
         * write database_backups makes updates the file's mtime (POSIX write(2): "upon successful completion ...
         * mark for update the last data modification and last file status change timestamps"), so a file still
         * being written is always younger than this; packagecloud documents no completion marker to wait for.
         */
        xbstreamSettleMinutes: minutes("xbstreamSettleMinutes", 720),
        /**
         * The restore verification unpacks onto the data disk only if, after it, this share of the disk stays free
         * for packagecloud (checked before anything is written; the run fails with exit 6 otherwise).
         */
        scratchReservePercent: z.number().int().min(5, "scratchReservePercent must be at least 5").max(90, "scratchReservePercent must be at most 90"),
      })
      .strict(),
    /** GKE variant: the CronJobs. */
    kubernetes: z
      .object({
        namespace: k8sName("namespace"),
        backupServiceAccount: k8sName("service account"),
        restoreServiceAccount: k8sName("service account"),
        images: z
          .object({
            /** backup/Dockerfile: bash, the AWS CLI, the MySQL client, age. */
            backup: pinnedImage,
            /** The scratch MySQL the restore is loaded into (a sidecar of the verification pod). */
            scratchMysql: pinnedImage,
            /**
             * The Cloud SQL Auth Proxy v2 the backup logs in through (a sidecar of the backup pod): the digest of
             * `gcr.io/cloud-sql-connectors/cloud-sql-proxy:<CLOUD_SQL_PROXY_VERSION in backup/jobs.ts>`, whose
             * flags the job uses.
             */
            cloudSqlProxy: pinnedImage,
            /**
             * The Pushgateway this repository runs in a dedicated cluster (monitoring/pushgateway.ts): the digest of
             * `quay.io/prometheus/pushgateway:v<PUSHGATEWAY_VERSION in monitoring/pushgateway.ts>`, whose flags it uses.
             */
            pushgateway: pinnedImage,
          })
          .strict(),
        /**
         * Where the jobs push their metrics in a shared cluster (gcp.cluster.mode "existing"): that cluster's
         * Pushgateway, which its Prometheus scrapes, is a prerequisite (docs/first-deploy.md), named here as its
         * in-cluster Service URL: the jobs' egress NetworkPolicy allows exactly that namespace and port. Required
         * there, and refused in a dedicated cluster, where this repository runs the Pushgateway itself
         * (http://prometheus-pushgateway.monitoring.svc:9091, monitoring/metrics-path.ts).
         */
        // No credentials in it (config/url-secrets.ts, never echoed), and an in-cluster Service URL.
        pushgatewayUrl: pushgatewayUrl
          .superRefine((url, ctx) => {
            if (!IN_CLUSTER_SERVICE_URL.test(url)) {
              ctx.addIssue({
                code: z.ZodIssueCode.custom,
                message:
                  "must be the Pushgateway's in-cluster Service URL, http://<service>.<namespace>.svc:<port> (e.g. http://prometheus-pushgateway.monitoring.svc:9091): the jobs' NetworkPolicy allows egress to that namespace and port only",
              });
            }
          })
          .optional(),
        /**
         * Size of the work disk each run gets (a generic ephemeral volume: the backup's encrypted dump, the
         * verification's download). It holds the gzip-compressed dump, a fraction of the database's size.
         * @default - 200 GiB
         */
        workDiskGiB: z.number().int("workDiskGiB must be whole GiB").min(10, "workDiskGiB must be at least 10 (a pd-balanced disk's minimum)").max(65536, "workDiskGiB must be at most 65536 (a persistent disk's maximum)").optional(),
        /**
         * Size of the restore verification's scratch MySQL datadir (a generic ephemeral volume): the whole
         * restored database, without a binary log (the scratch server runs with --skip-log-bin). At least the
         * source instance's disk (gcp.sql.diskGb), which bounds the database's data at synth time; Cloud SQL's
         * disk also holds its binary logs and free space, so this is an upper bound, not a guess. When the
         * instance's storage autoresize grows past it, the verification fails with exit 6 (disk full) and pages:
         * raise this then.
         * @default - gcp.sql.diskGb
         */
        restoreDataDiskGiB: z.number().int("restoreDataDiskGiB must be whole GiB").min(10, "restoreDataDiskGiB must be at least 10 (a pd-balanced disk's minimum)").max(65536, "restoreDataDiskGiB must be at most 65536 (a persistent disk's maximum)").optional(),
        /** Secret (created out of band) holding the age identity under the key `identity`. */
        ageIdentitySecret: k8sName("Secret"),
        /**
         * How the jobs reach AWS. `web-identity` (default): the roles of the storage stack, through projected
         * service-account tokens; no static key exists. `access-key`: the documented fallback, an out-of-band
         * access key in this Secret (keys AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
         */
        awsAuth: z.discriminatedUnion("mode", [
          z.object({ mode: z.literal("web-identity") }).strict(),
          z.object({ mode: z.literal("access-key"), secretName: k8sName("Secret") }).strict(),
        ]),
      })
      .strict(),
  })
  .strict()
  .superRefine((job, ctx) => {
    job.verify.nonEmptyTables.forEach((table, i) => {
      if (!job.verify.tables.includes(table)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["verify", "nonEmptyTables", i], message: `must also be listed in verify.tables (${table} is not)` });
      }
    });
    if (job.schedule.backupUtc === job.schedule.restoreVerificationUtc) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["schedule", "restoreVerificationUtc"], message: "must differ from schedule.backupUtc: verify after the backup has finished" });
    }
  });

export type BackupJobConfig = z.output<typeof backupJobSchema>;

/**
 * The backup must not run into a maintenance window (issue 20): GKE may drain the node under the pod during the
 * cluster's window, and Cloud SQL restarts the instance (a dump fails) during its one-hour window. A daily job
 * runs every day, so every day of a window counts. The span checked is the dump's first attempt
 * ([backupUtc, backupUtc + timeouts.dumpMinutes)): the part that needs both the node and the database. The
 * restore verification needs only the node: its start must fall outside the GKE window (an eviction later in a
 * long run is retried by the Job's podFailurePolicy, backup/jobs.ts).
 * Returns [field, message] for each conflict.
 */
export function maintenanceConflicts(
  job: BackupJobConfig,
  windows: { gke?: readonly WeekInterval[]; gkeText?: string; cloudSql: WeekInterval; cloudSqlText: string },
): Array<[string, string]> {
  const minute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const conflicts: Array<[string, string]> = [];
  const dump = dailyRuns(minute(job.schedule.backupUtc), job.timeouts.dumpMinutes);
  const named = (what: string) => `overlaps ${what}: the dump (${job.schedule.backupUtc} UTC + timeouts.dumpMinutes ${job.timeouts.dumpMinutes} min, daily) must end before it starts or start after it ends; move schedule.backupUtc`;
  if (windows.gke && overlaps(dump, windows.gke)) conflicts.push(["backupJob.schedule.backupUtc", named(`the GKE maintenance window (${windows.gkeText})`)]);
  if (overlaps(dump, [windows.cloudSql])) conflicts.push(["backupJob.schedule.backupUtc", named(`the Cloud SQL maintenance window (${windows.cloudSqlText})`)]);
  if (windows.gke && overlaps(dailyRuns(minute(job.schedule.restoreVerificationUtc), 1), windows.gke)) {
    conflicts.push(["backupJob.schedule.restoreVerificationUtc", `starts inside the GKE maintenance window (${windows.gkeText}); move it outside`]);
  }
  return conflicts;
}
