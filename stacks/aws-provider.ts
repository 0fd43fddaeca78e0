/**
 * The AWS provider, configured once per stack and region from the environment and the deploy target.
 */
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { EnvironmentConfig } from "../config";
import { defaultTags, type Layer } from "../config/naming";
import { AWS_SERVICES, EMULATOR_ACCOUNT_ID, type DeployTarget } from "./target";

/**
 * The transport errors a local moto_server produces now and then under load (seen: "use of closed network
 * connection" on SNS SetTopicAttributes). The provider already retries them (max_retries below);
 * emulator/lib/emulator-deploy.ts has the bounded second line: one more apply, only for these messages. Anything else, such as an
 * unimplemented API's HTTP 500, fails at once.
 */
export const TRANSIENT_TRANSPORT_ERROR = /use of closed network connection|connection reset by peer|broken pipe/i;

/** Attempts per API call against the emulator (the provider's max_retries counts attempts, as the SDK does). */
export const EMULATOR_MAX_ATTEMPTS = 3;

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
    // Three attempts: aws-sdk-go-v2's standard retryer treats "use of closed network connection" and "connection
    // reset" as retryable (retry.RetryableConnectionError, aws-sdk-go-v2 PR #1826), which moto_server produces now
    // and then. Not more: an unimplemented API answers HTTP 500, which is retried too, so each extra attempt
    // delays its failure. Unimplemented APIs are kept out of emulator deploys by design (target.ts, quirks).
    maxRetries: EMULATOR_MAX_ATTEMPTS,
    endpoints: [Object.fromEntries(AWS_SERVICES.map((service) => [service, endpoint]))],
  });
}
