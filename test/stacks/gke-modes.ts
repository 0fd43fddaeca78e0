/**
 * The GKE stack with its cluster in `existing` mode (a shared cluster it reads and adds its pools to), synthesized
 * once per environment for the tests that read it.
 */
import { parseEnvironment, type EnvName, type EnvironmentConfig } from "../../config";
import { ENVIRONMENTS } from "../../config/environments";
import { GkeStack } from "../../stacks/gke-stack";
import { synth, testApp, UNIT_TARGET, type Synthesized } from "../support/synth";

/** Seed 001: the shared clusters packagecloud runs in today. */
export const SHARED_CLUSTERS: Record<EnvName, { name: string; location: string }> = {
  pre: { name: "pre-gitlab-gke", location: "us-east1-b" },
  ops: { name: "ops-gitlab-gke", location: "us-east1" },
};

export function existingClusterEnv(env: EnvName): EnvironmentConfig {
  const input = structuredClone(ENVIRONMENTS[env]) as any;
  input.gcp.cluster = { mode: "existing", ...SHARED_CLUSTERS[env], nodePools: input.gcp.cluster.nodePools };
  // A shared cluster's Pushgateway is a prerequisite the configuration names (issue 29).
  input.backupJob.kubernetes.pushgatewayUrl = "http://prometheus-pushgateway.monitoring.svc:9091";
  return parseEnvironment(env, input);
}

const cache = new Map<EnvName, Synthesized>();

export function existingClusterStack(env: EnvName): Synthesized {
  if (!cache.has(env)) cache.set(env, synth(new GkeStack(testApp(), { env: existingClusterEnv(env), target: UNIT_TARGET })));
  return cache.get(env)!;
}
