/**
 * Drift reports: what a plan's JSON says changed outside Terraform, and how it is summarized, rendered and
 * written. Pure functions over the plan JSON; running Terraform is operator/lib/drift.ts's part.
 */
import * as fs from "node:fs";
import * as path from "node:path";
/** Exit codes of `npm run drift`, documented in docs/pipeline-and-drift.md. */
export const DRIFT_EXIT = {
  clean: 0,
  /** Usage or synth error: nothing was planned. */
  usage: 1,
  /** At least one stack drifted (or differs from the code); every stack was planned. */
  drifted: 2,
  /** At least one stack could not be planned (its drift is unknown); takes precedence over `drifted`. */
  unplannable: 3,
} as const;

/** One attribute that differs: `path` in Terraform's notation (`versioning_configuration[0].status`). */
export interface AttributeChange {
  readonly path: string;
  readonly from: unknown;
  readonly to: unknown;
}

export interface ResourceDrift {
  readonly address: string;
  readonly type: string;
  /** `changed`: the object differs from the recorded state; `deleted`: it no longer exists. */
  readonly kind: "changed" | "deleted";
  /** from = recorded in state, to = actual. */
  readonly attributes: readonly AttributeChange[];
}

export interface PendingChange {
  readonly address: string;
  readonly type: string;
  /** Terraform's actions: ["create"], ["update"], ["delete","create"], … */
  readonly actions: readonly string[];
  /** from = actual (after refresh), to = what the code configures. */
  readonly attributes: readonly AttributeChange[];
}

export interface StackDriftReport {
  readonly stack: string;
  readonly status: "clean" | "drifted" | "error";
  readonly drift: readonly ResourceDrift[];
  readonly pending: readonly PendingChange[];
  /** Why the stack could not be planned (Terraform's own message). */
  readonly error?: string;
}

export interface DriftReport {
  readonly environment: string;
  readonly target: string;
  readonly generatedAt: string;
  readonly status: "clean" | "drifted" | "error";
  readonly stacks: readonly StackDriftReport[];
}

const SENSITIVE = "(sensitive)";
const UNKNOWN = "(known after apply)";

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function join(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return base === "" ? key : `${base}.${key}`;
}

/** True where Terraform's `*_sensitive` / `after_unknown` mask marks `path` (or a parent) as set. */
function masked(mask: Json, keys: ReadonlyArray<string | number>): boolean {
  let node: Json = mask;
  for (const key of keys) {
    if (node === true) return true;
    if (typeof key === "number" ? !Array.isArray(node) : !isObject(node)) return false;
    node = (node as Record<string | number, Json>)[key as never];
  }
  return node === true;
}

/**
 * The attribute-level differences between two values of one resource, as leaf paths. Blocks and maps are walked
 * key by key; lists of blocks of equal length element by element (naming the changed element); anything else is
 * reported whole. Sensitive values are never printed.
 */
export function diffAttributes(
  before: Json,
  after: Json,
  masks: { readonly beforeSensitive?: Json; readonly afterSensitive?: Json; readonly afterUnknown?: Json } = {},
): AttributeChange[] {
  const changes: AttributeChange[] = [];
  const show = (value: Json, keys: Array<string | number>, side: "before" | "after"): unknown => {
    if (side === "before" && masked(masks.beforeSensitive, keys)) return SENSITIVE;
    if (side === "after" && masked(masks.afterSensitive, keys)) return SENSITIVE;
    if (side === "after" && masked(masks.afterUnknown, keys)) return UNKNOWN;
    return value === undefined ? null : value;
  };
  const walk = (a: Json, b: Json, keys: Array<string | number>, where: string) => {
    if (isObject(a) && isObject(b)) {
      for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[key], b[key], [...keys, key], join(where, key));
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.every((x) => isObject(x) || Array.isArray(x)) && b.every((x) => isObject(x) || Array.isArray(x))) {
      if (a.length === b.length) {
        a.forEach((x, i) => walk(x, b[i], [...keys, i], join(where, i)));
        return;
      }
    }
    const unknownAfter = masked(masks.afterUnknown, keys);
    if (!unknownAfter && JSON.stringify(a ?? null) === JSON.stringify(b ?? null)) return;
    if (unknownAfter && a !== undefined && a !== null && b === undefined) {
      changes.push({ path: where, from: show(a, keys, "before"), to: UNKNOWN });
      return;
    }
    if (!unknownAfter || a !== undefined) changes.push({ path: where, from: show(a, keys, "before"), to: show(b, keys, "after") });
  };
  walk(before, after, [], "");
  return changes;
}

interface PlanResourceChange {
  readonly address: string;
  readonly type: string;
  readonly mode?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before: Json;
    readonly after: Json;
    readonly before_sensitive?: Json;
    readonly after_sensitive?: Json;
    readonly after_unknown?: Json;
    readonly importing?: Json;
  };
}

