/**
 * Where a synthesized stack deploys to. The entry point (main.ts) decides; stacks only read it.
 *
 * - `aws`: real AWS, every provider pinned to the environment's account; state in the environment's S3
 *   backend (or no backend, for unit tests and snapshots).
 * - `emulator`: moto_server at `endpoint`, local state files, the emulator's fixed account. Resources the
 *   emulator cannot serve are left out by design (each stack says which) and covered by synth-level tests.
 */
export type DeployTarget =
  | { readonly kind: "aws"; readonly remoteState: boolean }
  | { readonly kind: "emulator"; readonly endpoint: string; readonly stateDir: string };

/** The account moto_server pretends to be. */
export const EMULATOR_ACCOUNT_ID = "123456789012";

/** Every AWS service the stacks touch. An emulator target must override each, or calls go to real AWS. */
export const AWS_SERVICES = ["s3", "iam", "sts", "kms", "ec2", "sns", "cloudwatch", "dlm", "backup", "lambda", "cloudfront"] as const;
