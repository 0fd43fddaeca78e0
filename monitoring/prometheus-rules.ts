/**
 * The Prometheus rule file for backup monitoring, generated from `MonitoringDefinitions`: recording rules for the
 * dashboard, three alerts per backup (stale or absent, too small, failed) and two per replicated bucket (failing,
 * lagging). Built as an object and serialised with the `yaml` library, never by pasting YAML strings together.
 *
 * Why generated: the seed incident's rule `last_backup_age_seconds >= 36h` stayed silent when backups stopped,
 * because the metric disappeared and a comparison on nothing is nothing. Every stale alert here is
 * `absent_over_time(x{backup="…"}[30m]) or (time() - x{backup="…"} > N)`, one per backup, so a backup that never
 * reported, or stopped reporting, pages like one that is old; the 30 minutes ride out a Pushgateway restart
 * (ABSENCE_TOLERANCE). Before the first backup, an absence is "pending" (a ticket) until the metric is first seen or
 * the configured due date passes, whichever comes first: nobody has to remember to end it. Interrupted runs (exit
 * 143) never page as failures; the verification's "no backup yet" (exit 8) pages only once the backup is no longer
 * pending. test/engine/promtool.test.ts proves each with promtool.
 *
 * The backup metrics carry only the `backup` label, so the rules select by it alone and add `environment` as a
 * rule label: load this file into the environment's own Prometheus, not into one that scrapes both environments.
 *
 * Severity: `page` when no new restorable copy is being made (stale, absent, failed backup): someone acts now.
 * `ticket` when a copy exists but is suspect or late (too small, replication failing or lagging): working hours.
 *
 * @example
 *   fs.writeFileSync("packagecloud-backups.rules.yaml", prometheusRulesYaml(defs));
 *   // promtool check rules packagecloud-backups.rules.yaml
 */
import { stringify } from "yaml";
import {
  BACKUP_AGE_RECORD,
  BACKUP_COUNT_METRIC,
  BACKUP_COUNT_RECORD,
  BACKUP_LABEL,
  BACKUP_LAST_EXIT_CODE_METRIC,
  BACKUP_LAST_SIZE_METRIC,
  BACKUP_LAST_SIZE_RECORD,
  BACKUP_LAST_SUCCESS_TIMESTAMP_METRIC,
  BACKUP_LAST_RESTORE_EXIT_CODE_METRIC,
  BACKUP_LAST_RESTORE_VERIFIED_METRIC,
  type BackupMonitor,
  EXIT_CODES,
  PUSH_TIME_METRIC,
  type MonitoringDefinitions,
  REPLICATION_BUCKET_LABEL,
  REPLICATION_FAILED_OPERATIONS_METRIC,
  REPLICATION_LATENCY_METRIC,
  type ReplicationMonitor,
  type RestoreVerificationMonitor,
  validateDefinitions,
} from "./definitions";

export type Severity = "page" | "ticket";

/** Alert names; each backup (or bucket) gets one rule of each of its kind, told apart by the label. */
export const ALERTS = {
  backupStale: "PackagecloudBackupStale",
  backupTooSmall: "PackagecloudBackupTooSmall",
  backupFailed: "PackagecloudBackupFailed",
  replicationFailing: "PackagecloudReplicationFailing",
  replicationLagging: "PackagecloudReplicationLagging",
  restoreUnverified: "PackagecloudBackupRestoreUnverified",
  restoreFailed: "PackagecloudBackupRestoreFailed",
  /** Only while pending (never reported, due date not reached): a ticket, not a page. */
  firstBackupPending: "PackagecloudBackupFirstBackupPending",
  restoreFirstPending: "PackagecloudBackupRestoreFirstPending",
  /** The Pushgateway no longer exposes a backup's push group (GKE). */
  pushGroupMissing: "PackagecloudBackupPushGroupMissing",
} as const;

