import { finding, type Rule } from "../engine";

/** Every bucket has a lifecycle configuration that aborts incomplete multipart uploads. */
export const s3Lifecycle: Rule = {
  id: "PC_S3_LIFECYCLE",
  maps: ["CKV2_AWS_61", "CKV_AWS_300"],
  title: "S3 buckets have a lifecycle configuration that aborts incomplete multipart uploads",
  fix: "Use SecureBucket, or add an aws_s3_bucket_lifecycle_configuration with an enabled abort_incomplete_multipart_upload rule",
  check(stack) {
    return stack.resources("aws_s3_bucket").flatMap((bucket) => {
      const rules = stack.attachedToBucket(bucket, "aws_s3_bucket_lifecycle_configuration").flatMap((l) => [l.config.rule].flat());
      if (rules.length === 0) return [finding(this, bucket, "has no lifecycle configuration")];
      const aborts = rules.some((r: any) => r?.status === "Enabled" && [r.abort_incomplete_multipart_upload].flat().some((a: any) => a?.days_after_initiation >= 1));
      return aborts ? [] : [finding(this, bucket, "lifecycle never aborts incomplete multipart uploads")];
    });
  },
};
