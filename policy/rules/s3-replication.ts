import { finding, type Rule } from "../engine";

/** Buckets are replicated to another region (suppressed, with reasons, for replicas, backups and logs). */
export const s3Replication: Rule = {
  id: "PC_S3_REPLICATION",
  maps: ["CKV_AWS_144"],
  title: "S3 buckets replicate to another region",
  fix: "Use ReplicatedBucket, or add the bucket to policy/suppressions.ts with the reason it needs no replica",
  check(stack) {
    return stack.resources("aws_s3_bucket").flatMap((bucket) =>
      stack.attachedToBucket(bucket, "aws_s3_bucket_replication_configuration").length > 0
        ? []
        : [finding(this, bucket, "has no replication configuration")],
    );
  },
};
