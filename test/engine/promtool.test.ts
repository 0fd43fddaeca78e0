/**
 * The generated Prometheus rules, exercised by the real promtool: `promtool check rules` accepts the file, and
 * `promtool test rules` replays series for each way a backup goes wrong (including the seed incident: a metric
 * absent from the start, or one that disappears) and checks exactly which alerts fire, with which labels.
 * One more test removes the `absent()` branch and shows that promtool then catches the silent alert.
 *
 * promtool unit tests start at Unix time 0, so `time()` is the evaluation time and a "last success" timestamp of
 * 86400 means "finished 24h into the test".
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import {
  BACKUP_AGE_RECORD,
  BACKUP_COUNT_METRIC,
  BACKUP_COUNT_RECORD,
  BACKUP_LAST_EXIT_CODE_METRIC,
  BACKUP_LAST_SIZE_METRIC,
  BACKUP_LAST_SIZE_RECORD,
  BACKUP_LAST_SUCCESS_TIMESTAMP_METRIC,
  type MonitoringDefinitions,
  REPLICATION_FAILED_OPERATIONS_METRIC,
  REPLICATION_LATENCY_METRIC,
} from "../../monitoring/definitions";
import { ALERTS, type AlertingRule, prometheusRules, prometheusRulesYaml, type RuleFile } from "../../monitoring/prometheus-rules";
import { promtoolPath } from "../../operator/lib/tools";

const GB = 1e9;
const DEFS: MonitoringDefinitions = {
  environment: "ops",
  backups: [
    // Seed: the off-site database backup is suspect when "smaller than 300 GB".
    { name: "offsite-db", description: "database dump copied off site", maxAgeHours: 36, minSizeBytes: 300 * GB, runbookUrl: "https://runbooks.example.com/backups#offsite-db" },
    { name: "daily-db", description: "nightly database dump", maxAgeHours: 36, minSizeBytes: 50 * GB, runbookUrl: "https://runbooks.example.com/backups#daily-db" },
  ],
  replication: [{ bucket: "packages-gitlab-com", maxLatencySeconds: 900, runbookUrl: "https://runbooks.example.com/backups#replication" }],
};
const RULES = prometheusRules(DEFS);

/** Labels the scrape adds to the backup job's metrics (node_exporter's textfile collector). */
const NODE = { instance: "backup-1.ops.internal:9100", job: "node" };
/** Labels the scrape adds to the cloudwatch_exporter's metrics. */
const CLOUDWATCH = { job: "cloudwatch" };
/** Length of every input series: long enough to go past 36h. */
const HORIZON_MINUTES = 40 * 60;

const work = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-promtool-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let promtool: string;
beforeAll(() => {
  promtool = promtoolPath();
});

// --- promtool's unit-test format (https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/)

interface InputSeries {
  readonly series: string;
  readonly values: string;
}
interface ExpectedAlert {
  readonly exp_labels: Record<string, string>;
  readonly exp_annotations: Record<string, string>;
}
interface AlertRuleTest {
  readonly eval_time: string;
  readonly alertname: string;
  readonly exp_alerts: readonly ExpectedAlert[];
}
interface PromqlExprTest {
  readonly expr: string;
  readonly eval_time: string;
  readonly exp_samples: readonly { readonly labels: string; readonly value: number }[];
}
interface TestGroup {
  readonly name: string;
  readonly interval: string;
  readonly input_series: readonly InputSeries[];
  readonly alert_rule_test?: readonly AlertRuleTest[];
  readonly promql_expr_test?: readonly PromqlExprTest[];
}

const labelText = (labels: Record<string, string>) =>
  `{${Object.entries(labels).map(([name, value]) => `${name}="${value}"`).join(", ")}}`;
const series = (metric: string, labels: Record<string, string>, values: string): InputSeries => ({
  series: `${metric}${labelText(labels)}`,
  values,
});
/** One sample a minute, `value` for `minutes` minutes (promtool's `a x n` gives n + 1 samples). */
const flat = (value: number, minutes = HORIZON_MINUTES) => `${value}x${minutes - 1}`;
const minutes = (n: number) => `${n}m`;

