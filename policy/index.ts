/**
 * Runs the policy pack over a synthesized stack and applies the suppressions table.
 */
import type { EnvironmentConfig } from "../config";
import { StackView, type Finding } from "./engine";
import { RULES } from "./rules";
import { SUPPRESSIONS, type Suppression } from "./suppressions";

export { RULES } from "./rules";
export { SUPPRESSIONS } from "./suppressions";
export type { Finding, Rule } from "./engine";

function suppresses(s: Suppression, f: Finding): boolean {
  if (s.rule !== f.rule) return false;
  if (s.resource.endsWith(".*")) return f.address.startsWith(s.resource.slice(0, -1));
  return s.resource === f.address;
}

export interface PolicyReport {
  /** Findings no suppression covers: each fails synth. */
  readonly violations: Finding[];
  /** Findings a suppression covers, with its reason. */
  readonly suppressed: Array<Finding & { reason: string }>;
  /** Problems with the suppressions themselves (no reason, unknown rule). */
  readonly invalidSuppressions: string[];
}

/**
 * `environments`: the configuration the stack was built from (a stack passes its own environment); rules that
 * compare the stack with the configuration read it. By default the project's environments.
 */
export function evaluate(stackJson: Record<string, any>, suppressions: readonly Suppression[] = SUPPRESSIONS, environments?: readonly EnvironmentConfig[]): PolicyReport {
  const view = new StackView(stackJson, environments);
  const findings = RULES.flatMap((rule) => rule.check(view));
  const violations: Finding[] = [];
  const suppressed: Array<Finding & { reason: string }> = [];
  for (const f of findings) {
    const s = suppressions.find((candidate) => suppresses(candidate, f) && candidate.reason.trim().length > 0);
    if (s) suppressed.push({ ...f, reason: s.reason });
    else violations.push(f);
  }
  const invalidSuppressions = suppressions.flatMap((s) => {
    const problems: string[] = [];
    if (s.reason.trim().length === 0) problems.push(`suppression of ${s.rule} on ${s.resource} has no reason: say why the finding is acceptable`);
    if (!RULES.some((r) => r.id === s.rule)) problems.push(`suppression names unknown rule ${s.rule}`);
    return problems;
  });
  return { violations, suppressed, invalidSuppressions };
}

/** The message a violation fails synth with: rule, address, what is wrong, and the fix. */
export function describeViolation(f: Finding): string {
  const rule = RULES.find((r) => r.id === f.rule)!;
  const ids = rule.maps.length > 0 ? ` (${rule.maps.join(", ")})` : "";
  return `[${f.rule}${ids}] ${f.address}: ${f.message}. Fix: ${rule.fix}`;
}
