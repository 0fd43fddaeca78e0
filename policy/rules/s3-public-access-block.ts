import { finding, type Rule } from "../engine";

const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] as const;

/** Every bucket blocks all four kinds of public access. */
export const s3PublicAccessBlock: Rule = {
  id: "PC_S3_PUBLIC_ACCESS_BLOCK",
  maps: ["CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093", "AVD-AWS-0094"],
  title: "S3 buckets block all public access",
  fix: "Use SecureBucket, or add an aws_s3_bucket_public_access_block with all four flags true",
  check(stack) {
    return stack.resources("aws_s3_bucket").flatMap((bucket) => {
      const blocks = stack.attachedToBucket(bucket, "aws_s3_bucket_public_access_block");
      if (blocks.length === 0) return [finding(this, bucket, "has no public access block")];
      const missing = FLAGS.filter((flag) => !blocks.some((b) => b.config[flag] === true));
      return missing.length === 0 ? [] : [finding(this, bucket, `public access block leaves ${missing.join(", ")} off`)];
    });
  },
};