type BackupMetric = "lastSuccess" | "size" | "exitCode" | "count";
type Overrides = Partial<Record<string, Partial<Record<BackupMetric, string | null>>>>;

/**
 * Every backup healthy: a successful run every 24h (at 0h and 24h), 1.5 times its minimum size, exit code 0.
 * `overrides[backup][metric]` replaces one series' values; null leaves that series out.
 */
function backupSeries(overrides: Overrides = {}): InputSeries[] {
  const daily = [0, 1, 2].map((day) => `${day * 86400}x1439`).join(" ");
  return DEFS.backups.flatMap((backup) => {
    const values: Record<BackupMetric, string | null> = {
      lastSuccess: daily,
      size: flat(backup.minSizeBytes * 1.5),
      exitCode: flat(0),
      count: flat(7),
      ...overrides[backup.name],
    };
    const metrics: Record<BackupMetric, string> = {
      lastSuccess: BACKUP_LAST_SUCCESS_TIMESTAMP_METRIC,
      size: BACKUP_LAST_SIZE_METRIC,
      exitCode: BACKUP_LAST_EXIT_CODE_METRIC,
      count: BACKUP_COUNT_METRIC,
    };
    return (Object.keys(metrics) as BackupMetric[]).flatMap((metric) => {
      const v = values[metric];
      return v === null ? [] : [series(metrics[metric], { backup: backup.name, ...NODE }, v)];
    });
  });
}

/** Replication healthy: no failed operations, 30 s behind. */
function replicationSeries(overrides: { failed?: string; latency?: string } = {}): InputSeries[] {
  const bucket = { bucket: "packages-gitlab-com", ...CLOUDWATCH };
  return [
    series(REPLICATION_FAILED_OPERATIONS_METRIC, bucket, overrides.failed ?? flat(0)),
    series(REPLICATION_LATENCY_METRIC, bucket, overrides.latency ?? flat(30)),
  ];
}

/** The alert as promtool should report it: the generated rule's labels and annotations over the series' labels. */
function alert(name: string, subject: string, seriesLabels: Record<string, string> = {}): ExpectedAlert {
  const rule = RULES.groups
    .flatMap((group) => group.rules)
    .find((r): r is AlertingRule => "alert" in r && r.alert === name && (r.labels.backup === subject || r.labels.bucket === subject));
  if (!rule) throw new Error(`no generated ${name} rule for ${subject}`);
  return { exp_labels: { ...seriesLabels, ...rule.labels }, exp_annotations: { ...rule.annotations } };
}

const ALL_ALERTS = Object.values(ALERTS);
/** At each time, no alert of any kind fires. */
const noAlerts = (...times: number[]): AlertRuleTest[] =>
  times.flatMap((t) => ALL_ALERTS.map((alertname) => ({ eval_time: minutes(t), alertname, exp_alerts: [] })));

