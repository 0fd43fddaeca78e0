/**
 * The generated Prometheus rules: structure, thresholds derived from the definitions, labels and annotations on
 * every alert, and the validation of the definitions. Whether the rules behave is tested with the real promtool
 * in test/engine/promtool.test.ts.
 */
import { parse } from "yaml";
import {
  BACKUP_AGE_RECORD,
  BACKUP_COUNT_RECORD,
  BACKUP_LAST_SIZE_RECORD,
  type BackupMonitor,
  type MonitoringDefinitions,
  type ReplicationMonitor,
  validateDefinitions,
} from "../../monitoring/definitions";
import {
  ALERTS,
  type AlertingRule,
  formatBytes,
  prometheusRules,
  prometheusRulesYaml,
  type RecordingRule,
} from "../../monitoring/prometheus-rules";

const GB = 1e9;
const DEFS: MonitoringDefinitions = {
  environment: "ops",
  backups: [
    { name: "offsite-db", description: "database dump copied off site", maxAgeHours: 36, minSizeBytes: 300 * GB, runbookUrl: "https://runbooks.example.com/backups#offsite-db" },
    { name: "daily-db", description: "nightly database dump", maxAgeHours: 36, minSizeBytes: 50 * GB, runbookUrl: "https://runbooks.example.com/backups#daily-db" },
    { name: "vm-data-snapshots", description: "EBS snapshots of the data disk", maxAgeHours: 26, minSizeBytes: 0, runbookUrl: "https://runbooks.example.com/backups#snapshots" },
  ],
  replication: [{ bucket: "packages-gitlab-com", maxLatencySeconds: 900, runbookUrl: "https://runbooks.example.com/backups#replication" }],
};

const rules = prometheusRules(DEFS);
const allRules = rules.groups.flatMap((group) => group.rules);
const alerts = allRules.filter((rule): rule is AlertingRule => "alert" in rule);
const records = allRules.filter((rule): rule is RecordingRule => "record" in rule);
const alertFor = (name: string, subject: string) => {
  const found = alerts.filter((a) => a.alert === name && (a.labels.backup === subject || a.labels.bucket === subject));
  expect(found).toHaveLength(1);
  return found[0];
};

