import { finding, parsePolicy, type Rule } from "../engine";

/** Every bucket policy refuses requests that do not use TLS. */
export const s3DenyInsecureTransport: Rule = {
  id: "PC_S3_TLS_ONLY",
  maps: ["CKV_AWS_379"],
  title: "S3 bucket policies deny requests without TLS",
  fix: "Use SecureBucket, or add a Deny statement on s3:* with condition Bool aws:SecureTransport = false",
  check(stack) {
    return stack.resources("aws_s3_bucket").flatMap((bucket) => {
      const denies = stack
        .attachedToBucket(bucket, "aws_s3_bucket_policy")
        .flatMap((p) => parsePolicy(p.config.policy)?.Statement ?? [])
        .some(
          (s: any) =>
            s.Effect === "Deny" &&
            [s.Action].flat().some((a: string) => a === "s3:*" || a === "*") &&
            String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false",
        );
      return denies ? [] : [finding(this, bucket, "no bucket policy statement denies aws:SecureTransport = false")];
    });
  },
};
