/**
 * The generated Prometheus rules, exercised by the real promtool: `promtool check rules` accepts the file, and
 * `promtool test rules` replays series for each way a backup goes wrong (including the seed incident: a metric
 * absent from the start, or one that disappears) and checks exactly which alerts fire, with which labels.
 * One more test removes the `absent()` branch and shows that promtool then catches the silent alert.
 *
 * promtool unit tests start at Unix time 0, so `time()` is the evaluation time and a "last success" timestamp of
 * 86400 means "finished 24h into the test".
 *
 * Issue 29: a series missing for less than ABSENCE_TOLERANCE (30m) is a gap, not an absence (a Pushgateway restart
 * must not page), so an absence pages 45 minutes in (30m, then `for: 15m`); the first-backup pending state ends by
 * itself when the metric is first seen or at the due date; an interrupted run (143) is no failure; the
 * verification's "no backup yet" (8) pages only once the backup is no longer pending.
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
  BACKUP_LAST_RESTORE_EXIT_CODE_METRIC,
  BACKUP_LAST_RESTORE_VERIFIED_METRIC,
  EXIT_CODES,
  type MonitoringDefinitions,
  PUSH_TIME_METRIC,
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
    name: "offsite-db's last success disappears after 2h: stale alert fires 45 minutes later",
    interval: "1m",
    // Samples for minutes 0..119 only: absent over 30m from 150m, firing 15m later.
    input_series: [...backupSeries({ "offsite-db": { lastSuccess: flat(0, 2 * H) } }), ...replicationSeries()],
    alert_rule_test: [
      { eval_time: minutes(2 * H), alertname: ALERTS.backupStale, exp_alerts: [] },
      { eval_time: minutes(2 * H + 25), alertname: ALERTS.backupStale, exp_alerts: [] }, // a gap so far
      { eval_time: minutes(2 * H + 40), alertname: ALERTS.backupStale, exp_alerts: [] }, // absent, pending (for)
      { eval_time: minutes(2 * H + 50), alertname: ALERTS.backupStale, exp_alerts: [alert(ALERTS.backupStale, "offsite-db")] },
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
          const expr = rule.expr.replace(/^\(absent_over_time\([^)]*\[30m\]\)\) or /, "");
          if (expr !== rule.expr) stripped += 1;
          return { ...rule, expr };
        }),
      })),
    };
    expect(stripped).toBe(DEFS.backups.length);
    expect(JSON.stringify(withoutAbsent)).not.toContain("absent");

    const result = promtoolTest("without-absent", [GROUPS.absentFromStart], withoutAbsent);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/FAILED/);
    expect(result.output).toMatch(new RegExp(`alertname: ${ALERTS.backupStale}, time: 20m`));
    expect(result.output).toMatch(/got:\[\]/);
  });
});


describe("interrupted runs (exit 143: evicted, drained, past the deadline) are not failures", () => {
  it("a run interrupted at 1h pages nothing; the next attempt's failure (exit 3) pages", () => {
    const group: TestGroup = {
      name: "daily-db: 0 until 1h, 143 (interrupted) until 2h, then 3 (the retry failed)",
      interval: "1m",
      input_series: [...backupSeries({ "daily-db": { exitCode: `0x59 ${EXIT_CODES.interrupted}x59 3x${HORIZON_MINUTES - 121}` } }), ...replicationSeries()],
      alert_rule_test: [
        { eval_time: minutes(H + 30), alertname: ALERTS.backupFailed, exp_alerts: [] },
        { eval_time: minutes(2 * H + 10), alertname: ALERTS.backupFailed, exp_alerts: [alert(ALERTS.backupFailed, "daily-db", NODE)] },
      ],
    };
    expect(promtoolTest("interrupted", [group])).toEqual(passes);
  });
});

describe("a Pushgateway restart (its node drained) pages nothing; a lost push group pages", () => {
  /** The labels Managed Service for Prometheus gives the Pushgateway's series (the pushed job as exported_job). */
  const pushed = (pod: string) => ({ exported_job: "packagecloud-backup", environment: "ops", job: "prometheus-pushgateway", namespace: "monitoring", instance: `${pod}:9091`, pod });
  const PUSH_DEFS: MonitoringDefinitions = {
    environment: "ops",
    backups: [{ ...DEFS.backups[0], pushGroup: true }],
    restoreVerification: [{ backup: "offsite-db", maxAgeHours: 36, runbookUrl: "https://runbooks.example.com/backups#restore-verification" }],
    replication: [],
  };
  const rules = prometheusRules(PUSH_DEFS);
  const expected = (name: string): ExpectedAlert => {
    const rule = rules.groups.flatMap((g) => g.rules).find((r): r is AlertingRule => "alert" in r && r.alert === name)!;
    return { exp_labels: { ...rule.labels }, exp_annotations: { ...rule.annotations } };
  };
  /** Every metric of the offsite-db group, from one Pushgateway pod, with `values`. */
  const group = (pod: string, values: string): InputSeries[] =>
    [PUSH_TIME_METRIC, BACKUP_LAST_SUCCESS_TIMESTAMP_METRIC, BACKUP_LAST_EXIT_CODE_METRIC, BACKUP_LAST_RESTORE_VERIFIED_METRIC, BACKUP_LAST_RESTORE_EXIT_CODE_METRIC].map((metric) =>
      series(metric, { backup: "offsite-db", ...pushed(pod) }, values),
    );
  const watched = [ALERTS.backupStale, ALERTS.pushGroupMissing, ALERTS.restoreUnverified, ALERTS.backupFailed, ALERTS.restoreFailed];
  // The old pod's series end at 119m; the new pod (another name, its disk reattached) serves the persisted group
  // from 145m: a 25-minute gap. Values 0: the last success and verification at 0h, exit codes 0.
  const restart: TestGroup = {
    name: "the Pushgateway restarts: 25 minutes without any series, then the same group from a new pod",
    interval: "1m",
    input_series: [...group("prometheus-pushgateway-aaaaa", "0x119"), ...group("prometheus-pushgateway-bbbbb", `_x145 0x${6 * H}`)],
    alert_rule_test: [125, 135, 142, 150, 170, 200].flatMap((t) => watched.map((alertname) => ({ eval_time: minutes(t), alertname, exp_alerts: [] }))),
  };

  it("rides out a 25-minute gap and a new pod's series: nothing pages", () => {
    expect(promtoolTest("restart", [restart], rules)).toEqual(passes);
  });

  it("fails if: the rules use absent() (the 5-minute lookback): the same restart pages at 140m", () => {
    const withAbsent: RuleFile = {
      groups: rules.groups.map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, expr: r.expr.replace(/absent_over_time\(([^[]*)\[30m\]\)/g, "absent($1)") })) })),
    };
    expect(JSON.stringify(withAbsent)).toContain("absent(push_time_seconds");
    const result = promtoolTest("restart-absent", [restart], withAbsent);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(new RegExp(`alertname: (${ALERTS.pushGroupMissing}|${ALERTS.backupStale}), time: 2h22m`));
  });

  it("pages once, as PackagecloudBackupPushGroupMissing, when the push group is gone for good (deleted, or its disk lost)", () => {
    const lost: TestGroup = {
      name: "the group's series end at 119m and never come back",
      interval: "1m",
      input_series: group("prometheus-pushgateway-aaaaa", "0x119"),
      alert_rule_test: [
        { eval_time: minutes(2 * H + 40), alertname: ALERTS.pushGroupMissing, exp_alerts: [] },
        { eval_time: minutes(2 * H + 50), alertname: ALERTS.pushGroupMissing, exp_alerts: [expected(ALERTS.pushGroupMissing)] },
        // The group's absence is one page, not three.
        { eval_time: minutes(2 * H + 50), alertname: ALERTS.backupStale, exp_alerts: [] },
        { eval_time: minutes(2 * H + 50), alertname: ALERTS.restoreUnverified, exp_alerts: [] },
      ],
    };
    expect(promtoolTest("group-lost", [lost], rules)).toEqual(passes);
  });
});