/**
 * How long each condition must hold before the alert fires.
 * Stale: rides out a scrape gap or a restart of the exporter (a missing series counts as stale).
 * Too small: the size gauge is written once per run; a short wait skips a half-written metrics file.
 * Failed: the exit code is the job's own verdict; wait only for one more scrape to confirm it.
 * Lagging: CloudWatch publishes latency per period; one slow period is not yet a problem.
 */
export const PENDING = { backupStale: "15m", backupTooSmall: "15m", backupFailed: "5m", replicationLagging: "15m" } as const;

/**
 * How long a metric must be unreported before it counts as absent. A Pushgateway restart (its node drained in a
 * maintenance window: the pod stops, its disk moves to the new pod's node, the new pod reloads the persisted
 * groups) leaves a gap of minutes in every series; `absent()` would be true after the 5-minute lookback and page
 * 15 minutes later. Absent over 30 minutes, then 15 more (`for`), pages 45 minutes into a real absence, which is
 * soon enough for a daily job and rides out a restart (test/engine/promtool.test.ts replays a 25-minute gap, which
 * `absent()` would page on).
 */
export const ABSENCE_TOLERANCE = "30m";

/**
 * How far back "was it ever reported" looks: the pending state ends when the metric is first seen. A backup absent
 * for longer than this and still before its due date would look pending again; the due date (firstBackupDueBy,
 * required while pending) bounds that.
 */
export const PRESENCE_HISTORY = "31d";

/**
 * Window over which a failed replication is remembered. The exporter exports a per-period sum (a gauge, not a
 * counter), so `increase()` does not apply: any non-zero period in the window fires. S3 does not retry a failed
 * replication, so there is no `for`; the window keeps a one-period failure firing long enough to be notified.
 */
export const REPLICATION_FAILURE_WINDOW = "15m";

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  /** Omitted: fires at the first evaluation that matches. */
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>> & { readonly severity: Severity; readonly environment: string };
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook_url: string };
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly (RecordingRule | AlertingRule)[];
}

export interface RuleFile {
  readonly groups: readonly RuleGroup[];
}

/** The rule file as an object, ready for `yaml.stringify` (or for tests to inspect). */
export function prometheusRules(defs: MonitoringDefinitions): RuleFile {
  validateDefinitions(defs);
  const groups: RuleGroup[] = [
    { name: "packagecloud-backup-recording", rules: recordingRules(defs.environment) },
    { name: "packagecloud-backup-alerts", rules: defs.backups.flatMap((backup) => backupAlerts(defs.environment, backup)) },
  ];
  const restores = defs.restoreVerification ?? [];
  if (restores.length > 0) {
    const backupOf = (name: string) => defs.backups.find((b) => b.name === name)!; // validateDefinitions: it exists
    groups.push({ name: "packagecloud-restore-verification-alerts", rules: restores.flatMap((restore) => restoreAlerts(defs.environment, restore, backupOf(restore.backup))) });
  }
  // An empty group is legal but noise in the Prometheus UI: leave it out.
  if (defs.replication.length > 0) {
    groups.push({
      name: "packagecloud-replication-alerts",
      rules: defs.replication.flatMap((replication) => replicationAlerts(defs.environment, replication)),
    });
  }
  return { groups };
}

/** The rule file as YAML, for Prometheus' `rule_files`. */
export function prometheusRulesYaml(defs: MonitoringDefinitions): string {
  // lineWidth 0: never fold a long PromQL expression across lines. No aliases: rules share label objects, and
  // `*a1` where a reader expects labels helps nobody.
  return stringify(prometheusRules(defs), { lineWidth: 0, aliasDuplicateObjects: false });
}

const selector = (metric: string, backup: string, label: string = BACKUP_LABEL) => `${metric}{${label}="${backup}"}`;

/** 300000000000 → "300 GB": SI units, as the seed states sizes ("smaller than 300 GB"). */
export function formatBytes(bytes: number): string {
  const units = [["TB", 1e12], ["GB", 1e9], ["MB", 1e6], ["kB", 1e3]] as const;
  const unit = units.find(([, size]) => bytes >= size);
  return unit ? `${Number((bytes / unit[1]).toPrecision(3))} ${unit[0]}` : `${bytes} bytes`;
}

