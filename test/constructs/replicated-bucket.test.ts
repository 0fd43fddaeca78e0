import { ReplicatedBucket } from "../../constructs/replicated-bucket";
import { constructStack, synth, Synthesized } from "../support/synth";

function build(overrides: Partial<ConstructorParameters<typeof ReplicatedBucket>[2]> = {}) {
  const { stack, replicaProvider } = constructStack();
  const packages = new ReplicatedBucket(stack, "Packages", {
    environment: "ops",
    component: "packages",
    bucketName: "packages-example",
    replicaBucketName: "packages-example-replica",
    region: "us-west-1",
    replicaRegion: "eu-central-1",
    replicaProvider,
    noncurrentVersionDays: 30,
    ...overrides,
  });
  return { stack, packages };
}

describe("ReplicatedBucket, minimal call", () => {
  const { stack } = build();
  const out = synth(stack);
  const replication = out.resource("aws_s3_bucket_replication_configuration", "packages_replication");
  const [rule] = replication.rule;

  it("creates the replica bucket and its key through the replica region's provider", () => {
    expect(out.resource("aws_s3_bucket", "packages_replica").provider).toBe("aws.replica");
    expect(out.resource("aws_kms_key", "packages_replica_key").provider).toBe("aws.replica");
    expect(out.resource("aws_s3_bucket", "packages_source").provider).toBeUndefined();
    expect(out.resource("aws_kms_key", "packages_source_key").provider).toBeUndefined();
  });

  it("gives each region its own customer key, with rotation", () => {
    expect(out.resource("aws_kms_key", "packages_source_key").enable_key_rotation).toBe(true);
    expect(out.resource("aws_kms_key", "packages_replica_key").enable_key_rotation).toBe(true);
    expect(out.resource("aws_kms_alias", "packages_replica_key_alias").name).toBe("alias/packagecloud-ops-packages-replica");
  });

  it("protects both buckets from destroy", () => {
    expect(out.resource("aws_s3_bucket", "packages_source").lifecycle).toEqual({ prevent_destroy: true });
    expect(out.resource("aws_s3_bucket", "packages_replica").lifecycle).toEqual({ prevent_destroy: true });
  });

  it("waits for versioning on both buckets before configuring replication", () => {
    expect(replication.depends_on).toEqual([
      "aws_s3_bucket_versioning.packages_source_versioning",
      "aws_s3_bucket_versioning.packages_replica_versioning",
    ]);
  });

  it("never replicates delete markers", () => {
    expect(rule.delete_marker_replication).toEqual({ status: "Disabled" });
  });

  it("replicates KMS-encrypted objects, re-encrypting them with the replica key", () => {
    expect(rule.source_selection_criteria).toEqual({ sse_kms_encrypted_objects: { status: "Enabled" } });
    expect(rule.destination).toMatchObject({
      bucket: "${aws_s3_bucket.packages_replica.arn}",
      encryption_configuration: { replica_kms_key_id: "${aws_kms_key.packages_replica_key.arn}" },
    });
    expect(rule).toMatchObject({ status: "Enabled", priority: 1, filter: {} });
  });

  describe("replication role", () => {
    const role = out.resource("aws_iam_role", "packages_replication_role");
    const policy = Synthesized.policy(out.resource("aws_iam_role_policy", "packages_replication_policy").policy);
    const statement = (sid: string) => policy.Statement.find((s) => s.Sid === sid);

    // S3 User Guide, "Setting up permissions for live replication", step 2: the documented trust policy has no
    // condition; AWS documents no aws:SourceArn/aws:SourceAccount sent by S3 when it assumes this role, and a
    // condition on a key the service does not send refuses the assumption (replication then stops silently).
    it("is assumable by S3 with AWS's documented trust policy, with no condition on a key S3 is not documented to send", () => {
      expect(Synthesized.policy(role.assume_role_policy).Statement).toEqual([
        { Sid: "S3Replication", Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
      expect(replication.role).toBe("${aws_iam_role.packages_replication_role.arn}");
    });

    it("may not write delete markers (no s3:ReplicateDelete) and writes only to the replica", () => {
      const actions = policy.Statement.flatMap((s) => [s.Action].flat());
      expect(actions).not.toContain("s3:ReplicateDelete");
      expect(statement("WriteReplicaVersions")).toMatchObject({
        Action: ["s3:ReplicateObject", "s3:ReplicateTags"],
        Resource: "${aws_s3_bucket.packages_replica.arn}/*",
      });
    });

    it("may decrypt with the source key and encrypt with the replica key, each only through S3 in its region", () => {
      expect(statement("DecryptSource")).toMatchObject({
        Action: "kms:Decrypt",
        Resource: "${aws_kms_key.packages_source_key.arn}",
        Condition: { StringEquals: { "kms:ViaService": "s3.us-west-1.amazonaws.com" } },
      });
      expect(statement("EncryptReplica")).toMatchObject({
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: "${aws_kms_key.packages_replica_key.arn}",
        Condition: { StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" } },
      });
    });

    it("has no wildcard action or resource", () => {
      for (const s of policy.Statement) {
        expect([s.Action].flat().some((a: string) => a.includes("*"))).toBe(false);
        expect([s.Resource].flat()).not.toContain("*");
      }
    });
  });
});

describe("ReplicatedBucket with SSE-S3 (a CloudFront origin access identity reads it)", () => {
  const out = synth(build({ s3ManagedEncryption: { reason: "read through a CloudFront OAI" } }).stack);
  const [rule] = out.resource("aws_s3_bucket_replication_configuration", "packages_replication").rule;
  const policy = Synthesized.policy(out.resource("aws_iam_role_policy", "packages_replication_policy").policy);

  it("encrypts both buckets with SSE-S3 and creates no KMS key", () => {
    for (const name of ["packages_source_encryption", "packages_replica_encryption"]) {
      expect(out.resource("aws_s3_bucket_server_side_encryption_configuration", name).rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
      ]);
    }
    expect(out.resources("aws_kms_key")).toEqual({});
  });

  it("replicates without KMS selection or re-encryption, and the role has no KMS rights", () => {
    expect(rule.source_selection_criteria).toBeUndefined();
    expect(rule.destination.encryption_configuration).toBeUndefined();
    expect(policy.Statement.flatMap((s) => [s.Action].flat()).filter((a: string) => a.startsWith("kms:"))).toEqual([]);
  });

  it("still publishes replication metrics, without Replication Time Control or its event threshold", () => {
    expect(rule.destination.metrics).toEqual({ status: "Enabled" });
    expect(rule.destination.replication_time).toBeUndefined();
  });
});

describe("ReplicatedBucket validation", () => {
  it("fails if the replica region is the source region", () => {
    expect(() => build({ replicaRegion: "us-west-1" })).toThrow(
      /ReplicatedBucket test\/Packages: replicaRegion must differ from the source region \(us-west-1\)/,
    );
  });
});
