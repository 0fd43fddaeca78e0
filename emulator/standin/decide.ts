/**
 * The stand-ins' decisions, answered from the reviewed tables (decisions/): what a provider refuses in
 * ValidateResourceConfig, the defaults it plans, which attribute changes make it answer `requires_replace`, the
 * import ids it parses, and the project it needs. The rules here are the SDKs' own, cited where they are decided:
 * terraform-plugin-sdk v2.37.0 (google) and terraform-plugin-framework v1.14/1.15 with framework-validators v0.17.0
 * (cloudflare, time).
 */
import * as net from "node:net";
import { containsUnknown, isObject, Unknown, type SchemaBlock, type SchemaBlockType, type SchemaAttribute } from "./cty";
import type { Refusal, TypeDecision } from "./decisions/types";

type Obj = Record<string, unknown>;

/** One step of the protocol's AttributePath (tfplugin6.8.proto AttributePath.Step). */
export type Step = { attribute_name: string } | { element_key_int: number } | { element_key_string: string };

export interface Diagnostic {
  severity: "ERROR" | "WARNING";
  summary: string;
  detail: string;
  attribute?: { steps: Step[] };
}

/** One place an attribute path reaches in a value: the value there, its protocol path, and the SDK's key for it. */
interface Position {
  value: unknown;
  steps: Step[];
  /** terraform-plugin-sdk's flatmap key: "settings.0.availability_type". */
  key: string;
  /** terraform-plugin-framework's path string: "settings.ipv4_only". */
  fwPath: string;
  /** Whether the schema node at the path is a block (nesting of objects), not an attribute. */
  block: boolean;
}

type Node = { kind: "attribute"; attribute: SchemaAttribute } | { kind: "block"; blockType: SchemaBlockType };

/** Given in a configuration: not null, and for a block or collection not empty (the SDK reads no key for either). */
const isSet = (v: unknown): boolean => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0);

/** The path's names inside its type: "google_sql_database_instance.settings.tier" -> ["settings", "tier"]. */
export function innerNames(decision: TypeDecision, path: string): string[] {
  const prefix = decision.type === "provider" ? "provider." : `${decision.type}.`;
  if (!path.startsWith(prefix)) throw new Error(`decision ${decision.type}: path ${path} is not inside it`);
  return path.slice(prefix.length).split(".");
}

function child(block: SchemaBlock, name: string): Node | undefined {
  if (block.attributes?.[name]) return { kind: "attribute", attribute: block.attributes[name] };
  if (block.block_types?.[name]) return { kind: "block", blockType: block.block_types[name] };
  return undefined;
}

/** Every place `names` reaches in `value` (a block's elements each, nested attributes' elements each). */
export function positions(block: SchemaBlock, value: unknown, names: readonly string[], at: Omit<Position, "value" | "block"> = { steps: [], key: "", fwPath: "" }): Position[] {
  const [name, ...rest] = names;
  const node = child(block, name);
  if (!node) return [];
  const here = { steps: [...at.steps, { attribute_name: name }], key: at.key ? `${at.key}.${name}` : name, fwPath: at.fwPath ? `${at.fwPath}.${name}` : name };
  const v = isObject(value) ? value[name] : value instanceof Unknown ? value : null;
  if (rest.length === 0) return [{ ...here, value: v ?? null, block: node.kind === "block" }];
  if (v instanceof Unknown) return [{ ...here, value: v, block: node.kind === "block" }];
  const inner: SchemaBlock | undefined = node.kind === "block" ? node.blockType.block : node.attribute.nested_type ? { attributes: node.attribute.nested_type.attributes } : undefined;
  const mode = node.kind === "block" ? node.blockType.nesting_mode : node.attribute.nested_type?.nesting_mode;
  if (!inner || v === null || v === undefined) return [];
  if (mode === "single" || mode === "group") return positions(inner, v, rest, here);
  if (mode === "map" && isObject(v)) {
    return Object.entries(v).flatMap(([k, e]) =>
      positions(inner, e, rest, { steps: [...here.steps, { element_key_string: k }], key: `${here.key}.${k}`, fwPath: `${here.fwPath}["${k}"]` }),
    );
  }
  if (Array.isArray(v)) {
    return v.flatMap((e, i) => positions(inner, e, rest, { steps: [...here.steps, { element_key_int: i }], key: `${here.key}.${i}`, fwPath: `${here.fwPath}[${i}]` }));
  }
  return [];
}

