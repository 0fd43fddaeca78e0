import { finding, type Rule } from "../engine";

/** ACLs are disabled: the bucket owner owns every object. */
export const s3OwnershipEnforced: Rule = {
  id: "PC_S3_OWNER_ENFORCED",
  maps: ["CKV2_AWS_65"],
  title: "S3 buckets disable ACLs (BucketOwnerEnforced)",
  fix: "Use SecureBucket, or add an aws_s3_bucket_ownership_controls with object_ownership BucketOwnerEnforced",
  check(stack) {
    return stack.resources("aws_s3_bucket").flatMap((bucket) => {
      const enforced = stack
        .attachedToBucket(bucket, "aws_s3_bucket_ownership_controls")
        .some((o) => [o.config.rule].flat().some((r: any) => r?.object_ownership === "BucketOwnerEnforced"));
      return enforced ? [] : [finding(this, bucket, "ACLs are not disabled")];
    });
  },
};