describe("prometheusRules", () => {
  it("has one recording group, one backup alert group and one replication alert group, uniquely named", () => {
    expect(rules.groups.map((group) => group.name)).toEqual([
      "packagecloud-backup-recording",
      "packagecloud-backup-alerts",
      "packagecloud-replication-alerts",
    ]);
  });

  it("records count, size and age of the last backup by backup, labelled with the environment", () => {
    expect(records).toEqual([
      { record: BACKUP_COUNT_RECORD, expr: "max by (backup) (packagecloud_backup_count)", labels: { environment: "ops" } },
      { record: BACKUP_LAST_SIZE_RECORD, expr: "max by (backup) (packagecloud_backup_last_size_bytes)", labels: { environment: "ops" } },
      {
        record: BACKUP_AGE_RECORD,
        expr: "time() - max by (backup) (packagecloud_backup_last_success_timestamp_seconds)",
        labels: { environment: "ops" },
      },
    ]);
  });

  it("gives every backup exactly one stale, one too-small and one failed alert", () => {
    for (const backup of DEFS.backups) {
      const kinds = alerts.filter((a) => a.labels.backup === backup.name).map((a) => a.alert);
      expect(kinds.sort()).toEqual([ALERTS.backupFailed, ALERTS.backupStale, ALERTS.backupTooSmall].sort());
    }
    expect(alerts.filter((a) => "backup" in a.labels)).toHaveLength(3 * DEFS.backups.length);
  });

  it("never has two alerts with the same name for the same backup or bucket", () => {
    const keys = alerts.map((a) => `${a.alert}/${a.labels.backup ?? a.labels.bucket}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("alerts on a stale backup, and on a metric absent for 30 minutes, per backup (absent_over_time of an unaggregated selector)", () => {
    expect(alertFor(ALERTS.backupStale, "offsite-db")).toMatchObject({
      expr:
        '(absent_over_time(packagecloud_backup_last_success_timestamp_seconds{backup="offsite-db"}[30m])) or ' +
        `(time() - max by (backup) (packagecloud_backup_last_success_timestamp_seconds{backup="offsite-db"}) > ${36 * 3600})`,
      for: "15m",
    });
    expect(alertFor(ALERTS.backupStale, "vm-data-snapshots").expr).toMatch(
      new RegExp(`^\\(absent_over_time\\(packagecloud_backup_last_success_timestamp_seconds\\{backup="vm-data-snapshots"\\}\\[30m\\]\\)\\) or .* > ${26 * 3600}\\)$`),
    );
  });

  it("while pending, treats a never-reported metric as pending until its first report or the due date, and pages a push group's loss", () => {
    const pending = prometheusRules({ ...DEFS, backups: [{ ...DEFS.backups[0], pendingUntil: 1801353600, pushGroup: true }] });
    const rule = (name: string) => pending.groups.flatMap((g) => g.rules).find((r): r is AlertingRule => "alert" in r && r.alert === name)!;
    const never = 'absent_over_time(packagecloud_backup_last_success_timestamp_seconds{backup="offsite-db"}[31d]) and on() (vector(time()) < 1801353600)';
    expect(rule(ALERTS.firstBackupPending)).toMatchObject({ expr: `(${never})`, labels: { severity: "ticket" } });
    expect(rule(ALERTS.backupStale).expr).toBe(
      `((absent_over_time(packagecloud_backup_last_success_timestamp_seconds{backup="offsite-db"}[30m]) unless on() (${never})) ` +
        'unless on() absent_over_time(push_time_seconds{backup="offsite-db"}[30m])) or ' +
        `(time() - max by (backup) (packagecloud_backup_last_success_timestamp_seconds{backup="offsite-db"}) > ${36 * 3600})`,
    );
    expect(rule(ALERTS.pushGroupMissing)).toMatchObject({
      expr:
        '(absent_over_time(push_time_seconds{backup="offsite-db"}[30m]) unless on() ' +
        '(absent_over_time(push_time_seconds{backup="offsite-db"}[31d]) and on() (vector(time()) < 1801353600)))',
      labels: { severity: "page", environment: "ops", backup: "offsite-db" },
    });
  });

  it("alerts on a backup smaller than minSizeBytes", () => {
    expect(alertFor(ALERTS.backupTooSmall, "offsite-db")).toMatchObject({
      expr: `packagecloud_backup_last_size_bytes{backup="offsite-db"} < ${300 * GB}`,
      for: "15m",
    });
    expect(alertFor(ALERTS.backupTooSmall, "daily-db").expr).toBe('packagecloud_backup_last_size_bytes{backup="daily-db"} < 50000000000');
    expect(alertFor(ALERTS.backupTooSmall, "offsite-db").annotations.summary).toContain("smaller than 300 GB");
  });

  it("alerts on a backup run that exited non-zero", () => {
    expect(alertFor(ALERTS.backupFailed, "daily-db")).toMatchObject({
      // 143 (SIGTERM: evicted, drained, past the deadline) is an interruption, not a failure.
      expr: 'packagecloud_backup_last_exit_code{backup="daily-db"} != 0 and packagecloud_backup_last_exit_code{backup="daily-db"} != 143',
      for: "5m",
    });
  });

  it("pages for stale and failed backups, tickets for small ones, labelled with environment and backup", () => {
    for (const backup of DEFS.backups) {
      expect(alertFor(ALERTS.backupStale, backup.name).labels).toEqual({ severity: "page", environment: "ops", backup: backup.name });
      expect(alertFor(ALERTS.backupFailed, backup.name).labels).toEqual({ severity: "page", environment: "ops", backup: backup.name });
      expect(alertFor(ALERTS.backupTooSmall, backup.name).labels).toEqual({ severity: "ticket", environment: "ops", backup: backup.name });
    }
  });

  it("alerts on failed replication within a 15m window, without delay, and on replication latency above the maximum", () => {
    expect(alertFor(ALERTS.replicationFailing, "packages-gitlab-com")).toEqual(
      expect.objectContaining({
        expr: 'max_over_time(aws_s3_operations_failed_replication_sum{bucket="packages-gitlab-com"}[15m]) > 0',
        labels: { severity: "ticket", environment: "ops", bucket: "packages-gitlab-com" },
      }),
    );
    expect(alertFor(ALERTS.replicationFailing, "packages-gitlab-com")).not.toHaveProperty("for");
    expect(alertFor(ALERTS.replicationLagging, "packages-gitlab-com")).toMatchObject({
      expr: 'aws_s3_replication_latency_maximum{bucket="packages-gitlab-com"} > 900',
      for: "15m",
      labels: { severity: "ticket", environment: "ops", bucket: "packages-gitlab-com" },
    });
  });

  it("gives every alert a summary, a description and the definition's runbook URL", () => {
    const runbooks = new Map<string, string>([
      ...DEFS.backups.map((b) => [b.name, b.runbookUrl] as const),
      ...DEFS.replication.map((r) => [r.bucket, r.runbookUrl] as const),
    ]);
    for (const a of alerts) {
      expect(a.annotations.summary).toMatch(/\S/);
      expect(a.annotations.description).toMatch(/\S/);
      expect(a.annotations.runbook_url).toBe(runbooks.get(a.labels.backup ?? a.labels.bucket));
    }
  });

  it("leaves out the replication group when nothing is replicated", () => {
    expect(prometheusRules({ ...DEFS, replication: [] }).groups.map((g) => g.name)).not.toContain("packagecloud-replication-alerts");
  });
});

describe("prometheusRulesYaml", () => {
  const yaml = prometheusRulesYaml(DEFS);

  it("is the rule object as YAML", () => {
    expect(parse(yaml)).toEqual(JSON.parse(JSON.stringify(rules)));
  });

  it("keeps each expression on one line and uses no YAML aliases", () => {
    for (const a of alerts) expect(yaml).toContain(`expr: ${a.expr}`);
    expect(yaml).not.toMatch(/[&*]a\d/);
  });
});

describe("formatBytes", () => {
  it.each([
    [300 * GB, "300 GB"],
    [1.5e12, "1.5 TB"],
    [50 * GB, "50 GB"],
    [2_500_000, "2.5 MB"],
    [512, "512 bytes"],
  ])("formats %d as %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe("validation", () => {
  const backup = (changes: Partial<BackupMonitor>): MonitoringDefinitions => ({
    ...DEFS,
    backups: [{ ...DEFS.backups[0], ...changes }, ...DEFS.backups.slice(1)],
  });
  const replication = (changes: Partial<ReplicationMonitor>): MonitoringDefinitions => ({
    ...DEFS,
    replication: [{ ...DEFS.replication[0], ...changes }],
  });

  it("accepts the definitions used above", () => {
    expect(() => validateDefinitions(DEFS)).not.toThrow();
  });

  it.each<[string, MonitoringDefinitions, RegExp]>([
    ["pendingUntil is not a whole Unix time", backup({ pendingUntil: 1.5 }), /backups\[0\]\.pendingUntil 1.5 must be a Unix time in whole seconds > 0/],
    ["the environment is empty", { ...DEFS, environment: "" }, /MonitoringDefinitions \(""\): environment "" must be a non-empty environment name/],
    ["a backup name is empty", backup({ name: "" }), /MonitoringDefinitions \("ops"\): backups\[0\]\.name "" must not be empty/],
    ["a backup name has capitals", backup({ name: "Offsite-DB" }), /backups\[0\]\.name "Offsite-DB" must match \/\^\[a-z0-9-\]\+\$\//],
    ["a backup name has a quote", backup({ name: 'db"}' }), /backups\[0\]\.name "db\\"}" must match/],
    [
      "two backups share a name",
      { ...DEFS, backups: [...DEFS.backups, { ...DEFS.backups[1] }] },
      /backups\[3\]\.name "daily-db" duplicates backups\[1\]\.name/,
    ],
    ["the description is blank", backup({ description: " " }), /backups\[0\]\.description " " must say what the backup holds/],
    ["maxAgeHours is 0", backup({ maxAgeHours: 0 }), /backups\[0\]\.maxAgeHours 0 must be a number of hours > 0/],
    ["maxAgeHours is negative", backup({ maxAgeHours: -36 }), /backups\[0\]\.maxAgeHours -36 must be a number of hours > 0/],
    ["maxAgeHours is NaN", backup({ maxAgeHours: NaN }), /backups\[0\]\.maxAgeHours NaN must be a number of hours > 0/],
    ["minSizeBytes is negative", backup({ minSizeBytes: -1 }), /backups\[0\]\.minSizeBytes -1 must be a whole number of bytes >= 0/],
    ["minSizeBytes is fractional", backup({ minSizeBytes: 1.5 }), /backups\[0\]\.minSizeBytes 1.5 must be a whole number of bytes/],
    ["the runbook URL is relative", backup({ runbookUrl: "runbooks/backups" }), /backups\[0\]\.runbookUrl "runbooks\/backups" must be an absolute https:\/\/ URL/],
    ["the runbook URL is plain http", backup({ runbookUrl: "http://runbooks.example.com" }), /backups\[0\]\.runbookUrl "http:\/\/runbooks.example.com" must be an absolute https/],
    ["the runbook URL is empty", backup({ runbookUrl: "" }), /backups\[0\]\.runbookUrl "" must be an absolute https/],
    ["a bucket name is invalid", replication({ bucket: "Packages_GitLab" }), /replication\[0\]\.bucket "Packages_GitLab" must be an S3 bucket name/],
    [
      "two replication monitors share a bucket",
      { ...DEFS, replication: [DEFS.replication[0], DEFS.replication[0]] },
      /replication\[1\]\.bucket "packages-gitlab-com" duplicates replication\[0\]\.bucket/,
    ],
    ["maxLatencySeconds is 0", replication({ maxLatencySeconds: 0 }), /replication\[0\]\.maxLatencySeconds 0 must be a number of seconds > 0/],
    ["a replication runbook URL is bad", replication({ runbookUrl: "see wiki" }), /replication\[0\]\.runbookUrl "see wiki" must be an absolute https/],
  ])("fails if %s", (_case, defs, message) => {
    expect(() => validateDefinitions(defs)).toThrow(message);
    expect(() => prometheusRules(defs)).toThrow(message);
  });
});
