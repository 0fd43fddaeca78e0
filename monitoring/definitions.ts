/**
 * What backup monitoring watches, as typed data: one `BackupMonitor` per backup job and one `ReplicationMonitor`
 * per replicated bucket, plus the names of the metrics the backup jobs must expose. The Prometheus rules
 * (`prometheus-rules.ts`) and the Grafana dashboard (`grafana-dashboard.ts`) are pure functions of this data.
 *
 * Why: a backup alert written as `last_backup_age_seconds >= 36h` stayed silent when backups stopped altogether,
 * because the metric disappeared with them. Generating every rule from one definition keeps the `absent()` branch
 * (and the thresholds) from being forgotten for the next backup someone adds.
 *
 * Metrics a backup job exposes (node_exporter's textfile collector or a push gateway), all gauges labelled
 * `backup="<BackupMonitor.name>"`:
 *   packagecloud_backup_last_success_timestamp_seconds  Unix time the newest successful backup finished
 *   packagecloud_backup_last_size_bytes                 size of the newest backup
 *   packagecloud_backup_last_exit_code                  exit code of the last run (0 = success)
 *   packagecloud_backup_count                           backups currently kept
 *
 * @example
 *   const defs: MonitoringDefinitions = {
 *     environment: "ops",
 *     backups: [{ name: "offsite-db", description: "Database dump copied off site", maxAgeHours: 36,
 *                 minSizeBytes: 300e9, runbookUrl: "https://runbooks.example.com/backups#offsite-db" }],
 *     replication: [{ bucket: "packages-gitlab-com", maxLatencySeconds: 900,
 *                     runbookUrl: "https://runbooks.example.com/backups#replication" }],
 *   };
 *   validateDefinitions(defs); // throws, naming the field and the value, on bad input
 */

export interface BackupMonitor {
  /** Value of the `backup` label, e.g. "offsite-db", "daily-db", "vm-data-snapshots" */
  readonly name: string;
  readonly description: string;
  /** Alert when the newest successful backup is older than this (also when the metric is absent) */
  readonly maxAgeHours: number;
  /** Alert when the newest backup is smaller than this */
  readonly minSizeBytes: number;
  /** Runbook link for the alerts */
  readonly runbookUrl: string;
  /**
   * Unix time (seconds) until which a backup never reported is "first backup pending" (a ticket) rather than absent
   * (a page): config monitoring.<backup>.firstBackupDueBy while firstBackupPending. The pending state also ends
   * as soon as the metric is first reported (the rules read its presence over PRESENCE_HISTORY), so a later
   * absence pages without anyone changing the configuration. A failed run pages from day one.
   * @default - never pending: an absent metric pages
   */
  readonly pendingUntil?: number;
  /**
   * The metrics arrive through a Pushgateway push group (the GKE job), not a node_exporter textfile: the rules then
   * also page when the group itself disappears (Pushgateway's `push_time_seconds{backup="<name>"}`).
   * @default - false
   */
  readonly pushGroup?: boolean;
}

export interface ReplicationMonitor {
  /** Source bucket name (label `bucket`) */
  readonly bucket: string;
  readonly maxLatencySeconds: number;
  readonly runbookUrl: string;
}

/** A restore verification job (seed 004's "Phoenix") that proves the newest backup of `backup` restores. */
export interface RestoreVerificationMonitor {
  /** The `backup` label of the backup it restores, e.g. "offsite-db". */
  readonly backup: string;
  /** Alert when no verification succeeded for this many hours (also when the metric is absent). */
  readonly maxAgeHours: number;
  readonly runbookUrl: string;
  /**
   * As BackupMonitor.pendingUntil, for the verification's own metric: no verification can succeed before the first
   * backup exists. Also gates "no backup to verify yet" (exit 8): it pages only once the backup is no longer pending.
   */
  readonly pendingUntil?: number;
}

export interface MonitoringDefinitions {
  readonly environment: string; // "pre" | "ops"
  readonly backups: readonly BackupMonitor[];
  readonly replication: readonly ReplicationMonitor[];
  /** @default - no restore verification is watched */
  readonly restoreVerification?: readonly RestoreVerificationMonitor[];
}

/** Label that names the backup on every backup metric, recorded series and backup alert. */
export const BACKUP_LABEL = "backup";

