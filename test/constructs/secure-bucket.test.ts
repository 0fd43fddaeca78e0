import { EncryptionKey } from "../../constructs/encryption-key";
import { BucketEncryption, ObjectLockRetention, SecureBucket } from "../../constructs/secure-bucket";
import { constructStack, synth, Synthesized } from "../support/synth";

function minimal() {
  const { stack } = constructStack();
  const key = new EncryptionKey(stack, "Key", { alias: "test", description: "test" });
  const bucket = new SecureBucket(stack, "Bucket", {
    bucketName: "example-bucket",
    encryption: BucketEncryption.kms(key),
    lifecycle: { noncurrentVersionDays: 30 },
  });
  return { stack, key, bucket, out: synth(stack) };
}

describe("SecureBucket, minimal call", () => {
  const { out } = minimal();

  it("protects the bucket from destroy and from force-destroy of its objects", () => {
    const bucket = out.resource("aws_s3_bucket", "bucket");
    expect(bucket.bucket).toBe("example-bucket");
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    expect(bucket.force_destroy).toBe(false);
    expect(bucket.object_lock_enabled).toBeUndefined();
  });

  it("turns versioning on", () => {
    expect(out.resource("aws_s3_bucket_versioning", "bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
  });

  it("encrypts with the customer key and an S3 Bucket Key", () => {
    const [rule] = out.resource("aws_s3_bucket_server_side_encryption_configuration", "bucket_encryption").rule;
    expect(rule.apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: "aws:kms",
      kms_master_key_id: "${aws_kms_key.key.arn}",
    });
    expect(rule.bucket_key_enabled).toBe(true);
  });

  it("blocks all four kinds of public access", () => {
    expect(out.resource("aws_s3_bucket_public_access_block", "bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it("disables ACLs (bucket owner enforced)", () => {
    expect(out.resource("aws_s3_bucket_ownership_controls", "bucket_ownership").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  it("denies every request without TLS, and owns the policy exclusively by default", () => {
    const policy = out.resource("aws_s3_bucket_policy", "bucket_policy");
    expect(policy.lifecycle).toBeUndefined();
    expect(policy.depends_on).toEqual(["aws_s3_bucket_public_access_block.bucket_public_access_block"]);
    const statement = Synthesized.policy(policy.policy).Statement.find((s) => s.Sid === "DenyInsecureTransport");
    expect(statement).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "s3:*",
      Resource: ["${aws_s3_bucket.bucket.arn}", "${aws_s3_bucket.bucket.arn}/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  it("expires noncurrent versions, aborts multipart uploads after 7 days, and cleans up delete markers", () => {
    const lifecycle = out.resource("aws_s3_bucket_lifecycle_configuration", "bucket_lifecycle");
    expect(lifecycle.depends_on).toEqual(["aws_s3_bucket_versioning.bucket_versioning"]);
    const byId = Object.fromEntries(lifecycle.rule.map((r: any) => [r.id, r]));
    expect(byId["abort-incomplete-multipart-uploads"].abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
    expect(byId["expire-noncurrent-versions"].noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
    expect(byId["remove-expired-delete-markers"].expiration).toEqual([{ expired_object_delete_marker: true }]);
    expect(byId["expire-current-versions"]).toBeUndefined();
    for (const rule of lifecycle.rule) expect(rule.status).toBe("Enabled");
  });

  it("protects its KMS key from destroy, with rotation on and the longest deletion window", () => {
    expect(out.resource("aws_kms_key", "key")).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(out.resource("aws_kms_alias", "key_alias").name).toBe("alias/test");
  });
});

describe("SecureBucket options", () => {
  it("enables Object Lock at creation with the default retention, after versioning", () => {
    const { stack } = constructStack();
    const key = new EncryptionKey(stack, "Key", { alias: "test", description: "test" });
    new SecureBucket(stack, "Locked", {
      bucketName: "locked-bucket",
      encryption: BucketEncryption.kms(key),
      lifecycle: { noncurrentVersionDays: 1, expireAfterDays: 31 },
      objectLock: ObjectLockRetention.compliance(30),
    });
    const out = synth(stack);
    expect(out.resource("aws_s3_bucket", "locked").object_lock_enabled).toBe(true);
    const lock = out.resource("aws_s3_bucket_object_lock_configuration", "locked_object_lock");
    expect(lock.rule).toEqual({ default_retention: { mode: "COMPLIANCE", days: 30 } });
    expect(lock.depends_on).toEqual(["aws_s3_bucket_versioning.locked_versioning"]);
    const rules = out.resource("aws_s3_bucket_lifecycle_configuration", "locked_lifecycle").rule;
    expect(rules.find((r: any) => r.id === "expire-current-versions").expiration).toEqual([{ days: 31 }]);
  });

  it("shares the policy when asked: written at creation, never rewritten (ignore_changes)", () => {
    const { stack } = constructStack();
    const key = new EncryptionKey(stack, "Key", { alias: "test", description: "test" });
    new SecureBucket(stack, "Shared", {
      bucketName: "shared-bucket",
      encryption: BucketEncryption.kms(key),
      lifecycle: { noncurrentVersionDays: 1 },
      policyOwnership: "shared",
    });
    expect(synth(stack).resource("aws_s3_bucket_policy", "shared_policy").lifecycle).toEqual({ ignore_changes: ["policy"] });
  });

  it("logs access into a target bucket whose policy admits only the S3 logging service for listed sources", () => {
    const { stack } = constructStack();
    const key = new EncryptionKey(stack, "Key", { alias: "test", description: "test" });
    const logs = new SecureBucket(stack, "Logs", {
      bucketName: "log-bucket",
      encryption: BucketEncryption.s3Managed("log delivery"),
      lifecycle: { noncurrentVersionDays: 1, expireAfterDays: 90 },
    });
    new SecureBucket(stack, "Data", {
      bucketName: "data-bucket",
      encryption: BucketEncryption.kms(key),
      lifecycle: { noncurrentVersionDays: 1 },
      accessLogs: { target: logs, prefix: "data-bucket/" },
    });
    const out = synth(stack);
    expect(out.resource("aws_s3_bucket_logging", "data_access_logs")).toMatchObject({
      target_bucket: "${aws_s3_bucket.logs.id}",
      target_prefix: "data-bucket/",
      depends_on: ["aws_s3_bucket_policy.logs_policy"],
    });
    const statement = Synthesized.policy(out.resource("aws_s3_bucket_policy", "logs_policy").policy).Statement.find(
      (s) => s.Sid === "AllowS3ServerAccessLogs",
    );
    expect(statement).toEqual({
      Sid: "AllowS3ServerAccessLogs",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: "${aws_s3_bucket.logs.arn}/*",
      Condition: { ArnLike: { "aws:SourceArn": ["${aws_s3_bucket.data.arn}"] } },
    });
    const [rule] = out.resource("aws_s3_bucket_server_side_encryption_configuration", "logs_encryption").rule;
    expect(rule.apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "AES256" });
  });

  it("renders statements added after construction", () => {
    const { stack, bucket } = (() => {
      const { stack } = constructStack();
      const key = new EncryptionKey(stack, "Key", { alias: "test", description: "test" });
      const bucket = new SecureBucket(stack, "Bucket", { bucketName: "example-bucket", encryption: BucketEncryption.kms(key), lifecycle: { noncurrentVersionDays: 1 } });
      return { stack, bucket };
    })();
    bucket.addToResourcePolicy({ Sid: "Extra", Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:DeleteBucket", Resource: bucket.arn });
    const sids = Synthesized.policy(synth(stack).resource("aws_s3_bucket_policy", "bucket_policy").policy).Statement.map((s) => s.Sid);
    expect(sids).toEqual(["DenyInsecureTransport", "Extra"]);
  });
});

describe("SecureBucket validation", () => {
  function build(change: Partial<ConstructorParameters<typeof SecureBucket>[2]>) {
    const { stack } = constructStack();
    const key = new EncryptionKey(stack, "Key", { alias: "test", description: "test" });
    return () =>
      new SecureBucket(stack, "Bucket", {
        bucketName: "example-bucket",
        encryption: BucketEncryption.kms(key),
        lifecycle: { noncurrentVersionDays: 1 },
        ...change,
      });
  }

  it("fails if the bucket name breaks S3 naming rules, naming the construct path", () => {
    expect(build({ bucketName: "Bad_Name" })).toThrow(/SecureBucket test\/Bucket: bucketName "Bad_Name" must be 3-63 characters/);
  });

  it("fails if a lifecycle period is not a whole number of days >= 1", () => {
    expect(build({ lifecycle: { noncurrentVersionDays: 0 } })).toThrow(/lifecycle\.noncurrentVersionDays must be a whole number of days >= 1 \(got 0\)/);
    expect(build({ lifecycle: { noncurrentVersionDays: 1, abortIncompleteMultipartDays: 0.5 } })).toThrow(/abortIncompleteMultipartDays/);
  });

  it("fails if objects would expire before their Object Lock retention lapses", () => {
    expect(build({ lifecycle: { noncurrentVersionDays: 1, expireAfterDays: 10 }, objectLock: ObjectLockRetention.governance(30) })).toThrow(
      /lifecycle\.expireAfterDays \(10\) must be at least the Object Lock retention \(30 days\)/,
    );
  });

  it("fails if an Object Lock retention is outside 1 day to 100 years", () => {
    expect(() => ObjectLockRetention.compliance(0)).toThrow(/days must be a whole number from 1 to 36500 \(got 0\)/);
    expect(() => ObjectLockRetention.governance(36501)).toThrow(/got 36501/);
  });

  it("fails if S3-managed encryption is chosen without a reason", () => {
    expect(() => BucketEncryption.s3Managed(" ")).toThrow(/needs a reason/);
  });

  it("fails if a KMS key deletion window is outside 7-30 days", () => {
    const { stack } = constructStack();
    expect(() => new EncryptionKey(stack, "Key", { alias: "a", description: "d", deletionWindowDays: 3 })).toThrow(
      /EncryptionKey test\/Key: deletionWindowDays must be a whole number from 7 to 30 \(got 3\)/,
    );
  });
});
