/**
 * The AWS provider, configured once per stack and region from the environment and the deploy target.
 */
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { EnvironmentConfig } from "../config";
import { defaultTags, type Layer } from "../constructs/naming";
import { AWS_SERVICES, EMULATOR_ACCOUNT_ID, type DeployTarget } from "./target";

export interface AwsProviderOptions {
  readonly env: EnvironmentConfig;
  readonly layer: Layer;
  readonly region: string;
  readonly target: DeployTarget;
  /** Set for every provider but the stack's default one. */
  readonly alias?: string;
}

/** The account the target deploys into: the environment's, or the emulator's. */
export function targetAccountId(env: EnvironmentConfig, target: DeployTarget): string {
  return target.kind === "emulator" ? EMULATOR_ACCOUNT_ID : env.aws.accountId;
}

export function awsProvider(scope: Construct, id: string, options: AwsProviderOptions): AwsProvider {
  const { env, target } = options;
  const common = {
    region: options.region,
    alias: options.alias,
    // Refuse to touch any other account: `ops` credentials pointed at `pre` fail before the first API call.
    allowedAccountIds: [targetAccountId(env, target)],
    defaultTags: [{ tags: defaultTags(env.name, options.layer) }],
  };
  if (target.kind === "aws") return new AwsProvider(scope, id, common);
  const endpoint = target.endpoint;
  return new AwsProvider(scope, id, {
    ...common,
    accessKey: "testing",
    secretKey: "testing",
    s3UsePathStyle: true,
    skipCredentialsValidation: true,
    skipMetadataApiCheck: "true",
    skipRequestingAccountId: false,
    // The emulator answers at once or never: retrying only hides an unimplemented API for minutes.
    maxRetries: 1,
    endpoints: [Object.fromEntries(AWS_SERVICES.map((service) => [service, endpoint]))],
  });
}
