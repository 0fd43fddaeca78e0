/**
 * Completeness of the stand-ins' reviewed decisions (emulator/standin/decisions/): every resource type, data source
 * and attribute path the Google and DNS stacks set (both environments, the gke stack in dedicated and `existing`
 * cluster mode, Cloud DNS in pre and Cloudflare in ops), and every provider setting they configure, has a reviewed
 * entry naming where the provider decides it. A new resource, or a new attribute of one, fails here until someone
 * reads the provider's source for it.
 *
 * What the entries say is checked against the providers through Terraform in test/engine/standin-decide.test.ts,
 * with expectations written from the sources; here only the table's form: each path exists in the provider's
 * schema, each source is a file:line, each named rule has an implementation.
 */
import { ENV_NAMES } from "../../config";
import { LAYER_CLOUDS, LAYERS } from "../../config/naming";
import { innerNames, schemaAt, validateConfig, requiresReplace } from "../../emulator/standin/decide";
import type { SchemaBlock as WireBlock } from "../../emulator/standin/cty";
import { decisionOf, STANDIN_DECISIONS } from "../../emulator/standin/decisions";
import type { AttributeDecision, TypeDecision } from "../../emulator/standin/decisions/types";
import { BINDINGS, standinSchema, type ProviderSchemaJson, type SchemaBlock, type StandinProvider } from "../../emulator/standin/schema";
import { existingClusterStack } from "../stacks/gke-modes";
import { sharedStack, type Synthesized } from "../support/synth";

const META = new Set(["count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection", "//"]);

/** "<type>.<path>" of every attribute and block a configuration body sets, walking blocks and nested attributes. */
function setPaths(prefix: string, body: Record<string, unknown>, block: SchemaBlock, out: Set<string>, top = true): void {
  for (const [key, value] of Object.entries(body)) {
    if (top && META.has(key)) continue;
    const path = `${prefix}.${key}`;
    out.add(path);
    const sub = block.block_types?.[key];
    const nested = block.attributes?.[key]?.nested_type;
    const inner: SchemaBlock | undefined = sub?.block ?? (nested ? { attributes: nested.attributes } : undefined);
    if (!inner || value === null || typeof value !== "object") continue;
    for (const element of Array.isArray(value) ? value : [value]) {
      if (element && typeof element === "object") setPaths(path, element as Record<string, unknown>, inner, out, false);
    }
  }
}

/** Which stand-in serves an object: its `provider` meta-argument ("google-beta", "google.alias"), else its prefix. */
const standinOf = (type: string, body: { provider?: string }): StandinProvider => (body.provider ?? type.split("_")[0]).split(".")[0] as StandinProvider;

interface Used {
  readonly provider: StandinProvider;
  /** "google_sql_user", "data.google_project", "provider". */
  readonly type: string;
  readonly paths: Set<string>;
  readonly where: Set<string>;
}

const stacks: Array<[string, Synthesized]> = [];
for (const env of ENV_NAMES) {
  for (const layer of LAYERS.filter((l) => LAYER_CLOUDS[l] !== "aws")) stacks.push([`${env}/${layer}`, sharedStack(env, layer)]);
  stacks.push([`${env}/gke (existing cluster)`, existingClusterStack(env)]);
}

const used = new Map<string, Used>();
const schemas = new Map<StandinProvider, ProviderSchemaJson>();
function schemaOf(provider: StandinProvider): ProviderSchemaJson {
  if (!schemas.has(provider)) schemas.set(provider, standinSchema(provider));
  return schemas.get(provider)!;
}
function use(provider: StandinProvider, type: string, where: string): Used {
  const key = `${provider} ${type}`;
  if (!used.has(key)) used.set(key, { provider, type, paths: new Set(), where: new Set() });
  const u = used.get(key)!;
  u.where.add(where);
  return u;
}

beforeAll(() => {
  for (const [name, stack] of stacks) {
    for (const [kind, data] of [["resource", false], ["data", true]] as const) {
      for (const [type, objects] of Object.entries<Record<string, any>>(stack.json[kind] ?? {})) {
        if (type.startsWith("aws_")) continue;
        for (const [objectName, body] of Object.entries(objects)) {
          const provider = standinOf(type, body);
          const schema = schemaOf(provider);
          const entry = data ? schema.data_source_schemas[type] : schema.resource_schemas[type];
          const label = data ? `data.${type}` : type;
          setPaths(label, body, entry.block, use(provider, label, `${name}: ${label}.${objectName}`).paths);
        }
      }
    }
    for (const [provider, configs] of Object.entries<any>(stack.json.provider ?? {})) {
      if (provider === "aws") continue;
      for (const config of [configs].flat()) setPaths("provider", config, schemaOf(provider as StandinProvider).provider.block, use(provider as StandinProvider, "provider", name).paths);
    }
  }
}, 120_000);

