/**
 * CloudWatch alarms on a backup bucket, from S3 request metrics filtered to the backup prefix:
 * - no new backup object for N hours, **in alarm when data is missing** (S3 publishes request metrics only when
 *   there are requests, so silence is exactly the failure seed 002 describes);
 * - the last day's uploads are smaller than the expected backup size.
 * CloudWatch sees upload volume, not an object's size: the size alarm is the closest it can say; the Prometheus
 * rules (monitoring/) check the exact size the backup job reports.
 *
 * @example
 *   new BackupAlarms(this, "OffsiteBackupAlarms", { bucket: offsite.bucket, prefix: "backups/", name: "offsite-db",
 *     maxAgeHours: 36, minSizeBytes: 1 << 30, topicArn, runbookUrl });
 */
import { Construct } from "constructs";
import { Token, type IResolvable } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { S3BucketMetric } from "@cdktf/provider-aws/lib/s3-bucket-metric";
import type { SecureBucket } from "./secure-bucket";

/** The request-metrics filter's id, and so the FilterId dimension of its metrics. */
export const BACKUP_METRICS_FILTER = "backups";

export interface BackupAlarmsProps {
  readonly bucket: SecureBucket;
  readonly prefix: string;
  /** Names the alarms, e.g. `packagecloud-ops-offsite-db`. */
  readonly name: string;
  readonly maxAgeHours: number;
  readonly minSizeBytes: number;
  readonly topicArn: string;
  readonly runbookUrl: string;
  /**
   * Configure the bucket's request-metrics filter. Only a target whose S3 API cannot (the emulator) turns it off.
   * @default - true
   */
  readonly configureRequestMetrics?: boolean;
  /**
   * Whether the alarms notify. False until the first backup has landed (config `firstBackupPending`): the alarms
   * exist and show their state, but a deploy does not page for a backup that cannot exist yet.
   * @default - true
   */
  readonly notify?: boolean;
  /**
   * While `notify` is false: the date (YYYY-MM-DD, UTC) from which the alarms notify anyway, so the pending state
   * ends by itself (config `firstBackupDueBy`). `actions_enabled` is then Terraform's own
   * `timecmp(plantimestamp(), "<date>T00:00:00Z") >= 0`: false in every plan before the date, true in the first plan
   * on or after it, which the scheduled drift job reports as a pending change until it is deployed.
   * @default - none: notifications stay off until `notify` is true
   */
  readonly notifyFrom?: string;
}

/** Terraform's "this plan runs on or after <date>", for an attribute that must turn on by itself (see notifyFrom). */
export function fromDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`fromDate: ${date} is not a date YYYY-MM-DD`);
  return `timecmp(plantimestamp(), "${date}T00:00:00Z") >= 0`;
}

export class BackupAlarms extends Construct {
  readonly stale: CloudwatchMetricAlarm;
  readonly tooSmall: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: BackupAlarmsProps) {
    super(scope, id);
    if (!Number.isInteger(props.maxAgeHours) || props.maxAgeHours < 1 || props.maxAgeHours > 168) {
      throw new Error(`BackupAlarms ${this.node.path}: maxAgeHours must be whole hours from 1 to 168, CloudWatch's 7-day limit (got ${props.maxAgeHours})`);
    }
    const metrics =
      props.configureRequestMetrics === false
        ? []
        : [new S3BucketMetric(this, "RequestMetrics", { bucket: props.bucket.bucket.id, name: BACKUP_METRICS_FILTER, filter: { prefix: props.prefix } })];
    const dimensions = { BucketName: props.bucket.bucketName, FilterId: BACKUP_METRICS_FILTER };
    const notify = props.notify ?? true;
    const enabled: boolean | IResolvable = notify || props.notifyFrom === undefined ? notify : Token.asAny(`\${${fromDate(props.notifyFrom)}}`);
    const actions = { alarmActions: [props.topicArn], okActions: [props.topicArn], actionsEnabled: enabled };
    const pending = notify
      ? ""
      : ` Notifications are off until the first backup lands (firstBackupPending in config)${props.notifyFrom ? `, and on from ${props.notifyFrom} whatever the flag says (firstBackupDueBy)` : ""}.`;

    this.stale = new CloudwatchMetricAlarm(this, "Stale", {
      alarmName: `${props.name}-backup-stale`,
      alarmDescription: `No new backup under s3://${props.bucket.bucketName}/${props.prefix} for ${props.maxAgeHours} h (or no data at all).${pending} Runbook: ${props.runbookUrl}`,
      namespace: "AWS/S3",
      metricName: "PutRequests",
      dimensions,
      statistic: "Sum",
      period: 3600,
      // Every one of the last N hours saw no upload: "no backup for N hours".
      evaluationPeriods: props.maxAgeHours,
      datapointsToAlarm: props.maxAgeHours,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      // Missing data is the failure: S3 publishes nothing for an hour without uploads.
      treatMissingData: "breaching",
      ...actions,
      dependsOn: metrics,
    });
    this.tooSmall = new CloudwatchMetricAlarm(this, "TooSmall", {
      alarmName: `${props.name}-backup-too-small`,
      alarmDescription: `Less than ${props.minSizeBytes} bytes uploaded under s3://${props.bucket.bucketName}/${props.prefix} in the last day.${pending} Runbook: ${props.runbookUrl}`,
      namespace: "AWS/S3",
      metricName: "BytesUploaded",
      dimensions,
      statistic: "Sum",
      period: 86400,
      evaluationPeriods: 1,
      comparisonOperator: "LessThanThreshold",
      threshold: props.minSizeBytes,
      // A day without any upload is the stale alarm's to report; this one judges the uploads that happened.
      treatMissingData: "notBreaching",
      ...actions,
      dependsOn: metrics,
    });
  }
}
