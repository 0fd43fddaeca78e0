import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { AlertTopic } from "../../constructs/alert-topic";
import { BACKUP_METRICS_FILTER, BackupAlarms } from "../../constructs/backup-alarms";
import { CloudSqlBackupAlerts, promqlName } from "../../constructs/cloud-sql-backup-alerts";
import { EncryptionKey } from "../../constructs/encryption-key";
import { BucketEncryption, SecureBucket } from "../../constructs/secure-bucket";
import { loadEnvironments } from "../../config";
import { constructStack, sharedStack, synth, Synthesized } from "../support/synth";

const envs = loadEnvironments();

function backupAlarms(maxAgeHours = 36) {
  const { stack } = constructStack();
  const key = new EncryptionKey(stack, "Key", { alias: "k", description: "k" });
  const bucket = new SecureBucket(stack, "Backups", { bucketName: "backups-example", encryption: BucketEncryption.kms(key), lifecycle: { noncurrentVersionDays: 1 } });
  new BackupAlarms(stack, "Alarms", {
    bucket,
    prefix: "backups/",
    name: "packagecloud-ops-offsite-db",
    maxAgeHours,
    minSizeBytes: 1073741824,
    topicArn: "arn:aws:sns:us-west-1:111122223333:alerts",
    runbookUrl: "https://runbooks.example.com/backups",
  });
  return synth(stack);
}

