/**
 * What a production environment must be, stated once. The loader enforces every row on each environment whose
 * `tier` is "production"; the reason is part of the message, so the operator who meets it knows what it protects.
 *
 * To add an invariant, add a row. A field other helpers add (a deletion-protection switch, a cluster mode) gets
 * its row here too, not an `if` in a stack.
 */
import type { EnvironmentConfig } from "../schema";

export interface ProductionInvariant {
  /** The field, as a dotted path. */
  readonly field: string;
  /** What the field must be, as the message says it. */
  readonly required: string;
  readonly holds: (env: EnvironmentConfig) => boolean;
  /** Why: what is lost without it. */
  readonly reason: string;
}

export const PRODUCTION_INVARIANTS: readonly ProductionInvariant[] = [
  {
    field: "storage.offsiteBackups.objectLock.mode",
    required: "COMPLIANCE",
    holds: (e) => e.storage.offsiteBackups.objectLock.mode === "COMPLIANCE",
    reason: "GOVERNANCE locks can be lifted by anyone with s3:BypassGovernanceRetention, so one stolen admin credential deletes every offsite backup (seed 004)",
  },
  {
    field: "vm.terminationProtection",
    required: "true",
    holds: (e) => e.vm.terminationProtection,
    reason: "without it one TerminateInstances call (a console slip, a script with the wrong id) takes the service down",
  },
  {
    field: "vm.snapshots.vaultLock.changeableForDays",
    required: "set (a compliance-mode vault lock)",
    holds: (e) => e.vm.snapshots.vaultLock.changeableForDays !== undefined,
    reason: "a governance-mode vault lock can be removed by an administrator, and the data-disk snapshots with it",
  },
  {
    field: "gcp.sql.availability",
    required: "REGIONAL",
    holds: (e) => e.gcp.sql.availability === "REGIONAL",
    reason: "a ZONAL instance is down for as long as its zone is; REGIONAL fails over to a standby in another zone",
  },
  {
    field: "gcp.redis.tier",
    required: "STANDARD_HA",
    holds: (e) => e.gcp.redis.tier === "STANDARD_HA",
    reason: "a BASIC instance has no replica: a zone outage or maintenance empties the cache and the job queues with it",
  },
  {
    field: "gcp.cluster.location",
    required: "a region (a regional cluster), not a zone",
    holds: (e) => e.gcp.cluster.location === e.gcp.region,
    reason: "a zonal cluster's control plane and nodes live in one zone: its loss, or a control-plane upgrade, stops deploys and repairs",
  },
  {
    field: "monitoring.notifications.httpsEndpoints",
    required: "at least one endpoint with receiver pagerduty",
    holds: (e) => e.monitoring.notifications.httpsEndpoints.some((endpoint) => endpoint.receiver === "pagerduty"),
    reason: "e-mail alone is read in the morning; a missing backup must page someone (seed 002)",
  },
  {
    field: "storage.offsiteBackups.objectLock.days",
    required: "at least 30",
    holds: (e) => e.storage.offsiteBackups.objectLock.days >= 30,
    reason: "the offsite copy must outlive a month of unnoticed corruption or a slow attacker (seed 004: 30 days)",
  },
];
