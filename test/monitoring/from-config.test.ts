import { ENV_NAMES, loadEnvironments } from "../../config";
import { BACKUP_NAMES, monitoringDefinitions, monitoringFiles } from "../../monitoring/from-config";
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
