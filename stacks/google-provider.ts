/**
 * The Google provider, configured once per stack from the environment. Credentials come from the environment
 * (GOOGLE_APPLICATION_CREDENTIALS or workload identity federation in CI), never from code.
 */
import type { Construct } from "constructs";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import type { EnvironmentConfig } from "../config";
import { googleLabels, type Layer } from "../constructs/naming";

export function googleProvider(scope: Construct, env: EnvironmentConfig, layer: Layer): GoogleProvider {
  return new GoogleProvider(scope, "google", {
    project: env.gcp.project,
    region: env.gcp.region,
    defaultLabels: googleLabels(env.name, layer),
  });
}
