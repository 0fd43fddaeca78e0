/**
 * Who writes each backup, derived from the environment's configuration. A backup alarm exists only where its
 * writer runs: an alarm on a backup nobody writes pages from its first evaluation and never recovers.
 *
 * - `offsite-db`: the offsite backup job (seed 004's copycat-db), which runs in both platform variants.
 * - `daily-db`: packagecloud's own `database_backups` on the VM (seed 000), so only where `variant` is `vm`.
 *
 * @example
 *   backupWriter(env, "daily-db")  // undefined in an environment that runs the gke variant
 */
import type { EnvironmentConfig } from "./schema";

export const BACKUPS = ["offsite-db", "daily-db"] as const;
export type BackupName = (typeof BACKUPS)[number];

/** The writer of `backup` in `env`, in words an operator can act on; undefined when nothing writes it there. */
export function backupWriter(env: EnvironmentConfig, backup: BackupName): string | undefined {
  switch (backup) {
    case "offsite-db":
      return "the offsite database backup job (both platform variants)";
    case "daily-db":
      return env.variant === "vm" ? "packagecloud's database_backups on the VM (seed 000)" : undefined;
  }
}
