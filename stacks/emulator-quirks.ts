/**
 * What the emulator target changes, in one table. Each entry is a known moto 5.2.1 gap, measured here;
 * the real target never gets these, and synth-level tests assert the real values.
 */
import type { IConstruct } from "constructs";
import { TerraformResource } from "cdktf";

export interface EmulatorQuirk {
  readonly resourceType: string;
  readonly ignoreChanges: readonly string[];
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
];

/** Adds the emulator's `ignore_changes` to every matching resource below `scope`. */
export function applyEmulatorQuirks(scope: IConstruct): void {
  for (const child of scope.node.findAll()) {
    if (!(child instanceof TerraformResource)) continue;
    const quirk = EMULATOR_QUIRKS.find((q) => q.resourceType === child.terraformResourceType);
    if (quirk) child.addOverride("lifecycle.ignore_changes", [...quirk.ignoreChanges]);
  }
}
