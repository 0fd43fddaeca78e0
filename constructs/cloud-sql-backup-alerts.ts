/**
 * Cloud Monitoring alerts on Cloud SQL's automated backups (GKE variant), with notification channels from config:
 * - no successful automated backup in N hours, as an **absence** query (`absent_over_time`), so it also fires
 *   when backups never ran or their log entries stopped, not only when one failed (seed 002);
 * - an automated backup window ended without success (any `windowStatus` other than STATUS_SUCCEEDED).
 * Successful backups are counted by a log-based metric over Cloud SQL's system-event audit log entries for
 * `cloudsql.instances.automatedBackup` (Cloud SQL docs: "View audit logs for automated backups").
 *
 * @example
 *   new CloudSqlBackupAlerts(this, "BackupAlerts", { environment: "ops", project, instanceName, maxAgeHours: 36, firstBackupPending: true, channels, runbookUrl });
 */
import { Construct } from "constructs";
import { Token } from "cdktf";
import { fromDate } from "./backup-alarms";
import { LoggingMetric } from "@cdktf/provider-google/lib/logging-metric";
import { MonitoringAlertPolicy } from "@cdktf/provider-google/lib/monitoring-alert-policy";
import type { EnvName } from "../config";
import { resourceName } from "../config/naming";

export interface CloudSqlBackupAlertsProps {
  readonly environment: EnvName;
  readonly project: string;
  /** The instance's name (`database_id` is `<project>:<name>`): a reference orders the alerts after the instance. */
  readonly instanceName: string;
  /**
   * The instance's name as a literal, for the policies' titles (config decides it: cloudSqlInstanceName).
   * @default - instanceName
   */
  readonly instanceTitle?: string;
  readonly maxAgeHours: number;
  /**
   * True until the instance's first automated backup succeeded (config monitoring.cloudSqlBackups): the stale
   * policy then has no notification channels (its incident is visible in the console, nobody is paged), as the
   * CloudWatch backup alarms notify nobody while monitoring.*.firstBackupPending. The failed-backup policy always
   * notifies: a first backup that fails is news on day one. Default false.
   */
  readonly firstBackupPending?: boolean;
  /**
   * While pending: the date (YYYY-MM-DD, UTC) from which the stale policy notifies anyway (config firstBackupDueBy);
   * its channels are then Terraform's `timecmp(plantimestamp(), …) >= 0 ? [channels] : []` (constructs/backup-alarms.ts
   * fromDate). @default - none: no channels until firstBackupPending is false
   */
  readonly notifyFrom?: string;
  readonly channels: readonly string[];
  readonly runbookUrl: string;
}

/** Where Cloud SQL's automated-backup audit entries carry their outcome, and the outcome that counts as a backup. */
export const WINDOW_STATUS = "protoPayload.metadata.windowStatus";
export const SUCCEEDED = "STATUS_SUCCEEDED";
/**
 * Window outcomes that are not a failure. The Cloud SQL Admin API's SqlBackupRunStatus defines SKIPPED as "skipped
 * (without problems) for a given backup window. Example: Instance was idle." The audit entry prefixes the API's
 * status with STATUS_ (the documented STATUS_SUCCEEDED); the bare form is listed too, so neither spelling of a
 * skipped window pages anyone.
 */
export const NOT_A_FAILURE = [SUCCEEDED, "STATUS_SKIPPED", "SKIPPED"] as const;

/** Cloud Monitoring's PromQL name for a user-defined log-based metric. */
export function promqlName(logMetric: string): string {
  return `logging_googleapis_com:user_${logMetric.replace(/[^a-zA-Z0-9_]/g, "_")}`;
}

export class CloudSqlBackupAlerts extends Construct {
  readonly successMetric: LoggingMetric;
  readonly stale: MonitoringAlertPolicy;
  readonly failed: MonitoringAlertPolicy;

