/**
 * The routine-edit judge (test/support/routine-edits.ts) on plans written by hand: it passes exactly the plan an
 * edit names and fails every other, so the corpus's engine runs can fail for the reasons they name.
 */
import { ROUTINE_EDITS, type RoutineEdit } from "./corpus/routine-edits";
import { judgeEdit, planChanges } from "./support/edit-judge";

const disk: RoutineEdit = { name: "a bigger data disk", layer: "vm", expect: { update: ["aws_ebs_volume.vm_data_volume"] } };
const change = (address: string, actions: string[], mode = "managed") => ({ address, mode, change: { actions } });

describe("judging a routine edit's plan", () => {
  it("passes the plan that updates exactly what the edit names", () => {
    expect(judgeEdit(disk, { resource_changes: [change("aws_ebs_volume.vm_data_volume", ["update"]), change("aws_instance.vm_instance", ["no-op"])] })).toEqual([]);
  });

  it("fails a replacement of what it names, and names the actions", () => {
    expect(judgeEdit(disk, { resource_changes: [change("aws_ebs_volume.vm_data_volume", ["delete", "create"])] })).toEqual([
      "aws_ebs_volume.vm_data_volume: delete, create instead of update",
    ]);
  });

  it("fails a change of anything else, and an edit that reaches nothing", () => {
    expect(judgeEdit(disk, { resource_changes: [change("aws_instance.vm_instance", ["update"])] })).toEqual([
      "the edit does not reach aws_ebs_volume.vm_data_volume (expected update)",
      "aws_instance.vm_instance: update, which the edit does not name",
    ]);
  });

  it("holds a 'no changes' edit to an empty plan; data-source reads are not changes", () => {
    const ami: RoutineEdit = { name: "ami", layer: "vm", expect: "no changes" };
    expect(judgeEdit(ami, { resource_changes: [change("data.aws_iam_policy.x", ["read"], "data")] })).toEqual([]);
    expect(judgeEdit(ami, { resource_changes: [change("aws_instance.vm_instance", ["update"])] })).toEqual(["aws_instance.vm_instance: update, which the edit does not name"]);
    expect([...planChanges({ resource_changes: [change("a.b", ["create"]), change("c.d", ["no-op"])] }).keys()]).toEqual(["a.b"]);
  });

  it("keeps the corpus well formed: unique names, something expected of each", () => {
    const names = ROUTINE_EDITS.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const edit of ROUTINE_EDITS) expect(Boolean(edit.config || edit.file || edit.code)).toBe(true);
  });
});
