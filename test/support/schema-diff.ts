/**
 * Comparing a derived provider schema with the one Terraform prints, and finding which attribute paths a
 * synthesized stack sets, so a difference can be judged by whether the project's configuration touches it.
 */
import type { SchemaAttribute, SchemaBlock, SchemaEntry } from "../../emulator/standin/schema";

export type DiffKind =
  | "missing" // in the real schema, not in the derived one
  | "extra" // in the derived schema, not in the real one
  | "attribute-vs-block"
  | "type"
  | "nested_type"
  | "required"
  | "optional"
  | "computed"
  | "optional+computed" // real is optional+computed, derived only optional (or the reverse)
  | "nesting_mode"
  | "min_items"
  | "max_items"
  | "sensitive"
  | "deprecated"
  | "write_only"
  | "description"
  | "version";

/** Kinds that change what Terraform accepts or plans; the others are documentation. */
export const SEMANTIC_KINDS: ReadonlySet<DiffKind> = new Set<DiffKind>([
  "missing",
  "extra",
  "attribute-vs-block",
  "type",
  "nested_type",
  "required",
  "optional",
  "computed",
  "optional+computed",
  "nesting_mode",
  "min_items",
  "max_items",
  "sensitive",
  "write_only",
]);

export interface SchemaDiff {
  /** "aws_s3_bucket.versioning.enabled", "data.aws_iam_policy_document.statement", "provider.default_tags.tags". */
  readonly path: string;
  readonly kind: DiffKind;
  readonly real: unknown;
  readonly derived: unknown;
}

const canonical = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

function flagDiffs(path: string, real: SchemaAttribute, derived: SchemaAttribute, out: SchemaDiff[]): void {
  const r = { required: !!real.required, optional: !!real.optional, computed: !!real.computed };
  const d = { required: !!derived.required, optional: !!derived.optional, computed: !!derived.computed };
  if (r.optional && d.optional && r.computed !== d.computed && !r.required && !d.required) {
    out.push({ path, kind: "optional+computed", real: r, derived: d });
    return;
  }
  for (const k of ["required", "optional", "computed"] as const) if (r[k] !== d[k]) out.push({ path, kind: k, real: r[k], derived: d[k] });
}

function attributeDiffs(path: string, real: SchemaAttribute, derived: SchemaAttribute, out: SchemaDiff[]): void {
  flagDiffs(path, real, derived, out);
  if (real.type !== undefined || derived.type !== undefined) {
    if (canonical(real.type) !== canonical(derived.type)) out.push({ path, kind: real.nested_type || derived.nested_type ? "nested_type" : "type", real: real.type ?? real.nested_type, derived: derived.type ?? derived.nested_type });
  }
  if (real.nested_type && derived.nested_type) {
    if (real.nested_type.nesting_mode !== derived.nested_type.nesting_mode) {
      out.push({ path, kind: "nesting_mode", real: real.nested_type.nesting_mode, derived: derived.nested_type.nesting_mode });
    }
    membersDiffs(path, real.nested_type.attributes, derived.nested_type.attributes, out);
  }
  for (const k of ["sensitive", "deprecated", "write_only"] as const) {
    if (!!real[k] !== !!derived[k]) out.push({ path, kind: k, real: !!real[k], derived: !!derived[k] });
  }
  if ((real.description ?? "") !== (derived.description ?? "")) out.push({ path, kind: "description", real: real.description, derived: derived.description });
}

function membersDiffs(path: string, real: Record<string, SchemaAttribute> = {}, derived: Record<string, SchemaAttribute> = {}, out: SchemaDiff[]): void {
  for (const name of new Set([...Object.keys(real), ...Object.keys(derived)])) {
    const p = `${path}.${name}`;
    if (!(name in derived)) out.push({ path: p, kind: "missing", real: real[name], derived: undefined });
    else if (!(name in real)) out.push({ path: p, kind: "extra", real: undefined, derived: derived[name] });
    else attributeDiffs(p, real[name], derived[name], out);
  }
}