describe("BackupAlarms", () => {
  const out = backupAlarms();
  const stale = out.resource("aws_cloudwatch_metric_alarm", "alarms_stale");
  const small = out.resource("aws_cloudwatch_metric_alarm", "alarms_too_small");

  it("publishes S3 request metrics for the backup prefix only", () => {
    expect(out.resource("aws_s3_bucket_metric", "alarms_request_metrics")).toMatchObject({
      name: BACKUP_METRICS_FILTER,
      filter: { prefix: "backups/" },
    });
  });

  it("alarms when no backup arrived in N hours, treating missing data as breaching", () => {
    expect(stale).toMatchObject({
      namespace: "AWS/S3",
      metric_name: "PutRequests",
      dimensions: { BucketName: "${aws_s3_bucket.backups.bucket}", FilterId: BACKUP_METRICS_FILTER },
      statistic: "Sum",
      period: 3600,
      evaluation_periods: 36,
      datapoints_to_alarm: 36,
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      treat_missing_data: "breaching",
      alarm_actions: ["arn:aws:sns:us-west-1:111122223333:alerts"],
      ok_actions: ["arn:aws:sns:us-west-1:111122223333:alerts"],
    });
    expect(stale.period * stale.evaluation_periods).toBe(36 * 3600);
  });

  it("alarms when the last day's uploads are smaller than the expected size", () => {
    expect(small).toMatchObject({ metric_name: "BytesUploaded", statistic: "Sum", period: 86400, threshold: 1073741824, comparison_operator: "LessThanThreshold" });
  });

  it("links the runbook from every alarm", () => {
    expect(stale.alarm_description).toMatch(/Runbook: https:\/\/runbooks\.example\.com\/backups/);
    expect(small.alarm_description).toMatch(/Runbook:/);
  });

  it("fails if the window exceeds CloudWatch's 7-day evaluation limit", () => {
    expect(() => backupAlarms(169)).toThrow(/BackupAlarms test\/Alarms: maxAgeHours must be whole hours from 1 to 168, CloudWatch's 7-day limit \(got 169\)/);
  });
});

describe("AlertTopic", () => {
  type Endpoints = ConstructorParameters<typeof AlertTopic>[2]["httpsEndpoints"];
  function topic(httpsEndpoints: Endpoints = [{ variable: "pagerduty_cloudwatch_url", receiver: "pagerduty" }]) {
    const { stack } = constructStack();
    new AlertTopic(stack, "Alerts", { environment: "ops", accountId: "111122223333", emails: ["sre@example.com"], httpsEndpoints });
    return synth(stack);
  }
  const out = topic();

  it("encrypts the topic with a customer key that CloudWatch may use for this account only", () => {
    expect(out.resource("aws_sns_topic", "alerts").kms_master_key_id).toBe("${aws_kms_key.alerts_key.arn}");
    const keyPolicy = Synthesized.policy(out.resource("aws_kms_key", "alerts_key").policy);
    expect(keyPolicy.Statement.find((s) => s.Sid === "ServicesUseKey")).toEqual({
      Sid: "ServicesUseKey",
      Effect: "Allow",
      Principal: { Service: ["cloudwatch.amazonaws.com"] },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
    });
  });

  it("subscribes the e-mail addresses, and the paging endpoint from a sensitive variable, never a literal", () => {
    const subscriptions = Object.values(out.resources("aws_sns_topic_subscription")) as any[];
    expect(subscriptions.map((s) => [s.protocol, s.endpoint]).sort()).toEqual([
      ["email", "sre@example.com"],
      ["https", "${var.pagerduty_cloudwatch_url}"],
    ]);
    expect(out.json.variable.pagerduty_cloudwatch_url).toMatchObject({ type: "string", sensitive: true, nullable: false });
    // A real target gets no default: a plan without TF_VAR_pagerduty_cloudwatch_url must stop.
    expect(out.json.variable.pagerduty_cloudwatch_url).not.toHaveProperty("default");
  });

  it("gives the endpoint variables a default only when told to (the emulator target, which sends nothing)", () => {
    const { stack } = constructStack();
    new AlertTopic(stack, "Alerts", {
      environment: "ops",
      accountId: "111122223333",
      emails: [],
      httpsEndpoints: [{ variable: "pagerduty_cloudwatch_url", receiver: "pagerduty" }],
      endpointDefault: (name) => `https://alerts.invalid/emulator/${name}`,
    });
    expect(synth(stack).json.variable.pagerduty_cloudwatch_url.default).toBe("https://alerts.invalid/emulator/pagerduty_cloudwatch_url");
  });

  it("fails if no paging endpoint is configured (e-mail alone went nowhere in seed 002)", () => {
    expect(() => topic([])).toThrow(/AlertTopic test\/Alerts: httpsEndpoints must name at least one paging endpoint/);
  });

  it("lets Terraform wait for confirmation only from a receiver that confirms by itself (PagerDuty), not a webhook", () => {
    const both = topic([
      { variable: "pagerduty_cloudwatch_url", receiver: "pagerduty" },
      { variable: "alerts_webhook_url", receiver: "webhook" },
    ]);
    expect(both.resource("aws_sns_topic_subscription", "alerts_https_pagerduty_cloudwatch_url").endpoint_auto_confirms).toBe(true);
    expect(both.resource("aws_sns_topic_subscription", "alerts_https_alerts_webhook_url").endpoint_auto_confirms).toBe(false);
  });
});

describe.each(["pre", "ops"] as const)("alarms of packagecloud-%s-storage", (name) => {
  const env = envs[name];
  const out = sharedStack(name, "storage");

  it("derive every window and threshold from the environment's config", () => {
    const offsite = out.resource("aws_cloudwatch_metric_alarm", "offsite_backup_alarms_stale");
    expect(offsite.evaluation_periods).toBe(env.monitoring.offsiteBackups.maxAgeHours);
    expect(offsite.dimensions.BucketName).toBe("${aws_s3_bucket.offsite_backups_bucket.bucket}");
    // Both environments run the gke variant: nothing writes the VM's daily backups, so they have no alarm
    // (test/stacks/backup-writers.test.ts covers the vm variant).
    expect(out.resources("aws_cloudwatch_metric_alarm").daily_backup_alarms_stale).toBeUndefined();
    expect(out.resource("aws_cloudwatch_metric_alarm", "replication_alarms_latency").threshold).toBe(env.monitoring.replication.maxLatencySeconds);
    expect(out.resource("aws_s3_bucket_metric", "offsite_backup_alarms_request_metrics").filter).toEqual({ prefix: env.storage.offsiteBackups.prefix });
  });

  it("alarm on failed replication, from metrics the replication rule publishes", () => {
    expect(out.resource("aws_cloudwatch_metric_alarm", "replication_alarms_failed")).toMatchObject({
      metric_name: "OperationsFailedReplication",
      dimensions: { SourceBucket: "${aws_s3_bucket.packages_source.bucket}", DestinationBucket: "${aws_s3_bucket.packages_replica.bucket}", RuleId: "replicate-everything" },
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
    });
    const [rule] = out.resource("aws_s3_bucket_replication_configuration", "packages_replication").rule;
    // Without Replication Time Control S3 still publishes both metrics; an event threshold would need RTC.
    expect(rule.destination.metrics).toEqual({ status: "Enabled" });
    expect(rule.destination.replication_time).toBeUndefined();
  });

  it("subscribe each configured https endpoint, auto-confirming only where its receiver confirms by itself", () => {
    for (const { variable, receiver } of env.monitoring.notifications.httpsEndpoints) {
      expect(out.resource("aws_sns_topic_subscription", `alerts_https_${variable}`).endpoint_auto_confirms).toBe(receiver === "pagerduty");
    }
  });

  it("all notify the environment's one topic", () => {
    for (const alarm of Object.values(out.resources("aws_cloudwatch_metric_alarm")) as any[]) {
      expect(alarm.alarm_actions).toEqual(["${aws_sns_topic.alerts.arn}"]);
    }
    expect(Object.keys(out.resources("aws_sns_topic"))).toEqual(["alerts"]);
  });
});

describe("CloudSqlBackupAlerts", () => {
  it("fires on absence of a successful backup in the window, and on a logged failure, to the configured channels", () => {
    const out = sharedStack("ops", "gke");
    const metric = out.resource("google_logging_metric", "database_backup_alerts_success_metric");
    expect(metric.filter).toContain('protoPayload.methodName="cloudsql.instances.automatedBackup"');
    // Cloud SQL docs ("View audit logs for automated backups"): the outcome is in the windowStatus field.
    expect(metric.filter).toMatch(/AND protoPayload\.metadata\.windowStatus="STATUS_SUCCEEDED"$/);
    expect(metric.filter).not.toContain("severity");
    const stale = out.resource("google_monitoring_alert_policy", "database_backup_alerts_stale");
    expect(stale.conditions[0].condition_prometheus_query_language.query).toBe(
      `absent_over_time(${promqlName(metric.name)}{monitored_resource="cloudsql_database"}[${envs.ops.monitoring.cloudSqlBackups.maxAgeHours}h])`,
    );
    // A fresh deploy: no automated backup yet, so the absence is true and notifies nobody (firstBackupPending) until
    // the due date, from which Terraform's own clock turns the channels on (the first plan on or after it).
    expect(envs.ops.monitoring.cloudSqlBackups.firstBackupPending).toBe(true);
    expect(stale.notification_channels).toBe(
      `\${timecmp(plantimestamp(), "${envs.ops.monitoring.cloudSqlBackups.firstBackupDueBy}T00:00:00Z") >= 0 ? ${JSON.stringify(envs.ops.monitoring.notifications.gcpChannels)} : []}`,
    );
    expect(stale.documentation.content).toMatch(/Notifications are off until the first backup succeeds \(monitoring\.cloudSqlBackups\.firstBackupPending in config\)/);
    // The metric is created in the same apply: the API would refuse a PromQL condition on a metric it has not seen.
    expect(stale.conditions[0].condition_prometheus_query_language.disable_metric_validation).toBe(true);
    const failed = out.resource("google_monitoring_alert_policy", "database_backup_alerts_failed");
    const filter: string = failed.conditions[0].condition_matched_log.filter;
    expect(filter).toMatch(/AND protoPayload\.metadata\.windowStatus:\* AND NOT protoPayload\.metadata\.windowStatus="STATUS_SUCCEEDED"/);
    // The Admin API's SqlBackupRunStatus: SKIPPED is "skipped (without problems) … Example: Instance was idle"; FAILED
    // and OVERDUE indicate a problem. The filter's exclusions decide which window outcomes page.
    const excluded = [...filter.matchAll(/NOT protoPayload\.metadata\.windowStatus="([A-Z_]+)"/g)].map((m) => m[1]);
    const pages = (status: string) => !excluded.includes(status);
    expect(["STATUS_SUCCEEDED", "STATUS_SKIPPED"].filter(pages)).toEqual([]);
    expect(["STATUS_FAILED", "STATUS_OVERDUE"].every(pages)).toBe(true);
    expect(failed.alert_strategy.notification_rate_limit).toEqual({ period: "3600s" });
  });

  it.each([true, false])("firstBackupPending %s: the stale policy notifies nobody / the channels; the failed policy always notifies", (pending) => {
    const { stack } = constructStack();
    new GoogleProvider(stack, "google", { project: "gitlab-ops" });
    new CloudSqlBackupAlerts(stack, "Alerts", { environment: "ops", project: "gitlab-ops", instanceName: "db", maxAgeHours: 36, firstBackupPending: pending, channels: ["projects/gitlab-ops/notificationChannels/1"], runbookUrl: "https://x" });
    const out = synth(stack);
    expect(out.resource("google_monitoring_alert_policy", "alerts_stale").notification_channels).toEqual(pending ? [] : ["projects/gitlab-ops/notificationChannels/1"]);
    expect(out.resource("google_monitoring_alert_policy", "alerts_failed").notification_channels).toEqual(["projects/gitlab-ops/notificationChannels/1"]);
  });

  it("names the log-based metric as Cloud Monitoring's PromQL does", () => {
    expect(promqlName("packagecloud_ops_sql_backup_succeeded")).toBe("logging_googleapis_com:user_packagecloud_ops_sql_backup_succeeded");
  });

  it("fails without a notification channel", () => {
    const { stack } = constructStack();
    expect(
      () => new CloudSqlBackupAlerts(stack, "Alerts", { environment: "ops", project: "gitlab-ops", instanceName: "db", maxAgeHours: 36, channels: [], runbookUrl: "https://x" }),
    ).toThrow(/CloudSqlBackupAlerts test\/Alerts: channels must list at least one notification channel/);
  });
});
