/**
 * Provider schemas for the stand-in providers, derived from the prebuilt cdktf bindings the project already pins.
 *
 * `terraform providers schema -json` cannot be run for hashicorp/google, google-beta, cloudflare/cloudflare or
 * hashicorp/time here (no registry), but each `@cdktf/provider-*` package was generated from exactly that output
 * (`cdktf get` reads `terraform providers schema -json`; see @cdktf/provider-generator's resource-parser.js, which is
 * in node_modules). The generator keeps almost everything Terraform validates against, so the schema can be read back
 * out of what it wrote. The derivation reads each `lib/<dir>/index.js` as text and takes the TypeScript the
 * generator emitted from the inline source map (`sourcesContent`), because the compiled JavaScript drops the
 * comments that carry the flags. From that source it uses:
 *
 *  - `// <name> - computed: X, optional: Y, required: Z` above every attribute of the resource class and of each
 *    `…OutputReference` class: the three flags exactly as the schema had them (attribute-model.ts writes them from
 *    the schema), so optional+computed is known, not guessed;
 *  - `synthesizeHclAttributes()` / `<struct>ToHclTerraform()`: `{ isBlock, type: list|set|map|simple|struct,
 *    storageClassType }` for every attribute that can be configured (the type of a computed-only one comes from its
 *    getter: getStringAttribute, getListAttribute, `Fn.tolist(...)` for a set, `new XList(this, "x", wrapsSet)`...);
 *  - the config interfaces (`readonly x?: T` / `readonly x: T`): whether a list/set block holds one object
 *    (`X`, the generator's isSingleItem, i.e. max_items = 1) or many (`X[] | cdktf.IResolvable`), and the flags of the
 *    provider's nested blocks, which have no OutputReference classes.
 *
 * What the bindings do not carry (the proof against the real aws provider lists each of these): schema versions,
 * descriptions, `deprecated`, `sensitive`, `write_only`, min_items/max_items other than 0/1, and whether an inner
 * collection of a nested collection (`list(set(string))`) is a list or a set (the generator names both `…List`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { schemaFactSources } from "./decisions";
import type { TypeDecision } from "./decisions/types";

// ---------------------------------------------------------------------------------------------------------------
// The JSON shape `terraform providers schema -json` prints (terraform/internal/command/jsonprovider at v1.11.4:
// provider.go, schema.go, block.go, attribute.go). Keys Terraform omits when empty (omitempty) are optional here.
// ---------------------------------------------------------------------------------------------------------------

/** A cty type in its JSON form: "string", ["list","string"], ["object",{...}], "dynamic"... */
export type CtyType =
  | "string"
  | "number"
  | "bool"
  | "dynamic"
  | readonly ["list" | "set" | "map", CtyType]
  | readonly ["object", { readonly [name: string]: CtyType }]
  | readonly ["object", { readonly [name: string]: CtyType }, readonly string[]]
  | readonly ["tuple", readonly CtyType[]];

export type NestingMode = "single" | "list" | "set" | "map" | "group";

/** An attribute whose value is described by nested attributes (plugin framework's *NestedAttribute; protocol 6). */
export interface SchemaNestedType {
  attributes: Record<string, SchemaAttribute>;
  nesting_mode: Exclude<NestingMode, "group">;
}

export interface SchemaAttribute {
  type?: CtyType;
  nested_type?: SchemaNestedType;
  description?: string;
  description_kind?: "plain" | "markdown";
  deprecated?: boolean;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  write_only?: boolean;
}

export interface SchemaBlockType {
  nesting_mode: NestingMode;
  block: SchemaBlock;
  min_items?: number;
  max_items?: number;
}

export interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, SchemaBlockType>;
  description?: string;
  description_kind?: "plain" | "markdown";
  deprecated?: boolean;
}

export interface SchemaEntry {
  version: number;
  block: SchemaBlock;
}

/** One provider's entry in `provider_schemas` of `terraform providers schema -json`. */
export interface ProviderSchemaJson {
  provider: SchemaEntry;
  resource_schemas: Record<string, SchemaEntry>;
  data_source_schemas: Record<string, SchemaEntry>;
}

/** The whole document `terraform providers schema -json` prints. */
export interface ProvidersSchemaDocument {
  format_version: string;
  provider_schemas: Record<string, ProviderSchemaJson>;
}

export type StandinProvider = "google" | "google-beta" | "cloudflare" | "time";

