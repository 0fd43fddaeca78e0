/**
 * The Google provider, configured once per stack from the environment. Credentials come from the environment
 * (GOOGLE_APPLICATION_CREDENTIALS or workload identity federation in CI), never from code.
 */
import type { Construct } from "constructs";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { GoogleBetaProvider } from "@cdktf/provider-google-beta/lib/provider";
import type { EnvironmentConfig } from "../config";
import { googleLabels, type Layer } from "../config/naming";

export function googleProvider(scope: Construct, env: EnvironmentConfig, layer: Layer): GoogleProvider {
  return new GoogleProvider(scope, "google", {
    project: env.gcp.project,
    region: env.gcp.region,
    defaultLabels: googleLabels(env.name, layer),
  });
}

/**
 * google-beta, for the few resources GA lacks (google_project_service_identity in 6.50.0). Same project, region and
 * labels; pinned to the release matching google's (@cdktf/provider-google-beta 16.12.1 is built for 6.50.0).
 */
export function googleBetaProvider(scope: Construct, env: EnvironmentConfig, layer: Layer): GoogleBetaProvider {
  return new GoogleBetaProvider(scope, "google-beta", {
    project: env.gcp.project,
    region: env.gcp.region,
    defaultLabels: googleLabels(env.name, layer),
  });
}