describe("first backup pending ends by itself (monitoring.*.firstBackupDueBy; no flag to flip)", () => {
  const DUE = 100 * 3600; // far beyond these scenarios: only the first report ends the pending state
  const pendingDefs = (pendingUntil: number, pushGroup: boolean): MonitoringDefinitions => ({
    environment: "ops",
    backups: [{ ...DEFS.backups[0], pendingUntil, pushGroup }],
    restoreVerification: [{ backup: "offsite-db", maxAgeHours: 36, runbookUrl: "https://runbooks.example.com/backups#restore-verification", pendingUntil }],
    replication: [],
  });
  const expectedIn = (rules: RuleFile, name: string, extra: Record<string, string> = {}): ExpectedAlert => {
    const rule = rules.groups.flatMap((g) => g.rules).find((r): r is AlertingRule => "alert" in r && r.alert === name)!;
    return { exp_labels: { ...extra, ...rule.labels }, exp_annotations: { ...rule.annotations } };
  };
  const GW = { exported_job: "packagecloud-backup", environment: "ops", job: "prometheus-pushgateway", namespace: "monitoring", instance: "prometheus-pushgateway-aaaaa:9091" };
  const offsite = (metric: string, values: string) => series(metric, { backup: "offsite-db", ...GW }, values);
  // The first backup at 2h (its metrics from then on), the first verification at 4h; everything gone at 10h.
  const firstBackupThenLost = (withGroup: boolean): InputSeries[] => [
    ...(withGroup ? [offsite(PUSH_TIME_METRIC, `_x120 7200x479`)] : []),
    offsite(BACKUP_LAST_SUCCESS_TIMESTAMP_METRIC, `_x120 7200x479`),
    offsite(BACKUP_LAST_EXIT_CODE_METRIC, `_x120 0x479`),
    offsite(BACKUP_LAST_RESTORE_VERIFIED_METRIC, `_x240 14400x359`),
    offsite(BACKUP_LAST_RESTORE_EXIT_CODE_METRIC, `_x240 0x359`),
  ];

  it("push group: pending tickets until the first backup and verification are seen; then the group's loss pages", () => {
    const rules = prometheusRules(pendingDefs(DUE, true));
    const at = (t: number, alertname: string, firing: boolean): AlertRuleTest => ({ eval_time: minutes(t), alertname, exp_alerts: firing ? [expectedIn(rules, alertname)] : [] });
    const group: TestGroup = {
      name: "pending, first backup at 2h, first verification at 4h, group lost at 10h",
      interval: "1m",
      input_series: firstBackupThenLost(true),
      alert_rule_test: [
        at(H, ALERTS.firstBackupPending, true),
        at(H, ALERTS.restoreFirstPending, true),
        ...[ALERTS.backupStale, ALERTS.pushGroupMissing, ALERTS.restoreUnverified].map((a) => at(H, a, false)),
        // Between the first backup and the first verification: the backup is no longer pending, the verification is.
        at(3 * H, ALERTS.firstBackupPending, false),
        at(3 * H, ALERTS.restoreFirstPending, true),
        at(3 * H, ALERTS.restoreUnverified, false),
        ...[ALERTS.firstBackupPending, ALERTS.restoreFirstPending, ALERTS.backupStale, ALERTS.pushGroupMissing, ALERTS.restoreUnverified].map((a) => at(5 * H, a, false)),
        // Lost at 10h (last sample 599m): absent over 30m from 630m, paging from 645m, nobody having touched config.
        at(10 * H + 40, ALERTS.pushGroupMissing, false),
        at(10 * H + 50, ALERTS.pushGroupMissing, true),
        at(10 * H + 50, ALERTS.firstBackupPending, false),
      ],
    };
    expect(promtoolTest("pending-push", [group], rules)).toEqual(passes);
  });

  it("textfile (VM): pending until the first backup is seen; a later absence pages as stale", () => {
    const rules = prometheusRules(pendingDefs(DUE, false));
    const group: TestGroup = {
      name: "pending, first backup at 2h, metrics gone at 10h",
      interval: "1m",
      input_series: firstBackupThenLost(false),
      alert_rule_test: [
        { eval_time: minutes(H), alertname: ALERTS.firstBackupPending, exp_alerts: [expectedIn(rules, ALERTS.firstBackupPending)] },
        { eval_time: minutes(H), alertname: ALERTS.backupStale, exp_alerts: [] },
        { eval_time: minutes(5 * H), alertname: ALERTS.firstBackupPending, exp_alerts: [] },
        { eval_time: minutes(10 * H + 50), alertname: ALERTS.backupStale, exp_alerts: [expectedIn(rules, ALERTS.backupStale)] },
        { eval_time: minutes(10 * H + 50), alertname: ALERTS.restoreUnverified, exp_alerts: [expectedIn(rules, ALERTS.restoreUnverified)] },
      ],
    };
    expect(promtoolTest("pending-textfile", [group], rules)).toEqual(passes);
  });

  it("nothing ever reported: the ticket until the due date (2h), then the absence pages", () => {
    const rules = prometheusRules(pendingDefs(2 * 3600, true));
    const group: TestGroup = {
      name: "no offsite metric at all, due at 2h",
      interval: "1m",
      input_series: [series("up", { job: "prometheus-pushgateway" }, flat(1))],
      alert_rule_test: [
        { eval_time: minutes(H), alertname: ALERTS.firstBackupPending, exp_alerts: [expectedIn(rules, ALERTS.firstBackupPending)] },
        { eval_time: minutes(H), alertname: ALERTS.pushGroupMissing, exp_alerts: [] },
        { eval_time: minutes(2 * H + 10), alertname: ALERTS.pushGroupMissing, exp_alerts: [] }, // pending (for)
        { eval_time: minutes(2 * H + 20), alertname: ALERTS.firstBackupPending, exp_alerts: [] },
        { eval_time: minutes(2 * H + 20), alertname: ALERTS.pushGroupMissing, exp_alerts: [expectedIn(rules, ALERTS.pushGroupMissing)] },
      ],
    };
    expect(promtoolTest("pending-due", [group], rules)).toEqual(passes);
  });

  it("the verification's 'no backup yet' (exit 8) pages nothing while the backup is pending, and pages once it was seen", () => {
    const rules = prometheusRules(pendingDefs(DUE, false));
    const group: TestGroup = {
      name: "exit 8 from the start; the first backup at 2h; the verification still finds none (8) after it",
      interval: "1m",
      input_series: [
        offsite(BACKUP_LAST_RESTORE_EXIT_CODE_METRIC, flat(EXIT_CODES.noBackupYet)),
        offsite(BACKUP_LAST_SUCCESS_TIMESTAMP_METRIC, `_x120 7200x${HORIZON_MINUTES - 121}`),
      ],
      alert_rule_test: [
        { eval_time: minutes(H), alertname: ALERTS.restoreFailed, exp_alerts: [] },
        { eval_time: minutes(2 * H + 10), alertname: ALERTS.restoreFailed, exp_alerts: [expectedIn(rules, ALERTS.restoreFailed, { backup: "offsite-db", ...GW })] },
      ],
    };
    expect(promtoolTest("no-backup-yet", [group], rules)).toEqual(passes);
  });

  it("fails if: the rules ignore the pending state (a fresh deploy pages PackagecloudBackupStale, and the first verification's exit 8 pages)", () => {
    const groups: TestGroup[] = [
      {
        name: "fresh deploy, rules without the pending state",
        interval: "1m",
        input_series: [offsite(BACKUP_LAST_RESTORE_EXIT_CODE_METRIC, flat(EXIT_CODES.noBackupYet))],
        alert_rule_test: [
          { eval_time: "20m", alertname: ALERTS.backupStale, exp_alerts: [] },
          { eval_time: "20m", alertname: ALERTS.restoreFailed, exp_alerts: [] },
        ],
      },
    ];
    const { pendingUntil: _a, ...backup } = pendingDefs(DUE, false).backups[0];
    const result = promtoolTest("pending-ignored", groups, prometheusRules({ ...DEFS, backups: [backup], restoreVerification: [{ backup: "offsite-db", maxAgeHours: 36, runbookUrl: "https://runbooks.example.com/x" }], replication: [] }));
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(new RegExp(`alertname: ${ALERTS.backupStale}, time: 20m`));
    expect(result.output).toMatch(new RegExp(`alertname: ${ALERTS.restoreFailed}, time: 20m`));
  });
});
