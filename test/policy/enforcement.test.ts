/**
 * The policy pack runs on every synth of the real stacks, and the suppressions table stays honest.
 */
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Testing } from "cdktf";
import { loadEnvironments } from "../../config";
import { evaluate, SUPPRESSIONS } from "../../policy";
import { StorageStack } from "../../stacks/storage-stack";
import { ALL_STACKS, sharedStack, sharedStorage, testApp, UNIT_TARGET } from "../support/synth";

describe("policy enforcement on synth", () => {
  it("fails synth of a real stack when a raw resource bypasses the constructs, naming rule, address and fix", () => {
    const stack = new StorageStack(testApp(), { env: loadEnvironments().ops, target: UNIT_TARGET });
    new S3Bucket(stack, "Rogue", { bucket: "rogue-bucket" });
    expect(() => Testing.synth(stack, true)).toThrow(
      /\[PC_S3_VERSIONING \(CKV_AWS_21, AVD-AWS-0090\)\] aws_s3_bucket\.rogue: versioning is not enabled\. Fix: Use SecureBucket/,
    );
  });

  it.each(ALL_STACKS)("passes packagecloud-%s-%s with only suppressed findings", (env, layer) => {
    expect(evaluate(sharedStack(env, layer).json).violations).toEqual([]);
  });

  it("fails synth on a suppression without a reason", () => {
    const report = evaluate(sharedStorage("ops").json, [
      ...SUPPRESSIONS,
      { rule: "PC_S3_REPLICATION", resource: "aws_s3_bucket.access_logs", reason: " " },
    ]);
    expect(report.invalidSuppressions).toEqual([
      "suppression of PC_S3_REPLICATION on aws_s3_bucket.access_logs has no reason: say why the finding is acceptable",
    ]);
  });

  it("has no stale suppression: each one covers a finding in some stack", () => {
    const used = new Set(ALL_STACKS.flatMap(([env, layer]) => evaluate(sharedStack(env, layer).json).suppressed.map((f) => `${f.rule} ${f.address}`)));
    for (const s of SUPPRESSIONS) expect(used).toContain(`${s.rule} ${s.resource}`);
  });
});