/** The bindings each stand-in (and the proof, aws) derives from. */
export const BINDINGS: Record<StandinProvider | "aws", string> = {
  google: "@cdktf/provider-google",
  "google-beta": "@cdktf/provider-google-beta",
  cloudflare: "@cdktf/provider-cloudflare",
  time: "@cdktf/provider-time",
  aws: "@cdktf/provider-aws",
};

/** Where Terraform finds each provider (the `provider_schemas` key, and the source the stacks require). */
export const PROVIDER_ADDRESSES: Record<StandinProvider | "aws", string> = {
  google: "registry.terraform.io/hashicorp/google",
  "google-beta": "registry.terraform.io/hashicorp/google-beta",
  cloudflare: "registry.terraform.io/cloudflare/cloudflare",
  time: "registry.terraform.io/hashicorp/time",
  aws: "registry.terraform.io/hashicorp/aws",
};

/** The provider version the bindings were generated from (terraformGeneratorMetadata.providerVersion): 6.50.0... */
export function bindingsProviderVersion(pkg: string): string {
  const js = fs.readFileSync(path.join(packageLib(pkg), "provider", "index.js"), "utf8");
  const version = /providerVersion: '([^']+)'/.exec(js)?.[1];
  if (!version) throw new Error(`${pkg}: lib/provider/index.js names no providerVersion`);
  return version;
}

/** The schema a stand-in serves: `deriveProviderSchema` for its bindings. */
export function standinSchema(provider: StandinProvider, options: DeriveOptions = {}): ProviderSchemaJson {
  return deriveProviderSchema(BINDINGS[provider], options);
}

/**
 * Providers built on terraform-plugin-framework, whose object-valued attributes are nested attributes
 * (`nested_type`) rather than `["object", …]` types, unless the bindings show otherwise (see `structAttribute`).
 * cloudflare 5.x is generated on the framework (cloudflare/terraform-provider-cloudflare v5.14.0, internal/services/
 * .../schema.go: schema.SingleNestedAttribute, ListNestedAttribute...); hashicorp/time moved to the framework in
 * v0.8.0 (internal/provider/resource_time_*.go use resource.Resource with schema.Schema). google, google-beta and aws
 * are mostly SDKv2, whose nested objects are blocks, or `["list", ["object", ...]]` for computed-only lists.
 */
const FRAMEWORK_PACKAGES = new Set(["@cdktf/provider-cloudflare", "@cdktf/provider-time"]);