describe("every type, data source and provider setting the Google and DNS stacks set has a reviewed decision", () => {
  it("finds what the stacks use, from all four stand-in providers (the walk itself works)", () => {
    const providers = new Set([...used.values()].map((u) => u.provider));
    expect([...providers].sort()).toEqual(["cloudflare", "google", "google-beta", "time"]);
    expect(used.get("google google_sql_database_instance")?.paths).toContain("google_sql_database_instance.settings.backup_configuration.backup_retention_settings.retained_backups");
    expect(used.get("google-beta google_project_service_identity")?.paths).toContain("google_project_service_identity.service");
    expect(used.get("google data.google_container_cluster")?.where.size).toBe(2); // the existing-mode stacks
    expect(used.get("google provider")?.paths).toContain("provider.default_labels");
  });

  it("has an entry for every type", () => {
    const missing = [...used.values()].filter((u) => u.type !== "provider" || u.paths.size > 0).filter((u) => !decisionOf(u.provider, u.type));
    expect(missing.map((u) => `${u.provider} ${u.type} (${[...u.where][0]})`)).toEqual([]);
  });

  it("has an entry for every attribute path", () => {
    const missing: string[] = [];
    for (const u of used.values()) {
      const decision = decisionOf(u.provider, u.type);
      const reviewed = new Set(decision?.attributes.map((a) => a.path) ?? []);
      for (const path of u.paths) if (!reviewed.has(path)) missing.push(`${u.provider} ${path}`);
    }
    expect(missing).toEqual([]);
  });

  it("fails on a path nobody reviewed (the check can fail)", () => {
    const paths = new Set<string>();
    setPaths("google_sql_database_instance", { settings: [{ tier: "db-f1-micro", active_directory_config: [{ domain: "x" }] }] }, schemaOf("google").resource_schemas.google_sql_database_instance.block, paths);
    const reviewed = new Set(decisionOf("google", "google_sql_database_instance")!.attributes.map((a) => a.path));
    expect([...paths].filter((p) => !reviewed.has(p))).toEqual([
      "google_sql_database_instance.settings.active_directory_config",
      "google_sql_database_instance.settings.active_directory_config.domain",
    ]);
  });

  it("reports the review's size", () => {
    const entries = STANDIN_DECISIONS.flatMap((d) => d.attributes.map((a) => ({ d, a })));
    const stats = {
      types: STANDIN_DECISIONS.filter((d) => d.type !== "provider").length,
      "attribute paths": entries.length,
      "attribute paths the stacks set": [...used.values()].reduce((n, u) => n + u.paths.size, 0),
      "replacing paths": entries.filter(({ a }) => a.replace).length,
      refusals: entries.reduce((n, { a }) => n + (a.refuse?.length ?? 0), 0),
      defaults: entries.filter(({ a }) => a.default !== undefined).length,
      "import formats": STANDIN_DECISIONS.reduce((n, d) => n + (d.importFormats?.length ?? 0), 0),
    };
    process.stdout.write(`stand-in decisions: ${JSON.stringify(stats)}\n`);
    expect(stats.types).toBeGreaterThanOrEqual(28);
  });
});

describe("the form of every entry", () => {
  const each = STANDIN_DECISIONS.flatMap((d) => d.attributes.map((a): [TypeDecision, AttributeDecision] => [d, a]));

  it("names a source file and line for every type and attribute", () => {
    const bad = [...STANDIN_DECISIONS.map((d) => [d.type, d.source]), ...each.map(([, a]) => [a.path, a.source])].filter(([, s]) => !/^[\w./-]+\.go:\d+$/.test(s));
    expect(bad).toEqual([]);
  });

  it("names only paths the provider's schema has", () => {
    const bad: string[] = [];
    for (const [d, a] of each) {
      const schema = schemaOf(d.provider as StandinProvider);
      const entry = d.type === "provider" ? schema.provider : d.type.startsWith("data.") ? schema.data_source_schemas[d.type.slice(5)] : schema.resource_schemas[d.type];
      if (!entry || !schemaAt(entry.block as WireBlock, innerNames(d, a.path))) bad.push(`${d.provider} ${a.path}`);
      for (const r of a.refuse ?? []) if ("paths" in r) for (const p of r.paths) if (!p.startsWith(`${d.type}.`)) bad.push(`${a.path} refers to ${p}`);
    }
    expect(bad).toEqual([]);
  });

  it("has an implementation for every named rule (validating and planning with each raises no 'no implementation')", () => {
    for (const d of STANDIN_DECISIONS) {
      const schema = schemaOf(d.provider as StandinProvider);
      const entry = d.type === "provider" ? schema.provider : d.type.startsWith("data.") ? schema.data_source_schemas[d.type.slice(5)] : schema.resource_schemas[d.type];
      // A value of the right kind at every reviewed path, and a changed one, exercises every refusal and rule.
      const block = entry.block as WireBlock;
      const config = sample(entry.block, "a");
      expect(() => validateConfig(d, block, config)).not.toThrow();
      expect(() => requiresReplace(d, block, config, sample(entry.block, "b"))).not.toThrow();
    }
  });

  it("records google-beta's types apart from google's only where the stacks take them from google-beta", () => {
    const beta = STANDIN_DECISIONS.filter((d) => d.provider === "google-beta").map((d) => d.type);
    expect(beta.sort()).toEqual(["google_project_service_identity", "provider"]);
    expect(Object.keys(BINDINGS)).toContain("google-beta");
  });
});

/** An object with a value at every attribute of the block (strings `tag`, numbers 1, one element per block). */
function sample(block: SchemaBlock, tag: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(block.attributes ?? {})) {
    if (a.nested_type) out[name] = a.nested_type.nesting_mode === "single" ? sample({ attributes: a.nested_type.attributes }, tag) : [sample({ attributes: a.nested_type.attributes }, tag)];
    else out[name] = a.type === "number" ? 1 : a.type === "bool" ? true : a.type === "string" ? tag : null;
  }
  for (const [name, bt] of Object.entries(block.block_types ?? {})) out[name] = bt.nesting_mode === "single" ? sample(bt.block, tag) : [sample(bt.block, tag)];
  return out;
}