  constructor(scope: Construct, id: string, props: CloudSqlBackupAlertsProps) {
    super(scope, id);
    if (props.channels.length === 0) throw new Error(`CloudSqlBackupAlerts ${this.node.path}: channels must list at least one notification channel`);
    const backupEntries = [
      `logName="projects/${props.project}/logs/cloudaudit.googleapis.com%2Fsystem_event"`,
      `protoPayload.methodName="cloudsql.instances.automatedBackup"`,
      `resource.type="cloudsql_database"`,
      `resource.labels.database_id="${props.project}:${props.instanceName}"`,
    ].join(" AND ");
    const metricName = resourceName(props.environment, "sql-backup-succeeded").replace(/-/g, "_");
    // The outcome is protoPayload.metadata.windowStatus, not the entry's severity (Cloud SQL docs, "View audit logs
    // for automated backups": "This status is displayed in the windowStatus field").
    this.successMetric = new LoggingMetric(this, "SuccessMetric", {
      name: metricName,
      description: "Automated Cloud SQL backups whose window status is STATUS_SUCCEEDED",
      filter: `${backupEntries} AND ${WINDOW_STATUS}="${SUCCEEDED}"`,
      metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1" },
    });
    const documentation = (what: string) => ({
      mimeType: "text/markdown",
      content: `${what} for Cloud SQL instance \`${props.instanceName}\` (${props.environment}). Runbook: ${props.runbookUrl}`,
    });
    // Before the first backup, absent_over_time(...[N h]) is true minutes after apply (no sample yet) and stays true
    // until the first backup, up to a day later: the policy exists but notifies nobody until config says it landed.
    const pending = props.firstBackupPending ?? false;
    const title = props.instanceTitle ?? props.instanceName;
    this.stale = new MonitoringAlertPolicy(this, "Stale", {
      displayName: `${title}: no successful backup for ${props.maxAgeHours} h${pending ? ` (first backup pending: not notifying${props.notifyFrom ? ` until ${props.notifyFrom}` : ""})` : ""}`,
      combiner: "OR",
      severity: "CRITICAL",
      notificationChannels: !pending
        ? [...props.channels]
        : props.notifyFrom === undefined
          ? []
          : Token.asList(`\${${fromDate(props.notifyFrom)} ? ${JSON.stringify(props.channels)} : []}`),
      documentation: documentation(
        `No successful automated backup in ${props.maxAgeHours} hours` +
          (pending
            ? `. Notifications are off until the first backup succeeds (monitoring.cloudSqlBackups.firstBackupPending in config)${props.notifyFrom ? `, and on from ${props.notifyFrom} whatever the flag says (firstBackupDueBy)` : ""}`
            : ""),
      ),
      conditions: [
        {
          displayName: `no successful backup in ${props.maxAgeHours} h`,
          conditionPrometheusQueryLanguage: {
            // absent_over_time is true when the series has no sample in the window: never ran, stopped, or renamed.
            query: `absent_over_time(${promqlName(metricName)}{monitored_resource="cloudsql_database"}[${props.maxAgeHours}h])`,
            duration: "0s",
            evaluationInterval: "300s",
            // The metric is created in the same apply and has no data yet: without this the API refuses the policy
            // (google v6.50.0, google/services/monitoring/resource_monitoring_alert_policy.go:401-410).
            disableMetricValidation: true,
          },
        },
      ],
      alertStrategy: { autoClose: "86400s" },
      dependsOn: [this.successMetric],
    });
    this.failed = new MonitoringAlertPolicy(this, "Failed", {
      displayName: `${title}: automated backup failed`,
      combiner: "OR",
      severity: "CRITICAL",
      notificationChannels: [...props.channels],
      documentation: documentation("An automated backup window ended without a successful backup (failed or overdue)"),
      // Any window status but success or a skipped window (an idle instance, "without problems"): present (":*") and
      // none of NOT_A_FAILURE, so an entry without the field never counts as a failure.
      conditions: [
        {
          displayName: "automated backup not successful",
          conditionMatchedLog: {
            filter: `${backupEntries} AND ${WINDOW_STATUS}:* AND ${NOT_A_FAILURE.map((status) => `NOT ${WINDOW_STATUS}="${status}"`).join(" AND ")}`,
          },
        },
      ],
      // Log-match policies require a notification rate limit.
      alertStrategy: { notificationRateLimit: { period: "3600s" }, autoClose: "86400s" },
    });
  }
}