/** The first place an absolute path reaches (the SDK's "a.0.b" keys name the first element). */
function first(block: SchemaBlock, value: unknown, names: readonly string[]): Position | undefined {
  return positions(block, value, names)[0];
}

/** The SDK key of an absolute path: ".0" after every list, set or map block on the way (schema.go keys). */
function sdkKey(block: SchemaBlock, names: readonly string[]): string {
  const out: string[] = [];
  let b: SchemaBlock | undefined = block;
  names.forEach((name, i) => {
    out.push(name);
    const bt: SchemaBlockType | undefined = b?.block_types?.[name];
    if (bt && i < names.length - 1 && bt.nesting_mode !== "single" && bt.nesting_mode !== "group") out.push("0");
    b = bt?.block;
  });
  return out.join(".");
}

// ---- refusals ---------------------------------------------------------------------------------------------------

const goQuotedList = (values: readonly string[]): string => `[${values.map((v) => JSON.stringify(v)).join(" ")}]`;

function render(template: string, vars: Record<string, unknown>): string {
  return template.replace(/\{(key|value|min|max|values|regex|id)\}/g, (m, k: string) => (vars[k] === undefined ? m : String(vars[k])));
}

/** Named value checks the providers implement in code (decisions cite each). Returns the messages, [] when valid. */
function ruleMessages(refusal: Extract<Refusal, { kind: "rule" }>, value: unknown, key: string): string[] {
  const v = typeof value === "string" ? value : String(value);
  const msg = (text = refusal.message) => render(text, { key, value: v });
  switch (refusal.rule) {
    case "ip-cidr-range":
      return parseCidr(v) ? [] : [msg()];
    case "cidr-network": {
      const [min, max] = refusal.params as [number, number];
      const cidr = parseCidr(v);
      // terraform-plugin-sdk v2.37.0 helper/validation/network.go:103-128
      if (!cidr) return [`expected ${key} to contain a valid Value, got: ${v} with err: invalid CIDR address: ${v}`];
      const out: string[] = [];
      if (cidr.network !== v) out.push(`expected ${key} to contain a valid network Value, expected ${cidr.network}, got ${v}`);
      if (cidr.bits < min || cidr.bits > max) out.push(`expected ${JSON.stringify(key)} to contain a network Value with between ${min} and ${max} significant bits, got: ${cidr.bits}`);
      return out;
    }
    case "rfc3339-date":
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)) ? [] : [msg()];
    case "kms-rotation-period": {
      // google/services/kms/kms_utils.go:138-167
      const m = /^([0-9.]*\d)s$/.exec(v);
      if (!m) return [`Invalid rotation period format: ${v}`];
      const seconds = Number(m[1]);
      if (Number.isNaN(seconds)) return [`strconv.ParseFloat: parsing ${JSON.stringify(m[1])}: invalid syntax`];
      const out: string[] = [];
      if (seconds < 86400) out.push("Rotation period must be greater than one day");
      const parts = m[1].split(".");
      if (parts.length > 1 && parts[1].length > 9) out.push("Rotation period cannot have more than 9 fractional digits");
      return out;
    }
    case "not-in":
      return (refusal.params ?? []).includes(v) ? [msg()] : [];
    case "not-deleted-principal":
      return /^deleted/.test(v) ? [msg()] : [];
    case "not-empty":
      return v === "" ? [msg()] : [];
    case "ds-project-id": {
      const last = v.split("/").pop() ?? "";
      return new RegExp(`^${refusal.params![0]}$`).test(last) ? [] : [msg()];
    }
    default:
      throw new Error(`stand-in: no implementation of the rule "${refusal.rule}"`);
  }
}

/** net.ParseCIDR's acceptance, and the network it names (IPv4 and IPv6). */
function parseCidr(text: string): { network: string; bits: number } | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const family = net.isIP(m[1]);
  const bits = Number(m[2]);
  if (family === 0 || bits > (family === 4 ? 32 : 128)) return undefined;
  if (family === 6) return { network: text.toLowerCase(), bits };
  const n = m[1].split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  const masked = bits === 0 ? 0 : (n >>> (32 - bits)) * 2 ** (32 - bits);
  const network = [24, 16, 8, 0].map((s) => Math.floor(masked / 2 ** s) % 256).join(".");
  return { network: `${network}/${bits}`, bits };
}