interface PlanJson {
  readonly resource_drift?: PlanResourceChange[];
  readonly resource_changes?: PlanResourceChange[];
  /** The state after the refresh. */
  readonly prior_state?: { readonly values?: { readonly root_module?: { readonly resources?: StateResource[] } } };
  readonly configuration?: { readonly root_module?: { readonly resources?: Array<{ readonly address: string; readonly expressions?: Json }> } };
}

interface StateResource {
  readonly address: string;
  readonly type: string;
  readonly mode?: string;
  readonly values: Record<string, Json>;
}

/** Attributes every resource is held to even when the code does not set them: the provider's default tags land in these. */
const ALWAYS_COMPARED = new Set(["tags", "tags_all"]);

/**
 * True when the code sets the attribute at `keys` (or a block that contains it). Attributes the code leaves unset
 * are the provider's to fill: after an apply the recorded state has not been refreshed yet, so such an attribute
 * (an S3 bucket's legacy `versioning` mirror of aws_s3_bucket_versioning, an instance's public_ip from the Elastic
 * IP) "changes" on every first refresh without anyone touching anything. Comparing them would cry wolf.
 */
function configured(expressions: Json, keys: ReadonlyArray<string | number>): boolean {
  if (keys.length > 0 && typeof keys[0] === "string" && ALWAYS_COMPARED.has(keys[0])) return true;
  let node: Json = expressions;
  for (const key of keys) {
    if (isObject(node) && ("constant_value" in node || "references" in node)) return true;
    if (Array.isArray(node)) {
      if (typeof key !== "number" || node.length === 0) return false;
      // Sets render as lists whose order need not match: any element's shape says what is configured.
      node = node[Math.min(key, node.length - 1)];
      continue;
    }
    if (!isObject(node) || typeof key !== "string" || !(key in node)) return false;
    node = node[key];
  }
  return node !== undefined;
}

function parsePath(where: string): Array<string | number> {
  return [...where.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

/** "Not set" in any of its spellings: the provider reads back an unset map as {} and an unset list as []. */
function empty(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

/**
 * Security-group rules are managed as aws_vpc_security_group_{ingress,egress}_rule resources; the group's own
 * `ingress`/`egress` lists every rule it has. A rule in the group that no rule resource describes was added outside
 * Terraform (the console's "Edit inbound rules"), and Terraform would never remove it: report it here.
 */
function unmanagedRules(group: StateResource, resources: readonly StateResource[]): AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const direction of ["ingress", "egress"] as const) {
    const managed = new Set(
      resources
        .filter((r) => r.type === `aws_vpc_security_group_${direction}_rule` && r.values.security_group_id === group.values.id)
        .map((r) => ruleKey(String(r.values.ip_protocol), r.values.from_port, r.values.to_port, String(r.values.cidr_ipv4 ?? r.values.cidr_ipv6 ?? r.values.referenced_security_group_id ?? r.values.prefix_list_id))),
    );
    const actual = ((group.values[direction] as Array<Record<string, Json>>) ?? []).flatMap((rule) =>
      [...((rule.cidr_blocks as string[]) ?? []), ...((rule.ipv6_cidr_blocks as string[]) ?? []), ...((rule.security_groups as string[]) ?? []), ...((rule.prefix_list_ids as string[]) ?? [])].map((source) => ({
        key: ruleKey(String(rule.protocol), rule.from_port, rule.to_port, source),
        text: `${rule.protocol === "-1" ? "all" : rule.protocol} ${rule.from_port === rule.to_port ? rule.from_port : `${rule.from_port}-${rule.to_port}`} ${direction === "ingress" ? "from" : "to"} ${source}${rule.description ? ` (${rule.description})` : ""}`,
      })),
    );
    const extra = actual.filter((r) => !managed.has(r.key)).map((r) => r.text);
    if (extra.length > 0) changes.push({ path: direction, from: "only the rules Terraform manages", to: extra.map((t) => `+ ${t}`) });
  }
  return changes;
}

function ruleKey(protocol: string, from: Json, to: Json, source: string): string {
  const proto = protocol === "-1" || protocol === "all" ? "-1" : protocol;
  return proto === "-1" ? `-1 ${source}` : `${proto} ${from} ${to} ${source}`;
}

/** Reads the drift out of `terraform show -json <plan>`. Pure: unit-tested on recorded plans. */
export function driftFromPlan(stack: string, plan: PlanJson): StackDriftReport {
  const expressions = new Map((plan.configuration?.root_module?.resources ?? []).map((r) => [r.address, r.expressions ?? {}]));
  const refreshed = plan.prior_state?.values?.root_module?.resources ?? [];
  const drift: ResourceDrift[] = (plan.resource_drift ?? [])
    .filter((r) => r.mode !== "data")
    .map((r) => {
      const deleted = r.change.actions.includes("delete") && r.change.after === null;
      const attributes = deleted
        ? []
        : diffAttributes(r.change.before, r.change.after, { beforeSensitive: r.change.before_sensitive, afterSensitive: r.change.after_sensitive })
            .filter((a) => !(empty(a.from) && empty(a.to)))
            .filter((a) => configured(expressions.get(r.address) ?? {}, parsePath(a.path)));
      return { address: r.address, type: r.type, kind: deleted ? "deleted" : "changed", attributes } satisfies ResourceDrift;
    });
  // Rules added to a managed security group: visible only in the refreshed group, whatever the recorded state said.
  for (const group of refreshed.filter((r) => r.type === "aws_security_group" && r.mode !== "data")) {
    const extra = unmanagedRules(group, refreshed);
    if (extra.length === 0) continue;
    const existing = drift.findIndex((d) => d.address === group.address);
    if (existing >= 0) drift[existing] = { ...drift[existing], attributes: [...drift[existing].attributes, ...extra] };
    else drift.push({ address: group.address, type: group.type, kind: "changed", attributes: extra });
  }
  const changed = drift.filter((r) => r.kind === "deleted" || r.attributes.length > 0);
  const pending: PendingChange[] = (plan.resource_changes ?? [])
    .filter((r) => r.mode !== "data" && !(r.change.actions.length === 1 && (r.change.actions[0] === "no-op" || r.change.actions[0] === "read")))
    .map((r) => ({
      address: r.address,
      type: r.type,
      actions: r.change.actions,
      attributes: diffAttributes(r.change.before, r.change.after, {
        beforeSensitive: r.change.before_sensitive,
        afterSensitive: r.change.after_sensitive,
        afterUnknown: r.change.after_unknown,
      }),
    }));
  return { stack, status: changed.length > 0 || pending.length > 0 ? "drifted" : "clean", drift: changed, pending };
}
export function summarize(environment: string, target: string, stacks: readonly StackDriftReport[], now = new Date()): DriftReport {
  const status = stacks.some((s) => s.status === "error") ? "error" : stacks.some((s) => s.status === "drifted") ? "drifted" : "clean";
  return { environment, target, generatedAt: now.toISOString(), status, stacks };
}

export function exitCode(report: DriftReport): number {
  return report.status === "error" ? DRIFT_EXIT.unplannable : report.status === "drifted" ? DRIFT_EXIT.drifted : DRIFT_EXIT.clean;
}

function cell(value: unknown): string {
  const text = value === null || value === undefined ? "(none)" : typeof value === "string" ? value : JSON.stringify(value);
  const short = text.length > 120 ? `${text.slice(0, 117)}...` : text;
  return `\`${short.replace(/`/g, "'").replace(/\|/g, "\\|")}\``;
}

