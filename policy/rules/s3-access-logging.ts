import { finding, type Rule } from "../engine";

/** Buckets log access (suppressed, with reasons, for the log buckets themselves). */
export const s3AccessLogging: Rule = {
  id: "PC_S3_ACCESS_LOGGING",
  maps: ["CKV_AWS_18", "AVD-AWS-0089"],
  title: "S3 buckets have server access logging",
  fix: "Pass accessLogs to SecureBucket, or add an aws_s3_bucket_logging",
  check(stack) {
    return stack.resources("aws_s3_bucket").flatMap((bucket) =>
      stack.attachedToBucket(bucket, "aws_s3_bucket_logging").length > 0 ? [] : [finding(this, bucket, "has no access logging")],
    );
  },
};