/** Why a value fails one value-refusal (enum, range, length, pattern, rule), in the SDK's words; [] when it passes. */
function valueMessages(refusal: Refusal, value: unknown, pos: Position, sdk: "sdkv2" | "framework"): Diagnostic[] {
  if (value === null || value === undefined || containsUnknown(value)) return [];
  if ("exceptEmpty" in refusal && refusal.exceptEmpty && value === "") return [];
  const key = pos.key;
  const err = (summary: string, detail = ""): Diagnostic => ({ severity: "ERROR", summary, detail, attribute: { steps: pos.steps } });
  const fw = (summary: string, description: string, got: string): Diagnostic => err(summary, `Attribute ${pos.fwPath} ${description}, got: ${got}`);
  switch (refusal.kind) {
    case "enum": {
      const ok = refusal.values.some((x) => (refusal.ignoreCase ? x.toLowerCase() === String(value).toLowerCase() : x === value));
      if (ok) return [];
      if (refusal.message) return [err(render(refusal.message, { key, value, values: goQuotedList(refusal.values) }))];
      // framework-validators v0.17.0 stringvalidator/one_of*.go: "value must be one of: %s" of []types.String
      if (sdk === "framework") return [fw("Invalid Attribute Value Match", `value must be one of: ${goQuotedList(refusal.values)}`, JSON.stringify(value))];
      // terraform-plugin-sdk v2.37.0 helper/validation/strings.go:149 (StringInSlice)
      return [err(`expected ${key} to be one of ${goQuotedList(refusal.values)}, got ${value}`)];
    }
    case "range": {
      const n = Number(value);
      const { min, max } = refusal;
      if ((min === undefined || n >= min) && (max === undefined || n <= max)) return [];
      const f = (x: number) => (refusal.float ? x.toFixed(6) : String(x));
      if (refusal.message) return [err(render(refusal.message, { key, value, min, max }))];
      // framework-validators v0.17.0 float64validator/between.go:29, helpers/validatordiag/diag.go:25
      if (sdk === "framework") return [fw("Invalid Attribute Value", `value must be between ${f(min!)} and ${f(max!)}`, f(n))];
      // terraform-plugin-sdk v2.37.0 helper/validation/int.go:24/:43/:62, float.go:23/:42/:61
      if (min !== undefined && max !== undefined) return [err(`expected ${key} to be in the range (${f(min)} - ${f(max)}), got ${f(n)}`)];
      if (min !== undefined) return [err(`expected ${key} to be at least (${f(min)}), got ${f(n)}`)];
      return [err(`expected ${key} to be at most (${f(max!)}), got ${f(n)}`)];
    }
    case "length": {
      const len = Buffer.byteLength(String(value));
      if ((refusal.min === undefined || len >= refusal.min) && (refusal.max === undefined || len <= refusal.max)) return [];
      if (refusal.message) return [err(render(refusal.message, { key, value, min: refusal.min, max: refusal.max }))];
      // terraform-plugin-sdk v2.37.0 helper/validation/strings.go:83 (StringLenBetween)
      return [err(`expected length of ${key} to be in the range (${refusal.min} - ${refusal.max}), got ${value}`)];
    }
    case "pattern": {
      if (new RegExp(goRegex(refusal.regex)).test(String(value))) return [];
      const description = refusal.message ?? `value must match regular expression '${refusal.regex}'`;
      // framework-validators v0.17.0 stringvalidator/regex_matches.go:25-48: the value unquoted
      if (sdk === "framework") return [fw("Invalid Attribute Value Match", description, String(value))];
      return [err(render(description, { key, value, regex: refusal.regex }))];
    }
    case "rule":
      return ruleMessages(refusal, value, key).map((m) => err(m));
    default:
      return [];
  }
}

