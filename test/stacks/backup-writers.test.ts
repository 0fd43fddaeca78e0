/**
 * Every backup alarm has a writer in its environment, and every written backup has its alarms: CloudWatch (storage
 * stack) and Prometheus (monitoring files) alike. An alarm on a backup nobody writes pages from its first
 * evaluation and never recovers (issue 10, item 3).
 */
import { ENV_NAMES, loadEnvironments, parseEnvironment, type EnvironmentConfig } from "../../config";
import { BACKUPS, backupWriter, type BackupName } from "../../config/backup-writers";
import { monitoringDefinitions } from "../../monitoring/from-config";
import { StorageStack } from "../../stacks/storage-stack";
import { synth, testApp, UNIT_TARGET, type Synthesized } from "../support/synth";

const envs = loadEnvironments();

/** The bucket resource each backup lands in. */
const BUCKET_OF: Record<BackupName, string> = { "offsite-db": "offsite_backups_bucket", "daily-db": "daily_backups_bucket" };

/** The backups whose buckets a stack's alarms watch. */
function alarmedBackups(out: Synthesized): BackupName[] {
  const alarms = Object.values(out.resources("aws_cloudwatch_metric_alarm")) as any[];
  return BACKUPS.filter((b) => alarms.some((a) => String(a.dimensions?.BucketName).includes(`aws_s3_bucket.${BUCKET_OF[b]}.`)));
}

function storage(env: EnvironmentConfig): Synthesized {
  return synth(new StorageStack(testApp(), { env, target: UNIT_TARGET }));
}

const cases: Array<[string, EnvironmentConfig]> = [
  ...ENV_NAMES.map((name) => [`${name} (variant ${envs[name].variant})`, envs[name]] as [string, EnvironmentConfig]),
  ["ops switched to the vm variant", { ...envs.ops, variant: "vm" }],
];

describe.each(cases)("backup alarms of %s", (_title, env) => {
  const out = storage(env);
  const written = BACKUPS.filter((b) => backupWriter(env, b) !== undefined);

  it("exist in CloudWatch exactly for the backups something writes", () => {
    expect(alarmedBackups(out)).toEqual(written);
  });

  it("exist in the Prometheus rules exactly for the backups something writes", () => {
    expect(monitoringDefinitions(env).backups.map((b) => b.name)).toEqual(written);
  });
});

it("nothing writes the VM's daily backups where the gke variant runs, and the offsite job writes in both", () => {
  expect(backupWriter({ ...envs.ops, variant: "gke" }, "daily-db")).toBeUndefined();
  expect(backupWriter({ ...envs.ops, variant: "vm" }, "daily-db")).toMatch(/database_backups on the VM/);
  for (const variant of ["vm", "gke"] as const) expect(backupWriter({ ...envs.ops, variant }, "offsite-db")).toMatch(/offsite/);
});

describe("before the first backup lands (firstBackupPending)", () => {
  const pending = (value: boolean): EnvironmentConfig => ({
    ...envs.ops,
    monitoring: { ...envs.ops.monitoring, offsiteBackups: { ...envs.ops.monitoring.offsiteBackups, firstBackupPending: value } },
  });

  it("creates the alarms with notifications off until the due date, which Terraform's own clock judges at plan, saying so in their description", () => {
    const out = storage(pending(true));
    const due = envs.ops.monitoring.offsiteBackups.firstBackupDueBy;
    for (const name of ["offsite_backup_alarms_stale", "offsite_backup_alarms_too_small"]) {
      const alarm = out.resource("aws_cloudwatch_metric_alarm", name);
      expect(alarm.actions_enabled).toBe(`\${timecmp(plantimestamp(), "${due}T00:00:00Z") >= 0}`);
      expect(alarm.alarm_description).toMatch(new RegExp(`Notifications are off until the first backup lands \\(firstBackupPending in config\\), and on from ${due} whatever the flag says`));
    }
  });

  it("notifies once the first backup has landed and the flag is cleared", () => {
    const out = storage(pending(false));
    for (const name of ["offsite_backup_alarms_stale", "offsite_backup_alarms_too_small"]) {
      expect(out.resource("aws_cloudwatch_metric_alarm", name).actions_enabled).toBe(true);
    }
  });

  it("is required in config, so nobody inherits a silent alarm by default", () => {
    const { firstBackupPending: _dropped, ...rest } = envs.ops.monitoring.offsiteBackups;
    expect(() => parseEnvironment("ops", { ...envs.ops, monitoring: { ...envs.ops.monitoring, offsiteBackups: rest } })).toThrow(
      /monitoring\.offsiteBackups\.firstBackupPending = missing: must be true \(no backup has landed yet\) or false/,
    );
  });
});
