import { finding, type Rule } from "../engine";

/** Every bucket encrypts by default with a customer-managed KMS key. */
export const s3KmsEncryption: Rule = {
  id: "PC_S3_KMS_ENCRYPTION",
  maps: ["CKV_AWS_19", "CKV_AWS_145", "AVD-AWS-0088", "AVD-AWS-0132"],
  title: "S3 buckets are encrypted by default with a customer-managed KMS key",
  fix: "Use SecureBucket with BucketEncryption.kms(key), or an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm aws:kms and kms_master_key_id",
  check(stack) {
    return stack.resources("aws_s3_bucket").flatMap((bucket) => {
      const rules = stack
        .attachedToBucket(bucket, "aws_s3_bucket_server_side_encryption_configuration")
        .flatMap((e) => [e.config.rule].flat());
      const defaults = rules.flatMap((r: any) => [r?.apply_server_side_encryption_by_default].flat()).filter(Boolean);
      if (defaults.length === 0) return [finding(this, bucket, "has no default encryption")];
      const kms = defaults.some((d: any) => String(d.sse_algorithm).startsWith("aws:kms") && d.kms_master_key_id);
      return kms ? [] : [finding(this, bucket, `encrypts with ${defaults[0].sse_algorithm}, not a customer-managed KMS key`)];
    });
  },
};
