/**
 * The one naming rule: every name and tag an operator searches for derives from (environment, component).
 *
 * @example
 *   resourceName("ops", "replication")   // "packagecloud-ops-replication"
 *   stackName("ops", "storage")          // "packagecloud-ops-storage"
 */
import type { EnvName, EnvironmentConfig } from "./schema";

export const PROJECT = "packagecloud";

/** The stack layers, in deployment order, with the cloud each deploys to. */
export const LAYER_CLOUDS = { storage: "aws", vm: "aws", gke: "google", dns: "dns" } as const;
export type Layer = keyof typeof LAYER_CLOUDS;
export const LAYERS = Object.keys(LAYER_CLOUDS) as Layer[];

/**
 * Layers whose apply can lose data (buckets, keys, the database): the pipeline applies them only with a typed
 * confirmation, and refuses a plan that deletes or replaces anything unless that too is confirmed.
 */
export const PROTECTED_LAYERS: readonly Layer[] = ["storage", "gke"];

export function stackName(env: EnvName, layer: Layer): string {
  return `${PROJECT}-${env}-${layer}`;
}

/**
 * The GKE cluster packagecloud runs in: its own (`packagecloud-<env>-gke`, which cannot collide with the shared
 * clusters of seed 001) or the existing cluster named in config.
 */
export function gkeClusterName(env: Pick<EnvironmentConfig, "name" | "gcp">): string {
  const cluster = env.gcp.cluster;
  return cluster.mode === "existing" ? cluster.name : resourceName(env.name, "gke");
}

/**
 * The environment's Cloud SQL for MySQL instance (created by the gke stack, constructs/cloud-sql-mysql.ts):
 * `packagecloud-<env>-mysql`, or `packagecloud-<env>-mysql-<n>` from the second generation on (config
 * `gcp.sql.instanceGeneration`: a rebuild in the same project needs a new name, the old one stays reserved).
 */
export function cloudSqlInstanceName(env: { readonly name: EnvName; readonly gcp: { readonly sql: { readonly instanceGeneration: number } } }): string {
  const generation = env.gcp.sql.instanceGeneration;
  return resourceName(env.name, generation === 1 ? "mysql" : `mysql-${generation}`);
}

/**
 * Its instance connection name, `<project>:<region>:<instance>` (what the Admin API reports as `connectionName`
 * and what the Cloud SQL Auth Proxy takes): the gke stack creates it with its provider's project and region,
 * `gcp.project` and `gcp.region`.
 */
export function cloudSqlConnectionName(env: Pick<EnvironmentConfig, "name" | "gcp">): string {
  return `${env.gcp.project}:${env.gcp.region}:${cloudSqlInstanceName(env)}`;
}

/** Name of an IAM role, policy, user, KMS alias suffix… for one component of one environment. */
export function resourceName(env: EnvName, component: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(component)) {
    throw new Error(`resourceName: component "${component}" must be lowercase letters, digits and '-'`);
  }
  return `${PROJECT}-${env}-${component}`;
}

/** Tags every AWS resource of a stack carries (set once, as the provider's default_tags). */
export function defaultTags(env: EnvName, layer: Layer): Record<string, string> {
  return { Project: PROJECT, Environment: env, Stack: stackName(env, layer), ManagedBy: "terraform" };
}

/** The same, as Google labels (lowercase keys and values only). */
export function googleLabels(env: EnvName, layer: Layer): Record<string, string> {
  return { project: PROJECT, environment: env, stack: stackName(env, layer), managed_by: "terraform" };
}

/** The S3 key (GCS prefix, without `.tfstate`) a stack's state lives under. */
export function stateKey(env: EnvironmentConfig, stackName: string): string {
  return `${env.state.keyPrefix}${env.name}/${stackName}.tfstate`;
}