export interface DeriveOptions {
  /** Resource and data source types to derive (data sources as "data.<type>" or "data_<type>"); default: all. */
  readonly types?: readonly string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Reading one binding file
// ---------------------------------------------------------------------------------------------------------------

interface Flags {
  computed: boolean;
  optional: boolean;
  required: boolean;
}

interface HclEntry {
  /** The mapper expression: `cdktf.listMapperHcl(fooToHclTerraform, <isBlock>)(struct!.foo)`. */
  value: string;
  /** The generator's `isBlock` here means "complex" (struct-valued: attributes-emitter.js), not "a block". */
  isBlock: boolean;
  type: "list" | "set" | "map" | "simple" | "struct";
  storageClassType: string;
}

interface ClassMember {
  flags: Flags;
  /** `new Foo(this, "name", wrapsSet)`: the class and its third argument, when the member stores a reference class. */
  initializer?: { className: string; wrapsSet?: boolean };
  /** The getter's return expression. */
  getter?: string;
}

interface InterfaceField {
  optional: boolean;
  tsType: string;
  /** The first line of the field's JSDoc: the schema's description, or "<name> block" for a block. */
  doc: string;
}

/** What one generated TypeScript file declares, indexed by name. */
interface ParsedSource {
  /** Struct name ("" for the resource, data source or provider itself) -> attributes it can be configured with. */
  hcl: Map<string, Map<string, HclEntry>>;
  /** Class name -> Terraform attribute name -> member. */
  classes: Map<string, Map<string, ClassMember>>;
  /** The main class's name and what it extends. */
  main: { name: string; kind: "resource" | "data" | "provider" };
  tfType: string;
  /** The main class's constructor's config type. */
  configInterface: string | undefined;
  interfaces: Map<string, Map<string, InterfaceField>>;
}

function generatedSource(file: string): string {
  const js = fs.readFileSync(file, "utf8");
  const marker = "sourceMappingURL=data:application/json;base64,";
  const at = js.lastIndexOf(marker);
  if (at < 0) throw new Error(`${file}: no inline source map; cannot read the generator's TypeScript`);
  const map = JSON.parse(Buffer.from(js.slice(at + marker.length).trim(), "base64").toString("utf8"));
  const source: unknown = map.sourcesContent?.[0];
  if (typeof source !== "string") throw new Error(`${file}: source map has no sourcesContent`);
  return source;
}

const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function parseHclEntries(body: string): Map<string, HclEntry> {
  const entries = new Map<string, HclEntry>();
  const re = /^\s+(\w+): \{\n\s+value: ([^\n]*),\n\s+isBlock: (true|false),\n\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",\n\s+\},?$/gm;
  for (const m of body.matchAll(re)) {
    entries.set(m[1], { value: m[2], isBlock: m[3] === "true", type: m[4] as HclEntry["type"], storageClassType: m[5] });
  }
  return entries;
}

/** Splits `source` into top-level declarations that start at column 0 with `export …` and end at the next `}` line. */
function declarations(source: string): Array<{ head: string; body: string }> {
  const out: Array<{ head: string; body: string }> = [];
  const re = /^export (?:interface|class|function) [^\n]*$/gm;
  const starts = [...source.matchAll(re)];
  for (const m of starts) {
    const start = m.index!;
    const end = source.indexOf("\n}\n", start);
    out.push({ head: m[0], body: source.slice(start + m[0].length, end < 0 ? source.length : end) });
  }
  return out;
}

function parseClassMembers(body: string): Map<string, ClassMember> {
  const members = new Map<string, ClassMember>();
  const re = /^ {2}\/\/ (\w+) - computed: (true|false), optional: (true|false), required: (true|false)$/gm;
  const marks = [...body.matchAll(re)];
  marks.forEach((m, i) => {
    const segment = body.slice(m.index! + m[0].length, i + 1 < marks.length ? marks[i + 1].index : body.length);
    const init = /private _\w+ = new ([\w.]+)\(this, "\w+"(?:, (true|false))?\)/.exec(segment);
    const getter = /public get \w+\(\) \{\n\s+return ([^\n]+);/.exec(segment);
    members.set(m[1], {
      flags: { computed: m[2] === "true", optional: m[3] === "true", required: m[4] === "true" },
      initializer: init ? { className: init[1], wrapsSet: init[2] === undefined ? undefined : init[2] === "true" } : undefined,
      getter: getter?.[1],
    });
  });
  return members;
}

function parseInterfaceFields(body: string): Map<string, InterfaceField> {
  const fields = new Map<string, InterfaceField>();
  // Keyed by the Terraform name, which the JSDoc's registry link ends with ("…#build CloudbuildTrigger#build}"):
  // the camel-case name is sometimes renamed (cloudbuild_trigger's `build` is `buildAttribute`).
  for (const m of body.matchAll(/(?:^ {2}\/\*\*\n {2}\* ?([^\n]*)\n((?: {2}\*[^\n]*\n)*?) {2}\*\/\n)?^ {2}readonly (\w+)(\?)?: ([^\n]+);$/gm)) {
    const link = /\{@link \S+#(\w+) \S+\}/.exec(`${m[1] ?? ""}\n${m[2] ?? ""}`);
    fields.set(link?.[1] ?? m[3], { optional: m[4] === "?", tsType: m[5], doc: m[1] ?? "" });
  }
  return fields;
}

function parseSource(source: string, file: string): ParsedSource {
  const hcl = new Map<string, Map<string, HclEntry>>();
  const classes = new Map<string, Map<string, ClassMember>>();
  const interfaces = new Map<string, Map<string, InterfaceField>>();
  let main: ParsedSource["main"] | undefined;
  for (const { head, body } of declarations(source)) {
    let m: RegExpExecArray | null;
    if ((m = /^export function (\w+)ToHclTerraform\(/.exec(head))) {
      hcl.set(upperFirst(m[1]), parseHclEntries(body));
    } else if ((m = /^export interface (\w+)/.exec(head))) {
      interfaces.set(m[1], parseInterfaceFields(body));
    } else if ((m = /^export class (\w+) extends cdktf\.(\w+)/.exec(head))) {
      classes.set(m[1], parseClassMembers(body));
      const kind = { TerraformResource: "resource", TerraformDataSource: "data", TerraformProvider: "provider" }[m[2]] as
        | ParsedSource["main"]["kind"]
        | undefined;
      if (kind) {
        main = { name: m[1], kind };
        const synth = body.indexOf("synthesizeHclAttributes()");
        if (synth >= 0) hcl.set("", parseHclEntries(body.slice(synth)));
      }
    }
  }
  if (!main) throw new Error(`${file}: no class extending cdktf.TerraformResource/TerraformDataSource/TerraformProvider`);
  const tfType = /terraformResourceType: '([\w-]+)'/.exec(source)?.[1] ?? "";
  const configInterface = /public constructor\(scope: Construct, id: string, config\??: (\w+)/.exec(source)?.[1];
  return { hcl, classes, main, tfType, configInterface, interfaces };
}

// ---------------------------------------------------------------------------------------------------------------
// From the parsed source to the schema
// ---------------------------------------------------------------------------------------------------------------

const SIMPLE: Record<string, CtyType> = { string: "string", number: "number", boolean: "bool" };

/** Splits a generator class/storage name like "FooBarListMap" into a base ("FooBar") and the wrappers ["List","Map"]. */
function unwrap(name: string, isBase: (base: string) => boolean): { base: string; wrappers: string[] } | undefined {
  const wrappers: string[] = [];
  let base = name;
  for (;;) {
    if (isBase(base)) return { base, wrappers };
    const m = /^(.+?)(List|Map)$/.exec(base);
    if (!m) return undefined;
    wrappers.unshift(m[2]);
    base = m[1];
  }
}

class Deriver {
  constructor(
    private readonly src: ParsedSource,
    private readonly framework: boolean,
    private readonly where: string,
  ) {}

  private isStruct = (name: string): boolean => this.src.hcl.has(name) || this.src.classes.has(`${name}OutputReference`) || this.src.interfaces.has(name);

  /** The block of the main class ("") or of a struct. */
  block(structName: string, interfaceName?: string): SchemaBlock {
    const hcl = this.src.hcl.get(structName) ?? new Map<string, HclEntry>();
    const className = structName === "" ? this.src.main.name : `${structName}OutputReference`;
    const members = this.src.classes.get(className);
    const iface = this.src.interfaces.get(interfaceName ?? structName);
    const attributes: Record<string, SchemaAttribute> = {};
    const blockTypes: Record<string, SchemaBlockType> = {};
    const names = new Set<string>([...(members?.keys() ?? []), ...hcl.keys()]);
    for (const name of names) {
      if (structName === "" && this.src.main.kind === "provider" && name === "alias") continue; // added by cdktf, not in the schema
      const entry = hcl.get(name);
      const member = members?.get(name);
      const field = iface?.get(name);
      const flags: Flags = member?.flags ?? {
        // Structs without an OutputReference class (the provider's nested blocks): the interface's `?` says it.
        computed: false,
        optional: field ? field.optional : true,
        required: field ? !field.optional : false,
      };
      if (entry && this.isBlockEntry(name, entry, field)) {
        blockTypes[name] = this.blockType(name, entry.storageClassType, entry.type, flags, field);
      } else if (!entry && member?.initializer && !flags.computed && !flags.optional && !flags.required) {
        // No attribute has all three flags false (Terraform's InternalValidate refuses it); a block whose fields
        // are all computed does (resource-parser.js, attributeForBlockType, "bug #3570"), and so has no config entry.
        const cls = member.initializer.className.replace(/OutputReference$/, "");
        const kind = member.initializer.className.endsWith("OutputReference") ? "struct" : cls.endsWith("Map") ? "map" : member.initializer.wrapsSet ? "set" : "list";
        blockTypes[name] = this.blockType(name, cls, kind, flags, undefined);
      } else {
        attributes[name] = this.attribute(name, entry, member, flags);
      }
    }
    const block: SchemaBlock = {};
    if (Object.keys(attributes).length) block.attributes = attributes;
    if (Object.keys(blockTypes).length) block.block_types = blockTypes;
    return block;
  }

  /**
   * A block, not an object-valued attribute: the generator describes every block as "<name> block"
   * (resource-parser.js, attributeForBlockType), and maps a list/set of blocks with `listMapperHcl(f, true)` where
   * an attribute of list(object) gets `false` (attribute-type-model.ts, ListAttributeTypeModel.isBlock). SDKv2's
   * "attributes as blocks" (aws_security_group.ingress, aws_route_table.route) are attributes here, as in the schema.
   */
  private isBlockEntry(name: string, entry: HclEntry, field: InterfaceField | undefined): boolean {
    if (!entry.isBlock) return false;
    const mapper = /listMapperHcl\(\w+, (true|false)\)/.exec(entry.value);
    if (mapper) return mapper[1] === "true";
    // A list or set mapped by the struct's own function is a block of one (isSingleItem: max_items = 1).
    if (entry.type === "list" || entry.type === "set") return true;
    return field?.doc === `${name} block`;
  }

  private blockType(name: string, storageClassType: string, kind: HclEntry["type"], flags: Flags, field: InterfaceField | undefined): SchemaBlockType {
    const wrapped = unwrap(storageClassType, this.isStruct);
    if (!wrapped) throw new Error(`${this.where}: block ${name}: unknown struct ${storageClassType}`);
    const block = this.block(wrapped.base);
    switch (kind) {
      case "struct":
        // nesting_mode single (the SDK's timeouts block, framework SingleNestedBlock).
        return { nesting_mode: "single", block };
      case "map":
        return { nesting_mode: "map", block };
      case "list":
      case "set": {
        const result: SchemaBlockType = { nesting_mode: kind, block };
        // The generator's block "required" is min_items > 0 (resource-parser.js, attributeForBlockType); a larger
        // minimum is lost (7 of all aws blocks have 2; none the stacks use).
        if (flags.required) result.min_items = 1;
        // max_items = 1 becomes a single object in the config interface (isSingleItem); any other maximum is lost.
        if (field && !/\[\]/.test(field.tsType)) result.max_items = 1;
        return result;
      }
      default:
        throw new Error(`${this.where}: block ${name}: unexpected type ${kind}`);
    }
  }

  private attribute(name: string, entry: HclEntry | undefined, member: ClassMember | undefined, flags: Flags): SchemaAttribute {
    const attr: SchemaAttribute = {};
    const typed = entry ? this.configType(name, entry, flags) : this.computedType(name, member, flags);
    if ("nested" in typed) attr.nested_type = typed.nested;
    else attr.type = typed.type;
    if (flags.required) attr.required = true;
    if (flags.optional) attr.optional = true;
    if (flags.computed) attr.computed = true;
    return attr;
  }

  /** The type of an attribute that can be configured, from its storageClassType. */
  private configType(name: string, entry: HclEntry, flags: Flags): { type: CtyType } | { nested: SchemaNestedType } {
    if (entry.storageClassType === "anyMap") return { type: "dynamic" }; // "dynamic" is rendered as a map of any
    if (entry.storageClassType === "any") return { type: "dynamic" }; // attributes the generator skips
    const simple = unwrap(entry.storageClassType, (b) => b in SIMPLE);
    if (simple) return { type: this.wrap(SIMPLE[simple.base], simple.wrappers, entry.type) };
    const struct = unwrap(entry.storageClassType, this.isStruct);
    if (!struct) throw new Error(`${this.where}: attribute ${name}: unknown storage class ${entry.storageClassType}`);
    return this.structAttribute(name, struct.base, struct.wrappers, entry.type, flags);
  }

  /** The type of a computed-only attribute, from its getter or the reference class it stores. */
  private computedType(name: string, member: ClassMember | undefined, flags: Flags): { type: CtyType } | { nested: SchemaNestedType } {
    if (!member) throw new Error(`${this.where}: attribute ${name} has neither a config entry nor a class member`);
    if (member.initializer) {
      const cls = member.initializer.className;
      const simple = /^cdktf\.(\w+)$/.exec(cls);
      if (simple) {
        const s = unwrap(simple[1].charAt(0).toLowerCase() + simple[1].slice(1), (b) => b in SIMPLE || b === "any");
        if (s) {
          if (s.base === "any") return { type: "dynamic" };
          const outer = s.wrappers[s.wrappers.length - 1] === "Map" ? "map" : member.initializer.wrapsSet ? "set" : "list";
          return { type: this.wrap(SIMPLE[s.base], s.wrappers, outer) };
        }
      }
      const single = /^(\w+)OutputReference$/.exec(cls);
      if (single) return this.structAttribute(name, single[1], [], "struct", flags);
      const s = unwrap(cls, this.isStruct);
      if (s) {
        const last = s.wrappers[s.wrappers.length - 1];
        const outer = last === "Map" ? "map" : member.initializer.wrapsSet ? "set" : "list";
        return this.structAttribute(name, s.base, s.wrappers, outer, flags);
      }
      throw new Error(`${this.where}: attribute ${name}: unknown reference class ${cls}`);
    }
    const g = member.getter ?? "";
    const simpleGetter = /^this\.get(String|Number|Boolean)Attribute\(/.exec(g);
    if (simpleGetter) return { type: SIMPLE[simpleGetter[1].toLowerCase()] };
    const isSet = g.includes("cdktf.Fn.tolist(");
    if (/this\.getListAttribute\(/.test(g)) return { type: [isSet ? "set" : "list", "string"] };
    if (/this\.getNumberListAttribute\(/.test(g)) return { type: [isSet ? "set" : "list", "number"] };
    const map = /this\.get(String|Number|Boolean|Any)MapAttribute\(/.exec(g);
    if (map) return { type: map[1] === "Any" ? "dynamic" : ["map", SIMPLE[map[1].toLowerCase()]] };
    // `this.interpolationForAttribute(...)`: a collection whose element type the getter does not name (a list of
    // booleans, a list of lists). The bindings do not say more; "dynamic" accepts whatever the stand-in stores.
    return { type: isSet ? ["set", "dynamic"] : "dynamic" };
  }

  /** Wraps an element type in the collections a storage name lists; `outer` is the outermost kind. */
  private wrap(element: CtyType, wrappers: string[], outer: string): CtyType {
    let type = element;
    wrappers.forEach((w, i) => {
      const kind = i === wrappers.length - 1 ? (outer === "simple" || outer === "struct" ? (w === "Map" ? "map" : "list") : outer) : w === "Map" ? "map" : "list";
      type = [kind as "list" | "set" | "map", type];
    });
    return type;
  }

  /**
   * An attribute whose elements are objects. The generator renders both `["list", ["object", {...}]]` and a
   * framework `nested_type` as a struct, and differs in one thing (resource-parser.js, addAnonymousStruct): the
   * fields of an object type all inherit the parent attribute's optional/required/computed, while nested attributes
   * keep their own. So: when any field's flags differ from the parent's, it is a nested type; when all agree (e.g.
   * a computed-only attribute, whose fields are all computed either way), the provider's SDK decides (framework:
   * nested_type; SDKv2: object type), since that is what each SDK emits for such an attribute.
   * A nested field under a computed parent is read as computed: the generator ORs the parent's flag into it, so
   * "optional only" under an optional+computed parent cannot be told apart (cloudflare_dns_record has no such field).
   * Only protocol 6 (tfplugin6) can carry nested_type: a stand-in serving one must speak it, as cloudflare 5.x does.
   */
  private structAttribute(name: string, struct: string, wrappers: string[], outer: string, flags: Flags): { type: CtyType } | { nested: SchemaNestedType } {
    const inner = this.block(struct);
    if (inner.block_types) throw new Error(`${this.where}: attribute ${name}: struct ${struct} has blocks`);
    const fields = inner.attributes ?? {};
    const differs = Object.values(fields).some(
      (f) => !!f.optional !== flags.optional || !!f.required !== flags.required || !!f.computed !== flags.computed || f.nested_type !== undefined,
    );
    const nested = wrappers.length <= 1 && (differs || this.framework);
    if (nested) {
      const mode = wrappers.length === 0 ? "single" : (outer as "list" | "set" | "map");
      return { nested: { attributes: fields, nesting_mode: mode === ("struct" as string) ? "single" : mode } };
    }
    const objectType: Record<string, CtyType> = {};
    for (const [k, f] of Object.entries(fields)) objectType[k] = f.type ?? "dynamic";
    return { type: this.wrap(["object", objectType], wrappers, outer) };
  }
}

/** Derives one binding file (resource, data source or provider). */
export function deriveFile(file: string, framework: boolean): { kind: ParsedSource["main"]["kind"]; tfType: string; entry: SchemaEntry } {
  // The generator splits the structs of very large types into index-structs/structs<N>.ts (aws_lexv2models_intent).
  const structsDir = path.join(path.dirname(file), "index-structs");
  const parts = [generatedSource(file)];
  if (fs.existsSync(structsDir)) {
    for (const f of fs.readdirSync(structsDir).sort()) if (/^structs\d+\.js$/.test(f)) parts.push(generatedSource(path.join(structsDir, f)));
  }
  const src = parseSource(parts.join("\n"), file);
  const deriver = new Deriver(src, framework, file);
  // The config interface is usually <Class>Config, but the generator renames on collisions (Wafv2WebAclAssociationConfigA).
  const configInterface = src.configInterface;
  // Schema versions are not in the bindings; 0 is what every stand-in resource starts at.
  return { kind: src.main.kind, tfType: src.tfType, entry: { version: 0, block: deriver.block("", configInterface) } };
}

/**
 * What the bindings lose, for the types the project's stacks use. The generator keeps no sensitive/write_only flags,
 * no min_items/max_items beyond "required" and "one" (resource-parser.js) and no schema versions. For the stand-ins'
 * providers these facts are part of the reviewed decision tables (decisions/: `sensitive`, `writeOnly`, `maxItems`,
 * `minItems`, `schemaVersion`, each with the provider source line); the AWS one is here, as the real binary reports
 * it (the engine proof against that binary shows that, with it, nothing differs in what the stacks set). Paths:
 * "<type>.<block|attribute>...", "data.<type>...", "provider...".
 */
interface LostFact {
  readonly path: string;
  /** The type's schema version (SDKv2 `SchemaVersion`, framework `Version`); only on a path that is a type. */
  readonly version?: number;
  readonly max_items?: number;
  readonly min_items?: number;
  readonly sensitive?: true;
  readonly write_only?: true;
  readonly source: string;
}

/** The schema facts a decision table records. */
function factsOf(decisions: readonly TypeDecision[]): LostFact[] {
  const out: LostFact[] = [];
  for (const d of decisions) {
    if (d.schemaVersion !== undefined) out.push({ path: d.type, version: d.schemaVersion, source: d.source });
    for (const a of d.attributes) {
      if (!a.sensitive && !a.writeOnly && a.maxItems === undefined && a.minItems === undefined) continue;
      out.push({ path: a.path, sensitive: a.sensitive, write_only: a.writeOnly, max_items: a.maxItems, min_items: a.minItems, source: a.source });
    }
  }
  return out;
}

export const LOST_FACTS: Readonly<Record<string, readonly LostFact[]>> = {
  "@cdktf/provider-aws": [
    // hashicorp/terraform-provider-aws v5.100.0, as its binary reports it (`terraform providers schema -json`).
    { path: "aws_s3_bucket_replication_configuration.rule", max_items: 1000, source: "internal/service/s3/bucket_replication_configuration.go" },
  ],
  "@cdktf/provider-google": factsOf(schemaFactSources("google")),
  "@cdktf/provider-google-beta": factsOf(schemaFactSources("google-beta")),
  "@cdktf/provider-cloudflare": factsOf(schemaFactSources("cloudflare")),
  "@cdktf/provider-time": factsOf(schemaFactSources("time")),
};

function applyFacts(schema: ProviderSchemaJson, facts: readonly LostFact[]): void {
  for (const fact of facts) {
    const [head, ...tail] = fact.path.split(".");
    // "provider.<...>", "data.<type>.<...>", "<type>.<...>": the entry, then the path inside its block.
    const [entry, inner] =
      head === "provider" ? [schema.provider, tail] : head === "data" ? [schema.data_source_schemas[tail[0]], tail.slice(1)] : [schema.resource_schemas[head], tail];
    if (!entry) continue; // a type not derived this time
    if (fact.version !== undefined) {
      if (inner.length) throw new Error(`LOST_FACTS: ${fact.path}: a version belongs to a type`);
      entry.version = fact.version;
      continue;
    }
    let block: SchemaBlock | undefined = entry.block;
    let attributes: Record<string, SchemaAttribute> | undefined = block.attributes;
    let target: SchemaAttribute | SchemaBlockType | undefined;
    for (const name of inner) {
      const blockType: SchemaBlockType | undefined = block?.block_types?.[name];
      const attribute: SchemaAttribute | undefined = attributes?.[name];
      target = blockType ?? attribute;
      if (!target) throw new Error(`LOST_FACTS: ${fact.path}: no ${name} in the derived schema`);
      block = blockType?.block;
      attributes = blockType ? blockType.block.attributes : attribute?.nested_type?.attributes;
    }
    if (!target) throw new Error(`LOST_FACTS: ${fact.path}: empty path`);
    if (fact.max_items !== undefined || fact.min_items !== undefined) {
      if (!("nesting_mode" in target)) throw new Error(`LOST_FACTS: ${fact.path} is not a block`);
      if (fact.max_items !== undefined) target.max_items = fact.max_items;
      if (fact.min_items !== undefined) target.min_items = fact.min_items;
    }
    if (fact.sensitive || fact.write_only) {
      if ("nesting_mode" in target) throw new Error(`LOST_FACTS: ${fact.path} is a block`);
      if (fact.sensitive) target.sensitive = true;
      if (fact.write_only) target.write_only = true;
    }
  }
}

function packageLib(pkg: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), "lib");
}

/**
 * The directory the generator writes a type to (resource-parser.js getFileName): the type without the provider
 * prefix, snake case to kebab; data sources keep a "data_<provider>_" prefix. Checked against the file's
 * terraformResourceType, so a name the rule gets wrong is an error, not a wrong schema.
 */
function typeDir(providerName: string, type: string, data: boolean): string {
  const bare = type.startsWith(`${providerName}_`) ? type.slice(providerName.length + 1) : type;
  const base = data ? `data_${type}` : bare;
  const reserved = ["string", "object", "function", "implements", "interface", "let", "package", "private", "protected", "public", "static", "yield", "await", "license", "version", "provider"];
  const name = !data && reserved.includes(base.toLowerCase()) ? `${base}_resource` : base;
  return name.replace(/_/g, "-");
}

const providerCache = new Map<string, { name: string; json: string }>();

/**
 * The schema of the provider the bindings `pkg` were generated from, as `terraform providers schema -json` prints
 * it under `provider_schemas["registry.terraform.io/<ns>/<name>"]`.
 */
export function deriveProviderSchema(pkg: string, options: DeriveOptions = {}): ProviderSchemaJson {
  const lib = packageLib(pkg);
  const framework = FRAMEWORK_PACKAGES.has(pkg);
  // The provider file is read once per process (google's is 176 attributes; a stand-in may ask type by type).
  if (!providerCache.has(pkg)) {
    const derived = deriveFile(path.join(lib, "provider", "index.js"), framework);
    providerCache.set(pkg, { name: derived.tfType, json: JSON.stringify(derived.entry) });
  }
  const { name: providerName, json: providerJson } = providerCache.get(pkg)!;
  const result: ProviderSchemaJson = {
    provider: JSON.parse(providerJson) as SchemaEntry,
    resource_schemas: {},
    data_source_schemas: {},
  };
  const add = (dir: string, expect?: { type: string; data: boolean }): void => {
    const file = path.join(lib, dir, "index.js");
    const derived = deriveFile(file, framework);
    if (derived.kind === "provider") return;
    if (expect && (derived.tfType !== expect.type || (derived.kind === "data") !== expect.data)) {
      throw new Error(`${pkg}: ${dir} holds ${derived.kind} ${derived.tfType}, not ${expect.data ? "data source" : "resource"} ${expect.type}`);
    }
    (derived.kind === "data" ? result.data_source_schemas : result.resource_schemas)[derived.tfType] = derived.entry;
  };
  if (options.types) {
    for (const requested of options.types) {
      const data = /^data[._]/.test(requested) && !requested.startsWith(`${providerName}_`);
      const type = data ? requested.replace(/^data[._]/, "") : requested;
      const dir = typeDir(providerName, type, data);
      if (!fs.existsSync(path.join(lib, dir, "index.js"))) {
        throw new Error(`${pkg} has no ${data ? "data source" : "resource"} ${type} (looked for lib/${dir}/index.js)`);
      }
      add(dir, { type, data });
    }
  } else {
    for (const dir of fs.readdirSync(lib).sort()) {
      if (dir === "provider" || !fs.existsSync(path.join(lib, dir, "index.js"))) continue;
      add(dir);
    }
  }
  applyFacts(result, LOST_FACTS[pkg] ?? []);
  return result;
}

if (require.main === module) {
  const [pkg, ...types] = process.argv.slice(2);
  if (!pkg) {
    process.stderr.write("usage: node -r ./tooling/register-swc.js emulator/standin/schema.ts <@cdktf/provider-…> [type|data.type ...]\n");
    process.exit(2);
  }
  const started = process.hrtime.bigint();
  const schema = deriveProviderSchema(pkg, types.length ? { types } : {});
  process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  process.stderr.write(`derived in ${Number(process.hrtime.bigint() - started) / 1e6} ms\n`);
}
