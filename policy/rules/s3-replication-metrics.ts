import { finding, type Rule } from "../engine";

const first = (value: unknown): any => [value].flat()[0];

/**
 * Replication metrics and Replication Time Control (RTC) must agree, or S3 refuses the whole
 * PutBucketReplication call and neither replication nor its alarms exist. moto accepts the mismatch; AWS does not.
 *
 * - Metrics.EventThreshold is "the time threshold for emitting the s3:Replication:OperationMissedThreshold
 *   event", an RTC event: S3 answers "Metrics cannot contain an event threshold when ReplicationTime is not
 *   specified or Disabled" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Metrics.html).
 * - ReplicationTime "must be specified together with a Metrics block"
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationTime.html).
 * - Without RTC, enabled metrics still publish OperationsFailedReplication and ReplicationLatency
 *   ("You can enable S3 Replication metrics independently of S3 RTC",
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html).
 */
export const s3ReplicationMetrics: Rule = {
  id: "PC_S3_REPLICATION_METRICS",
  maps: [],
  title: "S3 replication metrics and Replication Time Control are consistent (event threshold only with RTC, RTC only with metrics)",
  fix:
    "Drop destination.metrics.event_threshold unless replication_time { status = \"Enabled\" } is set; set metrics { status = \"Enabled\" } " +
    "whenever replication_time is (S3 API reference: API_Metrics.html, API_ReplicationTime.html)",
  check(stack) {
    return stack.resources("aws_s3_bucket_replication_configuration").flatMap((config) =>
      [config.config.rule].flat().flatMap((rule: any) => {
        const destination = first(rule?.destination);
        const metrics = first(destination?.metrics);
        const rtc = first(destination?.replication_time);
        const rtcOn = rtc?.status === "Enabled";
        const name = `rule ${rule?.id ?? "(unnamed)"}`;
        const problems: string[] = [];
        if (metrics && first(metrics.event_threshold) && !rtcOn) {
          problems.push(`${name} sets metrics.event_threshold without replication_time enabled; S3 refuses it ("Metrics cannot contain an event threshold when ReplicationTime is not specified or Disabled")`);
        }
        if (rtc && metrics?.status !== "Enabled") problems.push(`${name} sets replication_time without metrics enabled; S3 requires both`);
        return problems.map((p) => finding(this, config, p));
      }),
    );
  },
};
