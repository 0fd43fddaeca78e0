/**
 * CloudWatch alarms on S3 replication (metrics enabled on the replication rule by ReplicatedBucket): any failed
 * replication operation, and replication latency above a threshold. Nobody wires these by default, and broken
 * replication then goes unnoticed for months (REFERENCE §2).
 *
 * @example
 *   new ReplicationAlarms(this, "ReplicationAlarms", { packages, name: "packagecloud-ops-packages", maxLatencySeconds: 900, topicArn, runbookUrl });
 */
import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { REPLICATION_RULE_ID, type ReplicatedBucket } from "./replicated-bucket";

export interface ReplicationAlarmsProps {
  readonly packages: ReplicatedBucket;
  readonly name: string;
  readonly maxLatencySeconds: number;
  readonly topicArn: string;
  readonly runbookUrl: string;
}

export class ReplicationAlarms extends Construct {
  readonly failed: CloudwatchMetricAlarm;
  readonly latency: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: ReplicationAlarmsProps) {
    super(scope, id);
    const source = props.packages.source.bucketName;
    const dimensions = { SourceBucket: source, DestinationBucket: props.packages.replica.bucketName, RuleId: REPLICATION_RULE_ID };
    const actions = { alarmActions: [props.topicArn], okActions: [props.topicArn] };
    this.failed = new CloudwatchMetricAlarm(this, "Failed", {
      alarmName: `${props.name}-replication-failed`,
      alarmDescription: `Objects of s3://${source} failed to replicate. Runbook: ${props.runbookUrl}`,
      namespace: "AWS/S3",
      metricName: "OperationsFailedReplication",
      dimensions,
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      // S3 publishes the metric while there is replication traffic; no traffic means nothing failed.
      treatMissingData: "notBreaching",
      ...actions,
    });
    this.latency = new CloudwatchMetricAlarm(this, "Latency", {
      alarmName: `${props.name}-replication-lagging`,
      alarmDescription: `Replication of s3://${source} lags more than ${props.maxLatencySeconds} s. Runbook: ${props.runbookUrl}`,
      namespace: "AWS/S3",
      metricName: "ReplicationLatency",
      dimensions,
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 3,
      comparisonOperator: "GreaterThanThreshold",
      threshold: props.maxLatencySeconds,
      treatMissingData: "notBreaching",
      ...actions,
    });
  }
}