/** Go's RE2 syntax as JavaScript's: named groups are (?P<name>...) in Go, (?<name>...) here. */
export function goRegex(source: string): string {
  return source.replace(/\(\?P</g, "(?<");
}

/**
 * ValidateResourceConfig / ValidateDataResourceConfig / ValidateProviderConfig: the refusals of the decision's
 * attributes on a configuration. Unknown values are not judged (SDKv2 schema.go validate: "If the value is unknown
 * then we can't validate it yet"; framework validators return on IsUnknown); Terraform calls validation again in the
 * plan with the values then known (terraform v1.11.4 node_resource_abstract_instance.go plan()).
 */
export function validateConfig(decision: TypeDecision, block: SchemaBlock, config: unknown): Diagnostic[] {
  const sdk = decision.sdk ?? (decision.provider === "cloudflare" || decision.provider === "time" ? "framework" : "sdkv2");
  const out: Diagnostic[] = [];
  const set = (names: readonly string[]): "set" | "unset" | "unknown" => {
    const p = first(block, config, names);
    if (!p) return "unset";
    if (p.value instanceof Unknown) return "unknown";
    return isSet(p.value) ? "set" : "unset";
  };
  for (const attr of decision.attributes) {
    if (!attr.refuse?.length) continue;
    const names = innerNames(decision, attr.path);
    for (const pos of positions(block, config, names)) {
      for (const refusal of attr.refuse) {
        const err = (summary: string, detail: string): Diagnostic => ({ severity: "ERROR", summary, detail, attribute: { steps: pos.steps } });
        const others = "paths" in refusal ? refusal.paths.map((p) => innerNames(decision, p)) : [];
        switch (refusal.kind) {
          case "conflicts_with": {
            if (!isSet(pos.value) || containsUnknown(pos.value)) break;
            for (const o of others) {
              if (set(o) !== "set") continue;
              if (sdk === "framework") {
                out.push(err("Invalid Attribute Combination", `Attribute ${JSON.stringify(o.join("."))} cannot be specified when ${JSON.stringify(pos.fwPath)} is specified`));
              } else {
                // terraform-plugin-sdk v2.37.0 helper/schema/schema.go:1947 validateConflictingAttributes
                out.push(err("Conflicting configuration arguments", `${JSON.stringify(pos.key)}: conflicts with ${sdkKey(block, o)}`));
              }
            }
            break;
          }
          case "exactly_one_of": {
            // schema.go:2006 validateExactlyOneAttribute: the key itself and the others, sorted
            const all = [...new Set([...others.map((o) => sdkKey(block, o)), pos.key])].sort();
            const states = [...new Map([...others, names].map((o) => [sdkKey(block, o), set(o)])).entries()].sort();
            const specified = states.filter(([, s]) => s === "set").map(([k]) => k);
            const unknown = states.some(([, s]) => s === "unknown");
            if (specified.length === 0 && !unknown) out.push(err("Invalid combination of arguments", `${JSON.stringify(pos.key)}: one of \`${all.join(",")}\` must be specified`));
            if (specified.length > 1) {
              out.push(err("Invalid combination of arguments", `${JSON.stringify(pos.key)}: only one of \`${all.join(",")}\` can be specified, but \`${specified.join(",")}\` were specified.`));
            }
            break;
          }
          case "at_least_one_of": {
            if (sdk === "framework") {
              // framework-validators v0.17.0 internal/schemavalidator/at_least_one_of.go:58-106
              if (pos.value !== null) break;
              if (others.some((o) => set(o) !== "unset")) break;
              const expressions = [...others.map((o) => o.join(".")), pos.fwPath];
              out.push(err("Invalid Attribute Combination", `At least one attribute out of [${expressions.join(",")}] must be specified`));
              break;
            }
            // schema.go:2042 validateAtLeastOneAttribute (an unknown counts as given)
            const all = [...new Set([...others.map((o) => sdkKey(block, o)), pos.key])].sort();
            if ([...others, names].some((o) => set(o) !== "unset")) break;
            out.push(err("Missing required argument", `${JSON.stringify(pos.key)}: one of \`${all.join(",")}\` must be specified`));
            break;
          }
          case "required_with": {
            // schema.go:1985 validateRequiredWithAttribute: only when the key itself is given
            if (!isSet(pos.value)) break;
            const all = [...new Set([...others.map((o) => sdkKey(block, o)), pos.key])].sort();
            if ([...others, names].some((o) => set(o) === "unset")) out.push(err("Missing required argument", `${JSON.stringify(pos.key)}: all of \`${all.join(",")}\` must be specified`));
            break;
          }
          default:
            out.push(...valueMessages(refusal, pos.value, pos, sdk));
        }
      }
    }
  }
  return out;
}

// ---- defaults -----------------------------------------------------------------------------------------------------

/**
 * The provider's defaults in a plan: where the configuration leaves an attribute with a reviewed `default` null
 * inside an object that exists, the planned value is the default (SDKv2 `Default`, schema.go; framework `Default`,
 * applied to null configuration values). Returns whether a default was written into an attribute that is not
 * computed, which only an SDKv2 provider does (its plans then carry legacy_type_system, as the SDK always sends).
 */
export function applyDefaults(decision: TypeDecision, block: SchemaBlock, config: unknown, planned: Obj): boolean {
  let nonComputed = false;
  for (const attr of decision.attributes) {
    if (attr.default === undefined) continue;
    const names = innerNames(decision, attr.path);
    const node = schemaAt(block, names);
    if (!node || "nesting_mode" in node) continue;
    const leaf = names[names.length - 1];
    const parents = names.length === 1 ? [{ steps: [] as Step[], value: config }] : expandBlocks(block, config, names.slice(0, -1));
    for (const parent of parents) {
      // Only a null configuration value takes the default; an unknown one is not null.
      if (!isObject(parent.value) || (parent.value[leaf] !== null && parent.value[leaf] !== undefined)) continue;
      const target = at(planned, parent.steps);
      if (!isObject(target)) continue;
      target[leaf] = attr.default;
      if (!node.computed) nonComputed = true;
    }
  }
  return nonComputed;
}

/** Each element object of the block at `names` (the objects a nested attribute's default belongs in). */
function expandBlocks(block: SchemaBlock, value: unknown, names: readonly string[]): Array<{ steps: Step[]; value: unknown }> {
  const out: Array<{ steps: Step[]; value: unknown }> = [];
  for (const pos of positions(block, value, names)) {
    const v = pos.value;
    if (Array.isArray(v)) v.forEach((e, i) => out.push({ steps: [...pos.steps, { element_key_int: i }], value: e }));
    else if (isObject(v)) {
      const node = schemaAt(block, names);
      const mode = node && "nesting_mode" in node ? node.nesting_mode : undefined;
      if (mode === "map") for (const [k, e] of Object.entries(v)) out.push({ steps: [...pos.steps, { element_key_string: k }], value: e });
      else out.push({ steps: pos.steps, value: v });
    }
  }
  return out;
}

function at(value: unknown, steps: readonly Step[]): unknown {
  let v = value;
  for (const s of steps) {
    if ("attribute_name" in s) v = isObject(v) ? v[s.attribute_name] : undefined;
    else if ("element_key_int" in s) v = Array.isArray(v) ? v[s.element_key_int] : undefined;
    else v = isObject(v) ? v[s.element_key_string] : undefined;
  }
  return v;
}

/** The schema node at a path: an attribute, or a block type (has nesting_mode). */
export function schemaAt(block: SchemaBlock, names: readonly string[]): SchemaAttribute | SchemaBlockType | undefined {
  let b: SchemaBlock | undefined = block;
  let node: SchemaAttribute | SchemaBlockType | undefined;
  for (const name of names) {
    if (!b) return undefined;
    const attr: SchemaAttribute | undefined = b.attributes?.[name];
    const bt: SchemaBlockType | undefined = b.block_types?.[name];
    node = attr ?? bt;
    b = bt ? bt.block : attr?.nested_type ? { attributes: attr.nested_type.attributes } : undefined;
  }
  return node;
}

// ---- replacement ----------------------------------------------------------------------------------------------------

/** Conditional replacement rules (decisions name them; each cites its CustomizeDiff). */
function conditionHolds(rule: string, before: unknown, after: unknown): boolean {
  if (after instanceof Unknown) return true; // an unknown new value is a change the SDK cannot rule out
  switch (rule) {
    case "decrease": // compute.IsDiskShrinkage: new < old; removing the value is fine
      return typeof before === "number" && typeof after === "number" && after < before;
    case "cleared": // privateNetworkCustomizeDiff: old != "" && new == ""
      return typeof before === "string" && before !== "" && (after === null || after === "");
    case "cidr-shrink": {
      // IsShrinkageIpCidr: replace unless the new range contains the old range's first and last address
      const a = parseCidr(String(before));
      const b = parseCidr(String(after));
      if (!a || !b || typeof before !== "string" || typeof after !== "string") return false;
      return !(b.bits <= a.bits && cidrContains(after, before.split("/")[0]));
    }
    case "redis-version-decrease": {
      const v = (s: unknown) => (typeof s === "string" ? /REDIS_(\d+)_(\d+)/.exec(s) : null);
      const [o, n] = [v(before), v(after)];
      if (!o || !n) return false;
      return Number(`${n[1]}.${n[2]}`) < Number(`${o[1]}.${o[2]}`);
    }
    default:
      throw new Error(`stand-in: no implementation of the replacement rule "${rule}"`);
  }
}

function cidrContains(cidr: string, ip: string): boolean {
  const c = parseCidr(cidr);
  if (!c || net.isIP(ip) !== 4) return false;
  const inner = parseCidr(`${ip}/${c.bits}`);
  return inner?.network === c.network;
}

const equal = (a: unknown, b: unknown): boolean => JSON.stringify(normal(a)) === JSON.stringify(normal(b));
function normal(v: unknown): unknown {
  if (v instanceof Unknown) return { "?": "unknown" };
  if (v === undefined) return null;
  if (Array.isArray(v)) return v.map(normal);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, normal(v[k])]));
  return v;
}