function recordingRules(environment: string): RecordingRule[] {
  // `max by (backup)`: one series per backup whatever else the scrape adds (instance, job, a push gateway's
  // labels); when a job is scraped twice, the newest timestamp and the largest count and size win.
  const labels = { environment };
  return [
    { record: BACKUP_COUNT_RECORD, expr: `max by (${BACKUP_LABEL}) (${BACKUP_COUNT_METRIC})`, labels },
    { record: BACKUP_LAST_SIZE_RECORD, expr: `max by (${BACKUP_LABEL}) (${BACKUP_LAST_SIZE_METRIC})`, labels },
    {
      record: BACKUP_AGE_RECORD,
      expr: `time() - max by (${BACKUP_LABEL}) (${BACKUP_LAST_SUCCESS_TIMESTAMP_METRIC})`,
      labels,
    },
  ];
}

/** The backup's (or verification's) metric, and what "pending" and "missing" mean for it. */
function presence(metric: string, backup: string, pendingUntil: number | undefined) {
  const s = selector(metric, backup);
  // Never reported in PRESENCE_HISTORY, and the due date has not come: the first run has not happened yet.
  const pending = pendingUntil === undefined ? undefined : `(absent_over_time(${s}[${PRESENCE_HISTORY}]) and on() (vector(time()) < ${pendingUntil}))`;
  // Not reported for ABSENCE_TOLERANCE: gone, not a restart's gap. absent_over_time of the bare selector returns
  // {backup="<name>"}: one alert per backup.
  const absent = `absent_over_time(${s}[${ABSENCE_TOLERANCE}])`;
  return { selector: s, pending, missing: pending === undefined ? absent : `(${absent} unless on() ${pending})` };
}

/** In push mode, an absence of the whole push group is PushGroupMissing's to report, not each metric's. */
const unlessGroupMissing = (backup: BackupMonitor) =>
  backup.pushGroup ? ` unless on() absent_over_time(${selector(PUSH_TIME_METRIC, backup.name)}[${ABSENCE_TOLERANCE}])` : "";

