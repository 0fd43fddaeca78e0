/**
 * A customer-managed KMS key with rotation on and an alias operators can find.
 *
 * @example
 *   const key = new EncryptionKey(this, "PackagesKey", { alias: resourceName("ops", "packages"), description: "…" });
 *   key.arn  // for bucket encryption and IAM policies
 */
import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { policyDocument, type PolicyStatement } from "./policy-document";

export interface EncryptionKeyProps {
  /** Alias without the `alias/` prefix. */
  readonly alias: string;
  readonly description: string;
  /** @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /**
   * Days a scheduled deletion waits, during which it can be cancelled.
   * @default - 30 days, the longest AWS allows: deleting a key destroys every object encrypted with it
   */
  readonly deletionWindowDays?: number;
  /**
   * AWS services (e.g. `cloudwatch.amazonaws.com`) that may use the key on this account's behalf, such as
   * CloudWatch publishing to an encrypted SNS topic. Requires `accountId`.
   * @default - only IAM principals of the account, through their IAM policies (the default key policy)
   */
  readonly allowServices?: { readonly accountId: string; readonly principals: readonly string[] };
  /**
   * Statements added to the key policy after the account's administration through IAM (e.g. a Deny that keeps
   * one principal from administering the key whatever IAM later grants it). Requires `accountId`.
   * @default - none: the default key policy
   */
  readonly extraPolicy?: { readonly accountId: string; readonly statements: readonly PolicyStatement[] };
}

export class EncryptionKey extends Construct {
  /** The raw key, as an escape hatch. */
  readonly key: KmsKey;
  readonly arn: string;
  readonly aliasName: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const window = props.deletionWindowDays ?? 30;
    if (!Number.isInteger(window) || window < 7 || window > 30) {
      throw new Error(`EncryptionKey ${this.node.path}: deletionWindowDays must be a whole number from 7 to 30 (got ${window})`);
    }
    this.key = new KmsKey(this, "Default", {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: window,
      policy: keyPolicy(props),
      // The key encrypts every object of its buckets: losing it loses them all.
      lifecycle: { preventDestroy: true },
    });
    this.aliasName = `alias/${props.alias}`;
    new KmsAlias(this, "Alias", { provider: props.provider, name: this.aliasName, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }
}

/**
 * The default key policy (the account administers the key through IAM), plus use by the named services and any
 * extra statements; undefined (KMS's own default policy) when neither is asked for.
 */
function keyPolicy(props: EncryptionKeyProps): string | undefined {
  const services = props.allowServices;
  const extra = props.extraPolicy;
  if (!services && !extra) return undefined;
  const accountId = services?.accountId ?? extra!.accountId;
  if (services && extra && services.accountId !== extra.accountId) throw new Error("EncryptionKey: allowServices and extraPolicy must name the same account");
  return policyDocument([
    {
      Sid: "AccountAdministersThroughIam",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    ...(services
      ? [
          {
            // Confused-deputy guard: only on behalf of this account.
            Sid: "ServicesUseKey",
            Effect: "Allow" as const,
            Principal: { Service: [...services.principals] },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
          },
        ]
      : []),
    ...(extra?.statements ?? []),
  ]);
}