/** Unix time (seconds) at which the newest successful backup finished. */
export const BACKUP_LAST_SUCCESS_TIMESTAMP_METRIC = "packagecloud_backup_last_success_timestamp_seconds";
/** Size in bytes of the newest backup. */
export const BACKUP_LAST_SIZE_METRIC = "packagecloud_backup_last_size_bytes";
/** Exit code of the last backup run: 0 is success, anything else a failure. */
export const BACKUP_LAST_EXIT_CODE_METRIC = "packagecloud_backup_last_exit_code";
/** Number of backups currently kept. */
export const BACKUP_COUNT_METRIC = "packagecloud_backup_count";
/** Unix time the newest backup was last restored into a scratch database and passed every check. */
export const BACKUP_LAST_RESTORE_VERIFIED_METRIC = "packagecloud_backup_last_restore_verified_timestamp_seconds";
/** Exit code of the last restore verification: 0 is success. */
export const BACKUP_LAST_RESTORE_EXIT_CODE_METRIC = "packagecloud_backup_last_restore_exit_code";
/** Unix time a backup run was last interrupted (SIGTERM: an eviction, a deadline); written only then. */
export const BACKUP_LAST_INTERRUPTED_METRIC = "packagecloud_backup_last_interrupted_timestamp_seconds";
/** Unix time a restore verification was last interrupted; written only then. */
export const BACKUP_LAST_RESTORE_INTERRUPTED_METRIC = "packagecloud_backup_last_restore_interrupted_timestamp_seconds";
/** The Pushgateway's own gauge of each push group: the Unix time of its last successful push. */
export const PUSH_TIME_METRIC = "push_time_seconds";

/**
 * Exit codes the rules tell apart (backup/packagecloud-backup.sh defines them; test/backup/jobs.test.ts holds the
 * two together). 143 = 128 + SIGTERM: the run was interrupted (evicted, drained, past its deadline), and the Job's
 * next attempt or the next day's run decides; it never pages as a failure (the stale alert still watches the age).
 * 8: the verification found no backup to verify, the expected answer before the first backup.
 */
export const EXIT_CODES = { interrupted: 143, noBackupYet: 8 } as const;

// S3 replication metrics as the Prometheus cloudwatch_exporter exports them (namespace AWS/S3, metric
// OperationsFailedReplication with statistic Sum, ReplicationLatency with statistic Maximum; the exporter names
// them aws_<namespace>_<metric>_<statistic> in snake case and exports every one as a gauge). S3 publishes them
// only for replication rules with metrics enabled (S3 Replication Time Control or `metrics { status = "Enabled" }`).
// Configure the exporter with `set_timestamp: false` for them, as its README advises for S3: with CloudWatch's own
// timestamps the samples are too old for an instant query.
/** Objects that failed to replicate in one CloudWatch period (a per-period sum, not a counter). */
export const REPLICATION_FAILED_OPERATIONS_METRIC = "aws_s3_operations_failed_replication_sum";
/** Maximum seconds the replica was behind the source in one CloudWatch period. */
export const REPLICATION_LATENCY_METRIC = "aws_s3_replication_latency_maximum";
/**
 * Label that names the source bucket on the replication metrics. The exporter derives label names from the
 * CloudWatch dimensions (SourceBucket becomes `source_bucket`), so the scrape config relabels it to `bucket`.
 */
export const REPLICATION_BUCKET_LABEL = "bucket";

/** Recording rules the dashboard graphs, one series per backup (labels `backup` and `environment`). */
export const BACKUP_COUNT_RECORD = "packagecloud:backup_count";
export const BACKUP_LAST_SIZE_RECORD = "packagecloud:backup_last_size_bytes";
export const BACKUP_AGE_RECORD = "packagecloud:backup_age_seconds";

// Label values are pasted into PromQL selectors (`{backup="offsite-db"}`): these patterns also keep quotes and
// backslashes out of them, so no escaping is needed.
const NAME_PATTERN = /^[a-z0-9-]+$/;
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Throws on the first invalid field, naming the field, the value and what is expected. Both generators call it,
 * so a bad definition never reaches a rule file.
 */
