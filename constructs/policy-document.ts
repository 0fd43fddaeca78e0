/**
 * IAM policy documents as typed data, rendered to JSON once.
 *
 * Terraform tokens (ARNs of resources not yet created) survive `JSON.stringify` as `${…}` interpolations,
 * so a document can mix literal and computed values and still read as plain JSON in the synthesized stack.
 */

export type OneOrMany = string | readonly string[];

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | { readonly [kind: string]: OneOrMany };
  readonly Action: OneOrMany;
  /** Omitted only in trust (assume-role) policies. */
  readonly Resource?: OneOrMany;
  /** Everything but these (a Deny that fences a managed policy's "*"). */
  readonly NotResource?: OneOrMany;
  readonly Condition?: { readonly [operator: string]: { readonly [key: string]: OneOrMany | boolean } };
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  const sids = new Set<string>();
  for (const s of statements) {
    if (!/^[A-Za-z0-9]+$/.test(s.Sid)) throw new Error(`policyDocument: Sid "${s.Sid}" must be alphanumeric`);
    if (sids.has(s.Sid)) throw new Error(`policyDocument: Sid "${s.Sid}" is used twice`);
    sids.add(s.Sid);
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** CKV_AWS_379: refuse every request to the bucket that does not use TLS. */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    // Equivalent to "*" (IAM policy reference); written as an object because moto's logging-target check
    // crashes on a string principal in the target bucket's policy.
    Principal: { AWS: "*" },
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}