function runPromtool(args: string[]) {
  const result = spawnSync(promtool, args, { encoding: "utf8", cwd: work });
  if (result.error) throw result.error;
  return { code: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

/** Writes the rules and a unit-test file holding `groups`, then runs `promtool test rules` on it. */
function promtoolTest(file: string, groups: readonly TestGroup[], rules: RuleFile = RULES) {
  const rulesFile = `${file}.rules.yaml`;
  fs.writeFileSync(path.join(work, rulesFile), rules === RULES ? prometheusRulesYaml(DEFS) : stringify(rules, { lineWidth: 0 }));
  const testFile = path.join(work, `${file}.test.yaml`);
  fs.writeFileSync(testFile, stringify({ rule_files: [rulesFile], evaluation_interval: "1m", tests: groups }, { lineWidth: 0 }));
  return runPromtool(["test", "rules", testFile]);
}

const passes = { code: 0, output: expect.stringContaining("SUCCESS") };

// --- the cases

const H = 60; // minutes in an hour

const GROUPS = {
  fresh: {
    name: "fresh backups and healthy replication: no alert",
    interval: "1m",
    input_series: [...backupSeries(), ...replicationSeries()],
    alert_rule_test: noAlerts(1 * H, 30 * H, 39 * H),
  },
  absentFromStart: {
    name: "offsite-db never reports its last success: stale alert fires",
    interval: "1m",
    input_series: [...backupSeries({ "offsite-db": { lastSuccess: null } }), ...replicationSeries()],
    alert_rule_test: [
      { eval_time: minutes(10), alertname: ALERTS.backupStale, exp_alerts: [] }, // pending for 15m
      { eval_time: minutes(20), alertname: ALERTS.backupStale, exp_alerts: [alert(ALERTS.backupStale, "offsite-db")] },
      { eval_time: minutes(3 * H), alertname: ALERTS.backupStale, exp_alerts: [alert(ALERTS.backupStale, "offsite-db")] },
    ],
  },
  disappears: {
    name: "offsite-db's last success disappears after 2h: stale alert fires",
    interval: "1m",
    // Samples for minutes 0..119 only; an instant query still sees the last one for 5m (lookback), to 124m.
    input_series: [...backupSeries({ "offsite-db": { lastSuccess: flat(0, 2 * H) } }), ...replicationSeries()],
    alert_rule_test: [
      { eval_time: minutes(2 * H), alertname: ALERTS.backupStale, exp_alerts: [] },
      { eval_time: minutes(2 * H + 10), alertname: ALERTS.backupStale, exp_alerts: [] }, // absent, pending
      { eval_time: minutes(2 * H + 30), alertname: ALERTS.backupStale, exp_alerts: [alert(ALERTS.backupStale, "offsite-db")] },
    ],
  },
  stale: {
    name: "offsite-db's last success stays at 0h: stale alert fires past 36h",
    interval: "1m",
    input_series: [...backupSeries({ "offsite-db": { lastSuccess: flat(0) } }), ...replicationSeries()],
    alert_rule_test: [
      { eval_time: minutes(35 * H), alertname: ALERTS.backupStale, exp_alerts: [] },
      { eval_time: minutes(36 * H + 10), alertname: ALERTS.backupStale, exp_alerts: [] }, // older than 36h, pending
      { eval_time: minutes(36 * H + 30), alertname: ALERTS.backupStale, exp_alerts: [alert(ALERTS.backupStale, "offsite-db")] },
    ],
  },
  tooSmall: {
    name: "offsite-db's last backup is 100 GB (< 300 GB): too-small alert fires, daily-db's 75 GB (>= 50 GB) does not",
    interval: "1m",
    input_series: [...backupSeries({ "offsite-db": { size: flat(100 * GB) } }), ...replicationSeries()],
    alert_rule_test: [
      { eval_time: minutes(10), alertname: ALERTS.backupTooSmall, exp_alerts: [] },
      { eval_time: minutes(30), alertname: ALERTS.backupTooSmall, exp_alerts: [alert(ALERTS.backupTooSmall, "offsite-db", NODE)] },
    ],
  },
  failed: {
    name: "daily-db's run exits 1 after an hour: failed alert fires",
    interval: "1m",
    input_series: [...backupSeries({ "daily-db": { exitCode: `0x59 1x${HORIZON_MINUTES - 61}` } }), ...replicationSeries()],
    alert_rule_test: [
      { eval_time: minutes(H + 2), alertname: ALERTS.backupFailed, exp_alerts: [] },
      { eval_time: minutes(H + 10), alertname: ALERTS.backupFailed, exp_alerts: [alert(ALERTS.backupFailed, "daily-db", NODE)] },
    ],
  },
  replicationFailures: {
    name: "3 objects fail to replicate at 31m: failing alert fires, and resolves 15m later",
    interval: "1m",
    input_series: [...backupSeries(), ...replicationSeries({ failed: `0x30 3 0x${HORIZON_MINUTES - 33}` })],
    alert_rule_test: [
      { eval_time: minutes(30), alertname: ALERTS.replicationFailing, exp_alerts: [] },
      { eval_time: minutes(35), alertname: ALERTS.replicationFailing, exp_alerts: [alert(ALERTS.replicationFailing, "packages-gitlab-com", CLOUDWATCH)] },
      { eval_time: minutes(60), alertname: ALERTS.replicationFailing, exp_alerts: [] },
    ],
  },
  replicationLatency: {
    name: "replication falls 1200s behind (> 900s) from 31m: lagging alert fires after 15m",
    interval: "1m",
    input_series: [...backupSeries(), ...replicationSeries({ latency: `120x30 1200x${HORIZON_MINUTES - 32}` })],
    alert_rule_test: [
      { eval_time: minutes(40), alertname: ALERTS.replicationLagging, exp_alerts: [] },
      { eval_time: minutes(50), alertname: ALERTS.replicationLagging, exp_alerts: [alert(ALERTS.replicationLagging, "packages-gitlab-com", CLOUDWATCH)] },
    ],
  },
  recording: {
    name: "recording rules: count, size and age of the last backup, one series per backup",
    interval: "1m",
    input_series: [...backupSeries({ "daily-db": { count: flat(14) } }), ...replicationSeries()],
    promql_expr_test: [
      {
        expr: BACKUP_COUNT_RECORD,
        eval_time: minutes(30 * H),
        exp_samples: [
          { labels: `${BACKUP_COUNT_RECORD}{backup="offsite-db", environment="ops"}`, value: 7 },
          { labels: `${BACKUP_COUNT_RECORD}{backup="daily-db", environment="ops"}`, value: 14 },
        ],
      },
      {
        expr: BACKUP_LAST_SIZE_RECORD,
        eval_time: minutes(30 * H),
        exp_samples: [
          { labels: `${BACKUP_LAST_SIZE_RECORD}{backup="offsite-db", environment="ops"}`, value: 450 * GB },
          { labels: `${BACKUP_LAST_SIZE_RECORD}{backup="daily-db", environment="ops"}`, value: 75 * GB },
        ],
      },
      {
        // The last success was at 24h: 6h old at 30h.
        expr: BACKUP_AGE_RECORD,
        eval_time: minutes(30 * H),
        exp_samples: [
          { labels: `${BACKUP_AGE_RECORD}{backup="offsite-db", environment="ops"}`, value: 6 * 3600 },
          { labels: `${BACKUP_AGE_RECORD}{backup="daily-db", environment="ops"}`, value: 6 * 3600 },
        ],
      },
    ],
  },
} satisfies Record<string, TestGroup>;

describe("promtool check rules", () => {
  it("accepts the generated rule file", () => {
    fs.writeFileSync(path.join(work, "check.rules.yaml"), prometheusRulesYaml(DEFS));
    const ruleCount = RULES.groups.reduce((n, group) => n + group.rules.length, 0);
    const result = runPromtool(["check", "rules", "check.rules.yaml"]);
    expect(result).toEqual({ code: 0, output: expect.stringContaining(`SUCCESS: ${ruleCount} rules found`) });
  });
});

describe("promtool test rules", () => {
  it.each(Object.entries(GROUPS).map(([file, group]) => [group.name, file, group] as const))("%s", (_name, file, group) => {
    expect(promtoolTest(file, [group])).toEqual(passes);
  });
});

describe("without the absent() branch (the seed incident's rule)", () => {
  it("stays silent when the metric is absent from the start, and promtool catches it", () => {
    let stripped = 0;
    const withoutAbsent: RuleFile = {
      groups: RULES.groups.map((group) => ({
        ...group,
        rules: group.rules.map((rule) => {
          if (!("alert" in rule) || rule.alert !== ALERTS.backupStale) return rule;
          const expr = rule.expr.replace(/^absent\([^)]*\) or /, "");
          if (expr !== rule.expr) stripped += 1;
          return { ...rule, expr };
        }),
      })),
    };
    expect(stripped).toBe(DEFS.backups.length);
    expect(JSON.stringify(withoutAbsent)).not.toContain("absent(");

    const result = promtoolTest("without-absent", [GROUPS.absentFromStart], withoutAbsent);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/FAILED/);
    expect(result.output).toMatch(new RegExp(`alertname: ${ALERTS.backupStale}, time: 20m`));
    expect(result.output).toMatch(/got:\[\]/);
  });
});