export function validateDefinitions(defs: MonitoringDefinitions): void {
  const where = `MonitoringDefinitions (${JSON.stringify(defs.environment)})`;
  const fail = (field: string, value: unknown, expected: string): never => {
    // Strings quoted so an empty or blank value is visible; numbers as written (JSON would print NaN as null).
    const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
    throw new Error(`${where}: ${field} ${shown} ${expected}`);
  };

  if (!NAME_PATTERN.test(defs.environment)) {
    fail("environment", defs.environment, "must be a non-empty environment name of lowercase letters, digits and '-' (e.g. \"ops\")");
  }

  const seenBackups = new Map<string, number>();
  defs.backups.forEach((backup, i) => {
    const field = (name: keyof BackupMonitor) => `backups[${i}].${name}`;
    if (backup.name === "") fail(field("name"), backup.name, "must not be empty: it is the value of the `backup` label");
    if (!NAME_PATTERN.test(backup.name)) {
      fail(field("name"), backup.name, "must match /^[a-z0-9-]+$/ (lowercase letters, digits and '-'), as the backup job's `backup` label does");
    }
    const first = seenBackups.get(backup.name);
    if (first !== undefined) fail(field("name"), backup.name, `duplicates backups[${first}].name: each backup needs its own name`);
    seenBackups.set(backup.name, i);
    if (backup.description.trim() === "") fail(field("description"), backup.description, "must say what the backup holds");
    if (!Number.isFinite(backup.maxAgeHours) || backup.maxAgeHours <= 0) {
      fail(field("maxAgeHours"), backup.maxAgeHours, "must be a number of hours > 0");
    }
    if (!Number.isSafeInteger(backup.minSizeBytes) || backup.minSizeBytes < 0) {
      fail(field("minSizeBytes"), backup.minSizeBytes, "must be a whole number of bytes >= 0 (0 turns the size alert off in effect)");
    }
    if (backup.pendingUntil !== undefined && !(Number.isSafeInteger(backup.pendingUntil) && backup.pendingUntil > 0)) {
      fail(field("pendingUntil"), backup.pendingUntil, "must be a Unix time in whole seconds > 0");
    }
    checkRunbook(field("runbookUrl"), backup.runbookUrl, fail);
  });

  (defs.restoreVerification ?? []).forEach((restore, i) => {
    const field = (name: keyof RestoreVerificationMonitor) => `restoreVerification[${i}].${name}`;
    if (!defs.backups.some((backup) => backup.name === restore.backup)) {
      fail(field("backup"), restore.backup, `must name one of the backups (${defs.backups.map((b) => b.name).join(", ")})`);
    }
    if (!Number.isFinite(restore.maxAgeHours) || restore.maxAgeHours <= 0) fail(field("maxAgeHours"), restore.maxAgeHours, "must be a number of hours > 0");
    if (restore.pendingUntil !== undefined && !(Number.isSafeInteger(restore.pendingUntil) && restore.pendingUntil > 0)) {
      fail(field("pendingUntil"), restore.pendingUntil, "must be a Unix time in whole seconds > 0");
    }
    checkRunbook(field("runbookUrl"), restore.runbookUrl, fail);
  });

  const seenBuckets = new Map<string, number>();
  defs.replication.forEach((replication, i) => {
    const field = (name: keyof ReplicationMonitor) => `replication[${i}].${name}`;
    if (!BUCKET_PATTERN.test(replication.bucket)) {
      fail(field("bucket"), replication.bucket, "must be an S3 bucket name (3-63 lowercase letters, digits, '.' and '-')");
    }
    const first = seenBuckets.get(replication.bucket);
    if (first !== undefined) fail(field("bucket"), replication.bucket, `duplicates replication[${first}].bucket`);
    seenBuckets.set(replication.bucket, i);
    if (!Number.isFinite(replication.maxLatencySeconds) || replication.maxLatencySeconds <= 0) {
      fail(field("maxLatencySeconds"), replication.maxLatencySeconds, "must be a number of seconds > 0");
    }
    checkRunbook(field("runbookUrl"), replication.runbookUrl, fail);
  });
}

function checkRunbook(field: string, url: string, fail: (field: string, value: unknown, expected: string) => never): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // https only: the link is opened from a page in the middle of the night; it must not be a relative path or a typo.
  if (parsed === undefined || parsed.protocol !== "https:" || parsed.hostname === "") {
    fail(field, url, "must be an absolute https:// URL of the runbook");
  }
}
