/**
 * The monitoring definitions of an environment, derived from the same typed config as the buckets they watch,
 * so thresholds and names cannot drift apart. The files are written at synth time next to the stacks:
 * `cdktf.out/monitoring/<env>/prometheus-rules.yml` and `grafana-dashboard.json`.
 */
import type { EnvironmentConfig } from "../config";
import { backupWriter } from "../config/backup-writers";
import { grafanaDashboard } from "./grafana-dashboard";
import type { MonitoringDefinitions } from "./definitions";
import { prometheusRulesYaml } from "./prometheus-rules";

/** The `backup` label of each backup the Prometheus rules watch. */
export const BACKUP_NAMES = { offsite: "offsite-db", daily: "daily-db" } as const;

/** The pending state's end: the due date's first second (UTC), only while firstBackupPending. */
export function pendingUntil(thresholds: { readonly firstBackupPending: boolean; readonly firstBackupDueBy?: string }): number | undefined {
  if (!thresholds.firstBackupPending || thresholds.firstBackupDueBy === undefined) return undefined;
  return Date.parse(`${thresholds.firstBackupDueBy}T00:00:00Z`) / 1000;
}

export function monitoringDefinitions(env: EnvironmentConfig): MonitoringDefinitions {
  const m = env.monitoring;
  const s = env.storage;
  // The GKE job pushes to a Pushgateway; the VM's jobs write node_exporter textfiles.
  const pushed = env.variant === "gke";
  return {
    environment: env.name,
    backups: [
      {
        name: BACKUP_NAMES.offsite,
        description: `database dump in the offsite Object-Locked bucket s3://${s.offsiteBackups.bucketName}/${s.offsiteBackups.prefix}`,
        maxAgeHours: m.offsiteBackups.maxAgeHours,
        minSizeBytes: m.offsiteBackups.minSizeBytes,
        runbookUrl: `${m.runbookUrl}#${BACKUP_NAMES.offsite}`,
        pendingUntil: pendingUntil(m.offsiteBackups),
        pushGroup: pushed,
      },
      {
        name: BACKUP_NAMES.daily,
        description: `VM daily database backup in s3://${s.dailyBackups.bucketName}/${s.dailyBackups.prefix}`,
        maxAgeHours: m.dailyBackups.maxAgeHours,
        minSizeBytes: m.dailyBackups.minSizeBytes,
        runbookUrl: `${m.runbookUrl}#${BACKUP_NAMES.daily}`,
        pendingUntil: pendingUntil(m.dailyBackups),
      },
      // Only the backups something writes in this environment (config/backup-writers.ts).
    ].filter((b) => backupWriter(env, b.name) !== undefined),
    // Issue 13: the restore verification job proves the offsite backups restore (backup/jobs.ts).
    restoreVerification: [
      {
        backup: BACKUP_NAMES.offsite,
        maxAgeHours: env.backupJob.restoreVerificationMaxAgeHours,
        runbookUrl: `${m.runbookUrl}#restore-verification`,
        pendingUntil: pendingUntil(m.offsiteBackups),
      },
    ],
    replication: [{ bucket: s.packages.bucketName, maxLatencySeconds: m.replication.maxLatencySeconds, runbookUrl: `${m.runbookUrl}#replication` }],
  };
}

/** Files to write into the synth output, keyed by their path relative to it. */
export function monitoringFiles(envs: readonly EnvironmentConfig[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const env of envs) {
    const defs = monitoringDefinitions(env);
    files[`monitoring/${env.name}/prometheus-rules.yml`] = prometheusRulesYaml(defs);
    files[`monitoring/${env.name}/grafana-dashboard.json`] = `${JSON.stringify(grafanaDashboard(defs), null, 2)}\n`;
  }
  return files;
}
