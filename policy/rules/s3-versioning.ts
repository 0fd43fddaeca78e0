import { finding, type Rule } from "../engine";

/** Every bucket keeps old versions, so an overwrite or delete can be undone. */
export const s3Versioning: Rule = {
  id: "PC_S3_VERSIONING",
  maps: ["CKV_AWS_21", "AVD-AWS-0090"],
  title: "S3 buckets have versioning enabled",
  fix: "Use SecureBucket, or add an aws_s3_bucket_versioning with status Enabled",
  check(stack) {
    return stack.resources("aws_s3_bucket").flatMap((bucket) => {
      const enabled = stack
        .attachedToBucket(bucket, "aws_s3_bucket_versioning")
        .some((v) => [v.config.versioning_configuration].flat().some((c: any) => c?.status === "Enabled"));
      return enabled ? [] : [finding(this, bucket, "versioning is not enabled")];
    });
  },
};
