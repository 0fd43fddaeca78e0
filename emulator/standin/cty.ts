/**
 * Values as Terraform's plugin protocol carries them: cty's msgpack encoding (hashicorp/terraform v1.11.4,
 * docs/plugin-protocol/object-wire-format.md, and github.com/zclconf/go-cty cty/msgpack):
 *
 * - an unknown value is a msgpack extension of type 0 (cty writes fixext1 `d4 00 00`); an unknown with refinements
 *   (cty >= 1.13, e.g. "not null") is extension type 12 with a msgpack map payload. Both decode to `Unknown`,
 *   which re-encodes byte for byte, so a refinement Terraform sent comes back unchanged;
 * - a value of DynamicPseudoType is a two-element array `[type JSON as bytes, value]` (kept opaque here);
 * - objects and maps are msgpack maps, lists, sets and tuples are arrays, null is nil.
 *
 * Schemas are in the shape `terraform providers schema -json` prints (the JSON the derivation produces).
 */
import { decode, encode, ExtensionCodec } from "@msgpack/msgpack";

/** cty's unknown value, as it travels: the extension type (0, or 12 with refinements) and its payload. */
export class Unknown {
  constructor(
    readonly extType: 0 | 12 = 0,
    readonly data: Uint8Array = Uint8Array.of(0),
  ) {}
}

const codec = new ExtensionCodec();
for (const type of [0, 12] as const) {
  codec.register({
    type,
    encode: (value: unknown) => (value instanceof Unknown && value.extType === type ? value.data : null),
    decode: (data: Uint8Array) => new Unknown(type, Uint8Array.from(data)),
  });
}

export function decodeMsgpack(bytes: Uint8Array): unknown {
  return decode(bytes, { extensionCodec: codec, useBigInt64: false });
}

export function encodeMsgpack(value: unknown): Uint8Array {
  return encode(value, { extensionCodec: codec, ignoreUndefined: false });
}

/** A DynamicValue as the protocol sends it: msgpack when present, else JSON (which has no unknowns). */
export function fromDynamicValue(value: { msgpack?: Uint8Array; json?: Uint8Array } | null | undefined): unknown {
  if (!value) return null;
  if (value.msgpack && value.msgpack.length > 0) return decodeMsgpack(value.msgpack);
  if (value.json && value.json.length > 0) return JSON.parse(Buffer.from(value.json).toString("utf8"));
  return null;
}

export function toDynamicValue(value: unknown): { msgpack: Buffer } {
  return { msgpack: Buffer.from(encodeMsgpack(value)) };
}

// ---- Schemas: the JSON shape of `terraform providers schema -json` --------------------------------------------

export type CtyType = string | [string, ...unknown[]];

export interface SchemaAttribute {
  type?: CtyType;
  nested_type?: NestedType;
  description?: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  deprecated?: boolean;
  write_only?: boolean;
}

export interface NestedType {
  attributes: Record<string, SchemaAttribute>;
  nesting_mode: "single" | "list" | "set" | "map";
}

export interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, SchemaBlockType>;
  description?: string;
  deprecated?: boolean;
}

export interface SchemaBlockType {
  nesting_mode: "single" | "list" | "set" | "map" | "group";
  block: SchemaBlock;
  min_items?: number;
  max_items?: number;
}

export interface Schema {
  version?: number;
  block: SchemaBlock;
}

export interface ProviderSchemaJson {
  provider: Schema;
  resource_schemas?: Record<string, Schema>;
  data_source_schemas?: Record<string, Schema>;
}

type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Unknown) && !(value instanceof Uint8Array);
}

/**
 * Every attribute and block of the schema present (null, or an empty collection for list/set/map blocks, as
 * Terraform represents an absent block), nothing else: cty's decoder wants an object with exactly its type's
 * attributes.
 */
export function normalizeBlock(block: SchemaBlock, value: unknown): Obj | Unknown | null {
  if (value instanceof Unknown) return value;
  if (!isObject(value)) return value === null || value === undefined ? null : (value as any);
  const out: Obj = {};
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    const v = value[name];
    out[name] = attr.nested_type ? normalizeNested(attr.nested_type, v) : v === undefined ? null : v;
  }
  for (const [name, bt] of Object.entries(block.block_types ?? {})) out[name] = normalizeBlockType(bt, value[name]);
  return out;
}

function normalizeBlockType(bt: SchemaBlockType, value: unknown): unknown {
  if (value instanceof Unknown) return value;
  switch (bt.nesting_mode) {
    case "single":
      return value === undefined || value === null ? null : normalizeBlock(bt.block, value);
    case "group":
      return normalizeBlock(bt.block, value ?? {});
    case "list":
    case "set":
      return Array.isArray(value) ? value.map((e) => normalizeBlock(bt.block, e)) : [];
    case "map":
      return isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, e]) => [k, normalizeBlock(bt.block, e)])) : {};
  }
}

function normalizeNested(nt: NestedType, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Unknown) return value;
  const inner: SchemaBlock = { attributes: nt.attributes };
  switch (nt.nesting_mode) {
    case "single":
      return normalizeBlock(inner, value);
    case "list":
    case "set":
      return Array.isArray(value) ? value.map((e) => normalizeBlock(inner, e)) : value;
    case "map":
      return isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, e]) => [k, normalizeBlock(inner, e)])) : value;
  }
}

/** The attributes of a nested attribute type, as a block (nested attributes hold no blocks). */
export function nestedAsBlock(nt: NestedType): SchemaBlock {
  return { attributes: nt.attributes };
}

/** True when the value holds an unknown anywhere. */
export function containsUnknown(value: unknown): boolean {
  if (value instanceof Unknown) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isObject(value)) return Object.values(value).some(containsUnknown);
  return false;
}