function backupAlerts(environment: string, backup: BackupMonitor): AlertingRule[] {
  const lastSuccess = presence(BACKUP_LAST_SUCCESS_TIMESTAMP_METRIC, backup.name, backup.pendingUntil);
  const exitCode = selector(BACKUP_LAST_EXIT_CODE_METRIC, backup.name);
  const maxAgeSeconds = Math.round(backup.maxAgeHours * 3600);
  const labels = (severity: Severity) => ({ severity, environment, [BACKUP_LABEL]: backup.name });
  const about = `Backup ${backup.name} (${backup.description}) in ${environment}`;
  const age = `(time() - max by (${BACKUP_LABEL}) (${lastSuccess.selector}) > ${maxAgeSeconds})`;
  const due = backup.pendingUntil === undefined ? "" : ` (at the latest until ${new Date(backup.pendingUntil * 1000).toISOString().slice(0, 10)}, firstBackupDueBy)`;
  // Before the first backup is reported, "never reported" is the expected state of a fresh deploy: a ticket says
  // so. It ends by itself: when the first backup is reported, or at the due date, whichever comes first.
  const pending: AlertingRule[] = lastSuccess.pending
    ? [
        {
          alert: ALERTS.firstBackupPending,
          expr: lastSuccess.pending,
          for: PENDING.backupStale,
          labels: labels("ticket"),
          annotations: {
            summary: `First ${backup.name} backup pending (${environment})`,
            description:
              `${about}: no successful backup reported yet (${BACKUP_LAST_SUCCESS_TIMESTAMP_METRIC} never seen), as expected until the first run${due}. ` +
              "A failed run pages on its own; from the first reported backup, or the due date, an absence pages.",
            runbook_url: backup.runbookUrl,
          },
        },
      ]
    : [];
  const group: AlertingRule[] = backup.pushGroup
    ? [
        {
          alert: ALERTS.pushGroupMissing,
          expr: presence(PUSH_TIME_METRIC, backup.name, backup.pendingUntil).missing,
          for: PENDING.backupStale,
          labels: labels("page"),
          annotations: {
            summary: `The ${backup.name} push group is missing from the Pushgateway (${environment})`,
            description:
              `${about}: the Pushgateway has not exposed the group's ${PUSH_TIME_METRIC} for ${ABSENCE_TOLERANCE} (the group was deleted, ` +
              "lost with the Pushgateway's disk, or nothing scrapes the Pushgateway): no backup outcome can be seen until it is back.",
            runbook_url: backup.runbookUrl,
          },
        },
      ]
    : [];
  return [
    ...pending,
    ...group,
    {
      alert: ALERTS.backupStale,
      // The age branch takes the newest success over all series of this backup, as maxAgeHours promises.
      expr: `(${lastSuccess.missing}${unlessGroupMissing(backup)}) or ${age}`,
      for: PENDING.backupStale,
      labels: labels("page"),
      annotations: {
        summary: `No successful ${backup.name} backup in ${backup.maxAgeHours}h (${environment})`,
        description:
          `${about}: the newest successful backup is older than ${backup.maxAgeHours}h, or ` +
          `${BACKUP_LAST_SUCCESS_TIMESTAMP_METRIC} has not been reported for ${ABSENCE_TOLERANCE} (job not running, metrics not collected).`,
        runbook_url: backup.runbookUrl,
      },
    },
    {
      alert: ALERTS.backupTooSmall,
      expr: `${selector(BACKUP_LAST_SIZE_METRIC, backup.name)} < ${backup.minSizeBytes}`,
      for: PENDING.backupTooSmall,
      labels: labels("ticket"),
      annotations: {
        summary: `Last ${backup.name} backup is smaller than ${formatBytes(backup.minSizeBytes)} (${environment})`,
        description:
          `${about}: the newest backup is smaller than ${formatBytes(backup.minSizeBytes)} ` +
          `(${backup.minSizeBytes} bytes); it may be truncated or empty.`,
        runbook_url: backup.runbookUrl,
      },
    },
    {
      alert: ALERTS.backupFailed,
      // An interrupted run (143: evicted, drained, past its deadline) is not a failure: the Job's next attempt, or
      // the next day's run, decides; the stale alert still watches the age of the last success.
      expr: `${exitCode} != 0 and ${exitCode} != ${EXIT_CODES.interrupted}`,
      for: PENDING.backupFailed,
      labels: labels("page"),
      annotations: {
        summary: `The last ${backup.name} backup run failed (${environment})`,
        description: `${about}: the last run exited with a non-zero code (${BACKUP_LAST_EXIT_CODE_METRIC}; ${EXIT_CODES.interrupted}, an interrupted run, does not count).`,
        runbook_url: backup.runbookUrl,
      },
    },
  ];
}

