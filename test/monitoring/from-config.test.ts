import { ENV_NAMES, loadEnvironments } from "../../config";
import { BACKUP_NAMES, monitoringDefinitions, monitoringFiles, pendingUntil } from "../../monitoring/from-config";
import { rejection } from "../support/config";
import { sharedStack } from "../support/synth";

const envs = loadEnvironments();

describe.each(ENV_NAMES)("monitoring definitions of %s", (name) => {
  const env = envs[name];
  const defs = monitoringDefinitions(env);

  it("take the same thresholds as the CloudWatch alarms, from the one config", () => {
    const offsite = defs.backups.find((b) => b.name === BACKUP_NAMES.offsite)!;
    expect(offsite).toMatchObject({ maxAgeHours: env.monitoring.offsiteBackups.maxAgeHours, minSizeBytes: env.monitoring.offsiteBackups.minSizeBytes });
    const alarm = sharedStack(name, "storage").resource("aws_cloudwatch_metric_alarm", "offsite_backup_alarms_stale");
    expect(alarm.evaluation_periods).toBe(offsite.maxAgeHours);
    const daily = monitoringDefinitions({ ...env, variant: "vm" }).backups.find((b) => b.name === BACKUP_NAMES.daily)!;
    expect(daily.maxAgeHours).toBe(env.monitoring.dailyBackups.maxAgeHours);
    expect(defs.replication).toEqual([expect.objectContaining({ bucket: env.storage.packages.bucketName, maxLatencySeconds: env.monitoring.replication.maxLatencySeconds })]);
  });

  it("link every alert to the runbook", () => {
    for (const b of defs.backups) expect(b.runbookUrl.startsWith(env.monitoring.runbookUrl)).toBe(true);
  });
});

it("writes rules and a dashboard per environment", () => {
  expect(Object.keys(monitoringFiles(Object.values(envs))).sort()).toEqual([
    "monitoring/ops/grafana-dashboard.json",
    "monitoring/ops/prometheus-rules.yml",
    "monitoring/pre/grafana-dashboard.json",
    "monitoring/pre/prometheus-rules.yml",
  ]);
});

describe("the pending state's end (monitoring.<backup>.firstBackupDueBy)", () => {
  it("is the due date's first second, UTC, while firstBackupPending; nothing once it is false", () => {
    // 2027-01-31T00:00:00Z, computed apart: calendar.timegm(datetime(2027, 1, 31)).
    expect(pendingUntil({ firstBackupPending: true, firstBackupDueBy: "2027-01-31" })).toBe(1801353600);
    expect(pendingUntil({ firstBackupPending: false, firstBackupDueBy: "2027-01-31" })).toBeUndefined();
  });

  it("reaches the GKE environments' offsite backup and its verification, watched as a push group", () => {
    const defs = monitoringDefinitions(envs.ops);
    expect(defs.backups.find((b) => b.name === "offsite-db")).toMatchObject({ pendingUntil: 1801353600, pushGroup: true });
    expect(defs.restoreVerification).toEqual([expect.objectContaining({ backup: "offsite-db", pendingUntil: 1801353600 })]);
    // The VM variant's jobs write textfiles: no push group.
    expect(monitoringDefinitions({ ...envs.ops, variant: "vm" }).backups.every((b) => !b.pushGroup)).toBe(true);
  });

  it("fails if: firstBackupPending is true without a due date, or the date is not a calendar date", () => {
    expect(rejection("ops", (e) => delete e.monitoring.offsiteBackups.firstBackupDueBy)).toMatch(
      /monitoring\.offsiteBackups\.firstBackupDueBy[\s\S]*is required while firstBackupPending is true/,
    );
    expect(rejection("ops", (e) => (e.monitoring.offsiteBackups.firstBackupDueBy = "2027-02-30"))).toMatch(/firstBackupDueBy[\s\S]*must be a calendar date YYYY-MM-DD/);
    expect(rejection("ops", (e) => (e.monitoring.offsiteBackups.firstBackupDueBy = "31.01.2027"))).toMatch(/firstBackupDueBy[\s\S]*must be a date YYYY-MM-DD/);
  });
});