/** The report for people: one section per stack, one table row per attribute (recorded → actual). */
export function renderMarkdown(report: DriftReport): string {
  const lines = [
    `# Drift report: ${report.environment} (${report.target})`,
    "",
    `Generated ${report.generatedAt}. Status: **${report.status}**.`,
    "",
  ];
  for (const stack of report.stacks) {
    lines.push(`## ${stack.stack}: ${stack.status}`, "");
    if (stack.status === "error") {
      lines.push("Could not be planned; its drift is unknown:", "", "```", stack.error ?? "", "```", "");
      continue;
    }
    if (stack.status === "clean") {
      lines.push("No drift: the deployed resources match the recorded state and the code.", "");
      continue;
    }
    if (stack.drift.length > 0) {
      lines.push("Changed outside Terraform (recorded → actual):", "", "| Resource | Attribute | Recorded | Actual |", "|---|---|---|---|");
      for (const r of stack.drift) {
        if (r.kind === "deleted") lines.push(`| \`${r.address}\` | (whole resource) | exists | **deleted** |`);
        for (const a of r.attributes) lines.push(`| \`${r.address}\` | \`${a.path}\` | ${cell(a.from)} | ${cell(a.to)} |`);
      }
      lines.push("");
    }
    if (stack.pending.length > 0) {
      lines.push("The next apply would change (actual → code):", "", "| Resource | Action | Attribute | Actual | Code |", "|---|---|---|---|---|");
      for (const c of stack.pending) {
        const action = c.actions.join(", ");
        if (c.attributes.length === 0 || c.actions.includes("create")) lines.push(`| \`${c.address}\` | ${action} | (whole resource) | | |`);
        else for (const a of c.attributes) lines.push(`| \`${c.address}\` | ${action} | \`${a.path}\` | ${cell(a.from)} | ${cell(a.to)} |`);
      }
      lines.push("");
    }
  }
  return lines.join("\n");
}

/** Writes drift-report.json and drift-report.md into `dir`; returns their paths. */
export function writeReports(report: DriftReport, dir: string): { json: string; markdown: string } {
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, "drift-report.json");
  const markdown = path.join(dir, "drift-report.md");
  fs.writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(markdown, `${renderMarkdown(report)}\n`);
  return { json, markdown };
}