function restoreAlerts(environment: string, restore: RestoreVerificationMonitor, backup: BackupMonitor): AlertingRule[] {
  const verified = presence(BACKUP_LAST_RESTORE_VERIFIED_METRIC, restore.backup, restore.pendingUntil);
  const backupPending = presence(BACKUP_LAST_SUCCESS_TIMESTAMP_METRIC, restore.backup, restore.pendingUntil).pending;
  const code = selector(BACKUP_LAST_RESTORE_EXIT_CODE_METRIC, restore.backup);
  const maxAgeSeconds = Math.round(restore.maxAgeHours * 3600);
  const labels = { severity: "page" as const, environment, [BACKUP_LABEL]: restore.backup };
  const about = `Restore verification of backup ${restore.backup} in ${environment}`;
  const age = `(time() - max by (${BACKUP_LABEL}) (${verified.selector}) > ${maxAgeSeconds})`;
  const pending: AlertingRule[] = verified.pending
    ? [
        {
          alert: ALERTS.restoreFirstPending,
          expr: verified.pending,
          for: PENDING.backupStale,
          labels: { ...labels, severity: "ticket" as const },
          annotations: {
            summary: `First restore verification of ${restore.backup} pending (${environment})`,
            description:
              `${about}: no verification succeeded yet (${BACKUP_LAST_RESTORE_VERIFIED_METRIC} never seen), as expected until the first ` +
              "backup exists; a failed verification pages on its own, and so does an absence once one succeeded or the due date has passed.",
            runbook_url: restore.runbookUrl,
          },
        },
      ]
    : [];
  // Exit 8, "no backup to verify yet", is the expected answer while the backup itself is pending; after that (the
  // first backup was reported, or its due date passed) it pages like any other failure.
  const failed = backupPending
    ? `(${code} != 0 and ${code} != ${EXIT_CODES.interrupted} and ${code} != ${EXIT_CODES.noBackupYet}) or (${code} == ${EXIT_CODES.noBackupYet} unless on() ${backupPending})`
    : `${code} != 0 and ${code} != ${EXIT_CODES.interrupted}`;
  return [
    ...pending,
    {
      alert: ALERTS.restoreUnverified,
      // Seed 002: an absence too, so a verification job that never ran (or stopped reporting) pages like a stale one.
      expr: `(${verified.missing}${unlessGroupMissing(backup)}) or ${age}`,
      for: PENDING.backupStale,
      labels,
      annotations: {
        summary: `No backup of ${restore.backup} proven restorable in ${restore.maxAgeHours}h (${environment})`,
        description:
          `${about}: no restore verification succeeded in ${restore.maxAgeHours}h, or ${BACKUP_LAST_RESTORE_VERIFIED_METRIC} ` +
          `has not been reported for ${ABSENCE_TOLERANCE}. Until one succeeds, nobody knows whether the backups restore.`,
        runbook_url: restore.runbookUrl,
      },
    },
    {
      alert: ALERTS.restoreFailed,
      expr: failed,
      for: PENDING.backupFailed,
      labels,
      annotations: {
        summary: `The last restore verification of ${restore.backup} failed (${environment})`,
        description:
          `${about}: the last run exited with a non-zero code (${BACKUP_LAST_RESTORE_EXIT_CODE_METRIC}); see the job's log. ` +
          `${EXIT_CODES.interrupted} (interrupted) does not count, nor ${EXIT_CODES.noBackupYet} (no backup yet) while the first backup is pending.`,
        runbook_url: restore.runbookUrl,
      },
    },
  ];
}

function replicationAlerts(environment: string, replication: ReplicationMonitor): AlertingRule[] {
  const labels = { severity: "ticket" as const, environment, [REPLICATION_BUCKET_LABEL]: replication.bucket };
  const about = `S3 replication of bucket ${replication.bucket} in ${environment}`;
  return [
    {
      alert: ALERTS.replicationFailing,
      expr:
        `max_over_time(${selector(REPLICATION_FAILED_OPERATIONS_METRIC, replication.bucket, REPLICATION_BUCKET_LABEL)}` +
        `[${REPLICATION_FAILURE_WINDOW}]) > 0`,
      labels,
      annotations: {
        summary: `Objects of ${replication.bucket} failed to replicate (${environment})`,
        description:
          `${about}: objects failed to replicate in the last ${REPLICATION_FAILURE_WINDOW}. S3 does not retry them; ` +
          "the replica stays incomplete until they are replicated again (S3 Batch Replication).",
        runbook_url: replication.runbookUrl,
      },
    },
    {
      alert: ALERTS.replicationLagging,
      expr: `${selector(REPLICATION_LATENCY_METRIC, replication.bucket, REPLICATION_BUCKET_LABEL)} > ${replication.maxLatencySeconds}`,
      for: PENDING.replicationLagging,
      labels,
      annotations: {
        summary: `Replication of ${replication.bucket} is more than ${replication.maxLatencySeconds}s behind (${environment})`,
        description: `${about}: the replica is more than ${replication.maxLatencySeconds}s behind the source.`,
        runbook_url: replication.runbookUrl,
      },
    },
  ];
}
