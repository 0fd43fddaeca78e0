import { finding, parsePolicy, type Rule, type StackView, type TfResource } from "../engine";

/** An origin access identity as a bucket-policy principal, literal or a Terraform reference. */
const OAI_PRINCIPAL = /CloudFront Origin Access Identity|aws_cloudfront_origin_access_identity\./;

/** The buckets packagecloud serves through CloudFront: its package bucket and the replica it fails over to. */
function configuredOrigins(stack: StackView): Set<string> {
  return new Set(stack.environments.flatMap((env) => [env.storage.packages.bucketName, env.storage.packages.replicaBucketName]));
}

/**
 * A bucket CloudFront reads through an origin access identity (OAI) is not SSE-KMS: an OAI cannot decrypt
 * SSE-KMS objects, so every CDN fetch would be a 403 ("OAI doesn't support ... server-side encryption with AWS
 * KMS (SSE-KMS)": https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html).
 * packagecloud's own CloudFront setup creates an OAI ("Create CloudFront Origin Access Identity":
 * https://packagecloud.atlassian.net/wiki/spaces/ENTERPRISE/pages/501972993/AWS+CloudFront+Setup), so its
 * package buckets, source and replica, are OAI origins whether or not the OAI statement is in this stack's
 * output (the application writes it). No scanner checks this.
 */
export const s3CdnOriginEncryption: Rule = {
  id: "PC_S3_CDN_ORIGIN_NOT_KMS",
  maps: [],
  title: "Buckets served through a CloudFront origin access identity are not SSE-KMS",
  fix:
    "Encrypt CDN origins with SSE-S3 (SecureBucket BucketEncryption.s3Managed(reason), ReplicatedBucket s3ManagedEncryption); " +
    "only an origin access control with a key-policy grant can read SSE-KMS (CloudFront Developer Guide, private-content-restricting-access-to-s3)",
  check(stack) {
    const origins = configuredOrigins(stack);
    const servedByOai = (bucket: TfResource) =>
      origins.has(bucket.config.bucket) ||
      stack
        .attachedToBucket(bucket, "aws_s3_bucket_policy")
        .some((p) => (parsePolicy(p.config.policy)?.Statement ?? []).some((s: any) => s.Effect === "Allow" && OAI_PRINCIPAL.test(JSON.stringify(s.Principal ?? ""))));
    return stack.resources("aws_s3_bucket").filter(servedByOai).flatMap((bucket) => {
      const kms = stack
        .attachedToBucket(bucket, "aws_s3_bucket_server_side_encryption_configuration")
        .flatMap((e) => [e.config.rule].flat())
        .flatMap((r: any) => [r?.apply_server_side_encryption_by_default].flat())
        .filter((d: any) => String(d?.sse_algorithm ?? "").startsWith("aws:kms"));
      return kms.length === 0
        ? []
        : [finding(this, bucket, `is served through a CloudFront origin access identity but encrypts with ${kms[0].sse_algorithm}: the OAI cannot decrypt, every CDN fetch is a 403`)];
    });
  },
};
