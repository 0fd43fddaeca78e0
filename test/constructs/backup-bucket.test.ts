import { BackupBucket, UPLOADER_DENIED_ACTIONS } from "../../constructs/backup-bucket";
import { EncryptionKey } from "../../constructs/encryption-key";
import { ObjectLockRetention } from "../../constructs/secure-bucket";
import { constructStack, synth, Synthesized } from "../support/synth";

function build(overrides: Partial<ConstructorParameters<typeof BackupBucket>[2]> = {}) {
  const { stack } = constructStack();
  const encryptionKey = new EncryptionKey(stack, "Key", { alias: "backups", description: "backups" });
  new BackupBucket(stack, "Offsite", {
    environment: "ops",
    component: "offsite-backups",
    bucketName: "offsite-example",
    prefix: "backups/",
    expireAfterDays: 31,
    objectLock: ObjectLockRetention.compliance(30),
    encryptionKey,
    uploaderRole: { trustedAccountId: "111122223333" },
    ...overrides,
  });
  return synth(stack);
}

describe("BackupBucket", () => {
  const out = build();
  const policy = Synthesized.policy(out.resource("aws_iam_policy", "offsite_uploader_policy").policy);
  const statement = (sid: string) => policy.Statement.find((s) => s.Sid === sid);

  it("locks every new backup with the configured retention", () => {
    expect(out.resource("aws_s3_bucket", "offsite_bucket").object_lock_enabled).toBe(true);
    expect(out.resource("aws_s3_bucket_object_lock_configuration", "offsite_bucket_object_lock").rule).toEqual({
      default_retention: { mode: "COMPLIANCE", days: 30 },
    });
  });

  it("expires backups after the retention and removes them a day after they become noncurrent", () => {
    const rules = out.resource("aws_s3_bucket_lifecycle_configuration", "offsite_bucket_lifecycle").rule;
    const byId = Object.fromEntries(rules.map((r: any) => [r.id, r]));
    expect(byId["expire-current-versions"].expiration).toEqual([{ days: 31 }]);
    expect(byId["expire-noncurrent-versions"].noncurrent_version_expiration).toEqual([{ noncurrent_days: 1 }]);
  });

  it("lets the uploader put backups under the prefix only", () => {
    expect(statement("PutBackups")).toEqual({
      Sid: "PutBackups",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      Resource: "${aws_s3_bucket.offsite_bucket.arn}/backups/*",
    });
    expect(statement("ListBackups").Condition).toEqual({ StringLike: { "s3:prefix": ["backups/*"] } });
  });

  it("never lets the uploader delete, change retention, or bypass governance, whatever else it holds", () => {
    const allowed = policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => [s.Action].flat());
    for (const action of UPLOADER_DENIED_ACTIONS) expect(allowed).not.toContain(action);
    expect(statement("NeverDeleteOrUnlock")).toEqual({
      Sid: "NeverDeleteOrUnlock",
      Effect: "Deny",
      Action: [...UPLOADER_DENIED_ACTIONS],
      Resource: ["${aws_s3_bucket.offsite_bucket.arn}", "${aws_s3_bucket.offsite_bucket.arn}/*"],
    });
    expect(UPLOADER_DENIED_ACTIONS).toEqual(
      expect.arrayContaining(["s3:DeleteObjectVersion", "s3:PutObjectRetention", "s3:BypassGovernanceRetention"]),
    );
  });

  it("creates an uploader role trusted by the account and carrying only the uploader policy", () => {
    const role = out.resource("aws_iam_role", "offsite_uploader_role");
    expect(role.name).toBe("packagecloud-ops-offsite-backups-uploader");
    expect(Synthesized.policy(role.assume_role_policy).Statement[0].Principal).toEqual({ AWS: "arn:aws:iam::111122223333:root" });
    expect(out.resource("aws_iam_role_policy_attachment", "offsite_uploader_role_policy").policy_arn).toBe(
      "${aws_iam_policy.offsite_uploader_policy.arn}",
    );
  });

  it("creates no role when only the policy is asked for", () => {
    expect(build({ uploaderRole: undefined, objectLock: undefined }).resources("aws_iam_role")).toEqual({});
  });
});

describe("BackupBucket validation", () => {
  it("fails if backups would expire while still locked", () => {
    expect(() => build({ expireAfterDays: 7 })).toThrow(/lifecycle\.expireAfterDays \(7\) must be at least the Object Lock retention \(30 days\)/);
  });
});
