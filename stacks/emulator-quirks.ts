/**
 * What the emulator target changes, in one table. Each entry is a known moto 5.2.1 gap, measured here;
 * the real target never gets these, and synth-level tests assert the real values.
 */
import type { IConstruct } from "constructs";
import { TerraformResource, TerraformStack } from "cdktf";
import { PackagecloudStack } from "./base-stack";

export interface EmulatorQuirk {
  readonly resourceType: string;
  /** Only resources whose Terraform name (the address after the type) matches. @default - every resource of the type */
  readonly names?: RegExp;
  /** Attributes the emulator does not read back faithfully: Terraform stops comparing them. */
  readonly ignoreChanges?: readonly string[];
  /** Attribute values the emulator cannot apply at all, replaced for the emulator only. */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /** Policy rules the override breaks on purpose, accepted for the emulator target only. */
  readonly accepts?: readonly string[];
  readonly reason: string;
}

export const EMULATOR_QUIRKS: readonly EmulatorQuirk[] = [
  {
    resourceType: "aws_s3_bucket_replication_configuration",
    ignoreChanges: ["rule[0].source_selection_criteria"],
    reason:
      "moto's GetBucketReplication answers a fixed rule shape without SourceSelectionCriteria, so every plan " +
      "would try to add sse_kms_encrypted_objects again",
  },
  {
    resourceType: "aws_s3_bucket_policy",
    names: /^vm_config_bucket_/,
    overrides: { count: 0 },
    reason:
      "moto evaluates bucket policies without their conditions, so the TLS-only Deny refuses every object call: the " +
      "bundle's PutObject and the VM agent's GetObject answered 403 (moto_server 5.2.1, measured here). The storage " +
      "buckets keep theirs (their tests remove it where they reach objects); the real target always has it",
  },
  {
    resourceType: "aws_instance",
    overrides: { monitoring: false },
    accepts: ["PC_EC2_MONITORING"],
    reason: "moto answers MonitorInstances (detailed monitoring) with HTTP 500, which the provider calls after creating an instance with monitoring on",
  },
  {
    resourceType: "aws_instance",
    ignoreChanges: ["disable_api_termination"],
    reason:
      "moto's RunInstances ignores DisableApiTermination: after creating ops's instance with termination protection, " +
      "DescribeInstanceAttribute answers false, so every plan showed disable_api_termination false -> true " +
      "(npm run local -- ops, measured here); synth tests assert the real value",
  },
];

/** Applies every quirk to each matching resource below `scope`. */
export function applyEmulatorQuirks(scope: IConstruct): void {
  for (const child of scope.node.findAll()) {
    if (!(child instanceof TerraformResource)) continue;
    for (const quirk of EMULATOR_QUIRKS.filter((q) => q.resourceType === child.terraformResourceType && (!q.names || q.names.test(child.friendlyUniqueId)))) {
      if (quirk.ignoreChanges) {
        // Several quirks may touch one type: their ignore lists add up.
        // ...and add to what the construct itself ignores (the instance's ami): the override replaces the list.
        const own = Array.isArray(child.lifecycle?.ignoreChanges) ? (child.lifecycle!.ignoreChanges as string[]) : [];
        const ignored = ((child as any).rawOverrides?.lifecycle?.ignore_changes ?? own) as string[];
        child.addOverride("lifecycle.ignore_changes", [...ignored, ...quirk.ignoreChanges]);
      }
      for (const [attribute, value] of Object.entries(quirk.overrides ?? {})) child.addOverride(attribute, value);
      const stack = TerraformStack.of(child);
      if (stack instanceof PackagecloudStack) {
        for (const rule of quirk.accepts ?? []) stack.acceptForTarget({ rule, resource: `${quirk.resourceType}.*`, reason: `emulator target: ${quirk.reason}` });
      }
    }
  }
}