/**
 * The attribute paths whose change replaces the object, as PlanResourceChange's `requires_replace` carries them:
 * for each reviewed `replace`, the places where prior and planned differ (an SDKv2 ForceNew block: where the number
 * of blocks differs; a conditional rule: where it holds). Blocks are compared element by element, by index.
 */
export function requiresReplace(decision: TypeDecision, block: SchemaBlock, prior: unknown, planned: unknown): Step[][] {
  if (prior === null || planned === null || prior === undefined || planned === undefined) return [];
  const out: Step[][] = [];
  for (const attr of decision.attributes) {
    if (!attr.replace) continue;
    const names = innerNames(decision, attr.path);
    for (const [before, after] of pairs(block, prior, planned, names)) {
      const steps = (after ?? before)!.steps;
      const b = before?.value ?? null;
      const a = after?.value ?? null;
      const isBlock = (after ?? before)!.block;
      let changed: boolean;
      if (attr.replace.kind === "conditional") changed = !equal(b, a) && conditionHolds(attr.replace.rule, b, a);
      else if (isBlock) changed = a instanceof Unknown || b instanceof Unknown || count(b) !== count(a);
      else changed = !equal(b, a);
      if (changed) out.push(steps);
    }
  }
  return out;
}

const count = (v: unknown): number => (Array.isArray(v) ? v.length : isObject(v) ? 1 : 0);