describe("first backup pending (monitoring.*.firstBackupPending, as the CloudWatch alarms)", () => {
  const PENDING_DEFS: MonitoringDefinitions = {
    ...DEFS,
    backups: DEFS.backups.map((b) => (b.name === "offsite-db" ? { ...b, firstBackupPending: true } : b)),
    restoreVerification: [{ backup: "offsite-db", maxAgeHours: 36, runbookUrl: "https://runbooks.example.com/backups#restore-verification", firstBackupPending: true }],
  };
  const rules = prometheusRules(PENDING_DEFS);
  const rule = (name: string) => rules.groups.flatMap((g) => g.rules).find((r): r is AlertingRule => "alert" in r && r.alert === name && r.labels.backup === "offsite-db")!;
  const expected = (name: string, extra: Record<string, string> = {}): ExpectedAlert => ({ exp_labels: { ...extra, ...rule(name).labels }, exp_annotations: { ...rule(name).annotations } });
  const daily = backupSeries({ "offsite-db": { lastSuccess: null, size: null, exitCode: null, count: null } }).filter((s) => s.series.includes('backup="daily-db"'));

  it("a fresh deploy (nothing reported yet) raises only the pending tickets; a failed first run pages; a reported backup that ages pages", () => {
    expect(rule(ALERTS.firstBackupPending).labels.severity).toBe("ticket");
    const groups: TestGroup[] = [
      {
        name: "fresh deploy: no offsite metric at all",
        interval: "1m",
        input_series: [...daily, ...replicationSeries()],
        alert_rule_test: [
          { eval_time: "20m", alertname: ALERTS.backupStale, exp_alerts: [] },
          { eval_time: "20m", alertname: ALERTS.restoreUnverified, exp_alerts: [] },
          { eval_time: "20m", alertname: ALERTS.firstBackupPending, exp_alerts: [expected(ALERTS.firstBackupPending)] },
          { eval_time: "20m", alertname: ALERTS.restoreFirstPending, exp_alerts: [expected(ALERTS.restoreFirstPending)] },
        ],
      },
      {
        name: "the first run fails (exit code 4, no success yet): the failure pages at once",
        interval: "1m",
        input_series: [...daily, ...replicationSeries(), series(BACKUP_LAST_EXIT_CODE_METRIC, { backup: "offsite-db", ...NODE }, flat(4))],
        alert_rule_test: [
          { eval_time: "20m", alertname: ALERTS.backupFailed, exp_alerts: [expected(ALERTS.backupFailed, NODE)] },
          { eval_time: "20m", alertname: ALERTS.backupStale, exp_alerts: [] },
        ],
      },
      {
        name: "one backup at 0h, none since: stale pages past 36h (the age branch still watches)",
        interval: "1m",
        input_series: [...daily, ...replicationSeries(), series(BACKUP_LAST_SUCCESS_TIMESTAMP_METRIC, { backup: "offsite-db", ...NODE }, flat(0))],
        alert_rule_test: [
          { eval_time: "30h", alertname: ALERTS.backupStale, exp_alerts: [] },
          { eval_time: "37h", alertname: ALERTS.backupStale, exp_alerts: [expected(ALERTS.backupStale)] },
          { eval_time: "37h", alertname: ALERTS.firstBackupPending, exp_alerts: [] },
        ],
      },
    ];
    expect(promtoolTest("first-pending", groups, rules)).toEqual(passes);
  });

  it("fails if: the rules ignore firstBackupPending (a fresh deploy pages PackagecloudBackupStale at once)", () => {
    const groups: TestGroup[] = [
      { name: "fresh deploy, rules without the pending state", interval: "1m", input_series: [...daily, ...replicationSeries()], alert_rule_test: [{ eval_time: "20m", alertname: ALERTS.backupStale, exp_alerts: [] }] },
    ];
    const result = promtoolTest("first-pending-ignored", groups, prometheusRules(DEFS));
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(new RegExp(`alertname: ${ALERTS.backupStale}, time: 20m`));
  });
});