export function blockDiffs(path: string, real: SchemaBlock, derived: SchemaBlock, out: SchemaDiff[] = []): SchemaDiff[] {
  const realBlocks = real.block_types ?? {};
  const derivedBlocks = derived.block_types ?? {};
  const realAttrs = real.attributes ?? {};
  const derivedAttrs = derived.attributes ?? {};
  for (const name of new Set([...Object.keys(realAttrs), ...Object.keys(derivedAttrs)])) {
    const p = `${path}.${name}`;
    if (name in realAttrs && name in derivedBlocks) out.push({ path: p, kind: "attribute-vs-block", real: "attribute", derived: "block" });
    else if (name in derivedAttrs && name in realBlocks) out.push({ path: p, kind: "attribute-vs-block", real: "block", derived: "attribute" });
    else if (!(name in derivedAttrs)) out.push({ path: p, kind: "missing", real: realAttrs[name], derived: undefined });
    else if (!(name in realAttrs)) out.push({ path: p, kind: "extra", real: undefined, derived: derivedAttrs[name] });
    else attributeDiffs(p, realAttrs[name], derivedAttrs[name], out);
  }
  for (const name of new Set([...Object.keys(realBlocks), ...Object.keys(derivedBlocks)])) {
    const p = `${path}.${name}`;
    if (name in realAttrs || name in derivedAttrs) continue; // reported above
    const r = realBlocks[name];
    const d = derivedBlocks[name];
    if (!d) out.push({ path: p, kind: "missing", real: r, derived: undefined });
    else if (!r) out.push({ path: p, kind: "extra", real: undefined, derived: d });
    else {
      if (r.nesting_mode !== d.nesting_mode) out.push({ path: p, kind: "nesting_mode", real: r.nesting_mode, derived: d.nesting_mode });
      if ((r.min_items ?? 0) !== (d.min_items ?? 0)) out.push({ path: p, kind: "min_items", real: r.min_items, derived: d.min_items });
      if ((r.max_items ?? 0) !== (d.max_items ?? 0)) out.push({ path: p, kind: "max_items", real: r.max_items, derived: d.max_items });
      blockDiffs(p, r.block, d.block, out);
    }
  }
  if (!!real.deprecated !== !!derived.deprecated) out.push({ path, kind: "deprecated", real: !!real.deprecated, derived: !!derived.deprecated });
  if ((real.description ?? "") !== (derived.description ?? "")) out.push({ path: `${path}#block`, kind: "description", real: real.description, derived: derived.description });
  return out;
}

export function entryDiffs(path: string, real: SchemaEntry, derived: SchemaEntry): SchemaDiff[] {
  const out: SchemaDiff[] = [];
  if (real.version !== derived.version) out.push({ path, kind: "version", real: real.version, derived: derived.version });
  return blockDiffs(path, real.block, derived.block, out);
}

const META = new Set(["count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection", "//"]);

/**
 * The attribute and block paths one configured object sets, read with the real schema (which says whether a
 * key is a block to descend into): "versioning", "versioning.enabled", "tags".
 */
export function setPaths(prefix: string, config: Record<string, unknown>, block: SchemaBlock, out: Set<string>, top = true): Set<string> {
  for (const [key, value] of Object.entries(config)) {
    if (top && META.has(key)) continue;
    const p = `${prefix}.${key}`;
    out.add(p);
    const sub = block.block_types?.[key];
    if (sub && value !== null && typeof value === "object") {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item && typeof item === "object") setPaths(p, item as Record<string, unknown>, sub.block, out, false);
      }
    }
    const nested = block.attributes?.[key]?.nested_type;
    if (nested && value !== null && typeof value === "object") {
      const items = nested.nesting_mode === "single" ? [value] : nested.nesting_mode === "map" ? Object.values(value) : Array.isArray(value) ? value : [];
      for (const item of items) if (item && typeof item === "object") setPaths(p, item as Record<string, unknown>, { attributes: nested.attributes }, out, false);
    }
  }
  return out;
}

/** Whether a difference touches what the stacks set: the path itself, or a block containing a set path. */
export function touchesSetPath(diff: SchemaDiff, set: ReadonlySet<string>): boolean {
  const path = diff.path.replace(/#block$/, "");
  if (set.has(path)) return true;
  for (const s of set) if (s.startsWith(`${path}.`)) return true;
  return false;
}

/** Counts per kind, in a stable order, for the report. */
export function countByKind(diffs: readonly SchemaDiff[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of diffs) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
