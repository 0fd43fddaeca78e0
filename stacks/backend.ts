/**
 * Terraform state: one state per environment and stack, never shared.
 */
import { GcsBackend, LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import * as path from "node:path";
import type { EnvironmentConfig } from "../config";
import type { DeployTarget } from "./target";

import { stateKey } from "../config/naming";

// Defined with the naming rule, so the config loader can check keys across environments without loading cdktf.
export { stateKey };

/**
 * AWS stacks keep state in S3 (with S3-native locking); the Google and DNS stacks keep it in GCS (which locks
 * natively), so that each cloud's stacks can be planned with that cloud's credentials alone.
 */
export function configureBackend(
  stack: TerraformStack,
  env: EnvironmentConfig,
  stackName: string,
  target: DeployTarget,
  store: "s3" | "gcs" = "s3",
): void {
  if (target.kind === "emulator") {
    new LocalBackend(stack, { path: path.join(target.stateDir, `${stackName}.tfstate`) });
    return;
  }
  if (!target.remoteState) return;
  if (store === "gcs") {
    new GcsBackend(stack, { bucket: env.state.gcsBucket, prefix: stateKey(env, stackName).replace(/\.tfstate$/, "") });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: env.state.bucket,
    key: stateKey(env, stackName),
    region: env.state.region,
    encrypt: true,
  });
  // S3-native locking (Terraform >= 1.10); cdktf 0.21 has no typed field for it, and DynamoDB locking is
  // deprecated since Terraform 1.11.
  backend.addOverride("use_lockfile", true);
}
