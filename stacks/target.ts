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
  | {
      readonly kind: "emulator";
      readonly endpoint: string;
      readonly stateDir: string;
      /** Honour config `adopt` (import blocks); an emulator starts empty, so only a test that creates them first. @default false */
      readonly adoptExisting?: boolean;
    };

/** The account moto_server pretends to be. */
export const EMULATOR_ACCOUNT_ID = "123456789012";

/** Every AWS service the stacks touch. An emulator target must override each, or calls go to real AWS. */
export const AWS_SERVICES = ["s3", "iam", "sts", "kms", "ec2", "sns", "cloudwatch", "dlm", "backup", "lambda", "cloudfront"] as const;

/**
 * What the emulator cannot serve, left out of emulator deploys by design and covered by synth-level tests.
 * moto 5.2.1 implements AWS Backup only in part (no vault lock, no copy actions), DLM not at all, and S3 request
 * metrics not at all.
 */
export const EMULATOR_OMITS = {
  "aws-backup": "AWS Backup vaults, vault locks, plans and selections (the VM's data-disk snapshots)",
  "s3-request-metrics":
    "S3 request-metrics configurations (moto routes PutBucketMetricsConfiguration to CreateBucket and fails); the backup alarms are created, watching metrics nothing publishes",
} as const;

/** False when `target` is the emulator and the emulator cannot serve `capability`. */
export function targetSupports(target: DeployTarget, capability: keyof typeof EMULATOR_OMITS): boolean {
  return target.kind !== "emulator" || !(capability in EMULATOR_OMITS);
}
