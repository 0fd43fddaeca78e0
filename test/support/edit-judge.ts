/**
 * The routine-edit judge, apart from Terraform (unit-tested in test/routine-edits.test.ts): exactly the addresses an
 * edit names change, with the actions it names; nothing else changes.
 */
import type { RoutineEdit } from "../corpus/routine-edits";

/** The changes a plan makes (no-ops and data-source reads left out), as "address: actions". */
export function planChanges(plan: any): Map<string, string[]> {
  const changes = new Map<string, string[]>();
  for (const change of plan.resource_changes ?? []) {
    const actions: string[] = change.change?.actions ?? [];
    if (change.mode === "data" || (actions.length === 1 && (actions[0] === "no-op" || actions[0] === "read"))) continue;
    changes.set(change.address, actions);
  }
  return changes;
}

/** What is wrong with a plan for an edit: anything it changes beyond what the edit names, or a named change missing. */
export function judgeEdit(edit: RoutineEdit, plan: any): string[] {
  const changes = planChanges(plan);
  const problems: string[] = [];
  const expected = new Map<string, string>();
  if (edit.expect !== "no changes") {
    for (const address of edit.expect.update ?? []) expected.set(address, "update");
    for (const address of edit.expect.create ?? []) expected.set(address, "create");
  }
  for (const [address, action] of expected) {
    const actual = changes.get(address);
    if (!actual) problems.push(`the edit does not reach ${address} (expected ${action})`);
    else if (actual.join(",") !== action) problems.push(`${address}: ${actual.join(", ")} instead of ${action}`);
  }
  for (const [address, actions] of changes) {
    if (!expected.has(address)) problems.push(`${address}: ${actions.join(", ")}, which the edit does not name`);
  }
  return problems;
}