/** The positions of `names` in prior and planned, paired by index; a side without the position is undefined. */
function pairs(block: SchemaBlock, prior: unknown, planned: unknown, names: readonly string[]): Array<[Position | undefined, Position | undefined]> {
  const before = positions(block, prior, names);
  const after = positions(block, planned, names);
  const key = (p: Position) => JSON.stringify(p.steps);
  const map = new Map<string, [Position | undefined, Position | undefined]>();
  for (const p of before) map.set(key(p), [p, undefined]);
  for (const p of after) map.set(key(p), [map.get(key(p))?.[0], p]);
  // A container that became unknown in the plan is one position on the planned side, against the prior's deeper
  // ones: both count as changes, as the SDK cannot rule a change out under an unknown.
  return [...map.values()];
}

// ---- import ids -------------------------------------------------------------------------------------------------------

/** The attributes an import id names, parsed with the importer's formats in order; refused as the importer does. */
export function parseImportId(decision: TypeDecision, id: string): Record<string, string> {
  for (const format of decision.importFormats ?? []) {
    const m = new RegExp(goRegex(format)).exec(id);
    if (m?.groups) return Object.fromEntries(Object.entries(m.groups).filter(([, v]) => v !== undefined)) as Record<string, string>;
  }
  throw new ImportRefusal(render(decision.importRefusal ?? `${decision.type} cannot be imported`, { id }));
}

export class ImportRefusal extends Error {}

