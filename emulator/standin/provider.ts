/**
 * What a stand-in provider does with each request, apart from the wire (server.ts): plan, apply, read, import and
 * data-source reads over an in-memory store that all stand-ins of one process share.
 *
 * The rules are Terraform's own contract with a provider (hashicorp/terraform v1.11.4,
 * internal/plans/objchange/objchange.go `AssertPlanValid` and `AssertObjectCompatible`, which Terraform runs on
 * every answer): a planned value equals the configuration wherever the configuration sets it; only computed
 * attributes may be unknown; after apply every value is known and every known planned value is unchanged.
 * What the providers themselves decide comes from the reviewed tables (decisions/, answered by decide.ts):
 * refusals, defaults, `requires_replace`, the project they need, import ids, reads of objects that do not exist.
 * What only the clouds' APIs decide (quotas, names taken, an API refusing a value the schema accepts) is not
 * modelled (docs/emulator.md).
 */
import { createHash } from "node:crypto";
import { applyDefaults, ImportRefusal, parseImportId, requiresReplace, validateConfig, type Diagnostic, type Step } from "./decide";
import { decisionOf } from "./decisions";
import type { TypeDecision } from "./decisions/types";
import {
  isObject,
  normalizeBlock,
  Unknown,
  type CtyType,
  type NestedType,
  type ProviderSchemaJson,
  type Schema,
  type SchemaAttribute,
  type SchemaBlock,
} from "./cty";

type Obj = Record<string, unknown>;

/** The project number every stand-in Google project answers with (data.google_project.number). */
export const STANDIN_PROJECT_NUMBER = "100000000001";

/** One create, as the log records it (in the order the creates finished). */
export interface CreateRecord {
  readonly seq: number;
  readonly provider: string;
  readonly type: string;
  /** The object's `id` after apply. */
  readonly id: string;
  /** A readable name: the object's name, account_id or service, when it has one. */
  readonly label: string;
}

export interface StoredObject {
  readonly provider: string;
  readonly type: string;
  readonly id: string;
  value: Obj;
}

/** State shared by every stand-in in one process: one world, so the dns stack reads the address the gke stack made. */
export class StandinWorld {
  readonly objects = new Map<string, StoredObject>();
  readonly creates: CreateRecord[] = [];

  key(type: string, id: string): string {
    return `${type}\0${id}`;
  }
  get(type: string, id: string): StoredObject | undefined {
    return this.objects.get(this.key(type, id));
  }
  put(object: StoredObject): void {
    this.objects.set(this.key(object.type, object.id), object);
  }
  delete(type: string, id: string): void {
    this.objects.delete(this.key(type, id));
  }
  /** The objects of `type` whose attributes equal every value of `match`. */
  find(type: string, match: Record<string, unknown>): StoredObject[] {
    return [...this.objects.values()].filter((o) => o.type === type && Object.entries(match).every(([k, v]) => (k === "id" ? o.id === v : o.value[k] === v)));
  }
}

/** A provider's error diagnostic: `message` is its summary (an SDKv2 error's whole text), `detail` what follows. */
export class StandinError extends Error {
  constructor(
    message: string,
    readonly detail = "",
  ) {
    super(message);
  }
}

/** What PlanResourceChange answers besides the planned state. */
export interface Plan {
  readonly planned: unknown;
  readonly requiresReplace: Step[][];
  /** terraform-plugin-sdk sends legacy_type_system on every answer; here only when the plan holds an SDKv2 default
   *  in an attribute that is not computed, the one inconsistency the flag exists for (so Terraform keeps checking
   *  every other answer strictly). */
  readonly legacyTypeSystem: boolean;
}

export class StandinProvider {
  /**
   * The provider configuration per connection: every Terraform process (and every provider instance in it) opens
   * its own, and two stacks planned at once configure the same stand-in with different projects.
   */
  private readonly configs = new Map<string, Obj>();

  constructor(
    readonly name: string,
    readonly schema: ProviderSchemaJson,
    readonly world: StandinWorld,
  ) {}

  resourceSchema(type: string): Schema {
    const schema = this.schema.resource_schemas?.[type];
    if (!schema) throw new StandinError(`${this.name} stand-in: no resource type ${type} in its schema`);
    return schema;
  }

  dataSourceSchema(type: string): Schema {
    const schema = this.schema.data_source_schemas?.[type];
    if (!schema) throw new StandinError(`${this.name} stand-in: no data source ${type} in its schema`);
    return schema;
  }

  /** The reviewed decisions of a type ("data.<type>" for a data source). A type nobody reviewed is refused: a
   *  stand-in that cannot say what the provider decides must not pretend it decides nothing. */
  decision(type: string): TypeDecision {
    const decision = decisionOf(this.name, type);
    if (!decision) throw new StandinError(`${this.name} stand-in: no reviewed decisions for ${type} (emulator/standin/decisions/): review it from the provider's source first`);
    return decision;
  }

  validateResource(type: string, config: unknown): Diagnostic[] {
    return validateConfig(this.decision(type), this.resourceSchema(type).block, config);
  }

  validateDataSource(type: string, config: unknown): Diagnostic[] {
    return validateConfig(this.decision(`data.${type}`), this.dataSourceSchema(type).block, config);
  }

  validateProvider(config: unknown): Diagnostic[] {
    const decision = decisionOf(this.name, "provider");
    return decision ? validateConfig(decision, this.schema.provider.block, config) : [];
  }

  /** The project an object names, else the provider's; undefined when neither does (unknown counts as named). */
  private projectOf(connection: string, value: unknown, attribute = "project"): string | Unknown | undefined {
    const own = isObject(value) ? value[attribute] : undefined;
    if (own instanceof Unknown || (typeof own === "string" && own !== "")) return own;
    const provider = this.config(connection).project;
    return typeof provider === "string" && provider !== "" ? provider : undefined;
  }

  private refuseMissingProject(connection: string, decision: TypeDecision, at: "plan" | "apply" | "read", value: unknown): void {
    const rule = decision.missingProject;
    if (!rule || rule.at !== at) return;
    const attribute = decision.identity?.includes("project_id") ? "project_id" : "project";
    if (this.projectOf(connection, value, attribute) === undefined) throw new StandinError(rule.message);
  }

  configure(connection: string, config: unknown): void {
    this.configs.set(connection, isObject(config) ? config : {});
  }

  private config(connection: string): Obj {
    return this.configs.get(connection) ?? {};
  }

  /**
   * PlanResourceChange: Terraform's proposed new state, with the provider's defaults where the configuration
   * leaves them null, the project it plans (tpgresource.DefaultProviderProject sets the provider's at plan time),
   * computed attributes left unset unknown on create, and the paths whose change replaces the object.
   */
  plan(connection: string, type: string, prior: unknown, proposed: unknown, config: unknown = proposed): Plan {
    const { block } = this.resourceSchema(type);
    if (proposed === null) return { planned: null, requiresReplace: [], legacyTypeSystem: false }; // destroy
    const decision = this.decision(type);
    const planned = withoutWriteOnly(block, normalizeBlock(block, proposed));
    if (!isObject(planned)) return { planned, requiresReplace: [], legacyTypeSystem: false };
    this.refuseMissingProject(connection, decision, "plan", planned);
    const legacyTypeSystem = applyDefaults(decision, block, normalizeBlock(block, config), planned);
    if (decision.missingProject?.at === "plan" && (planned.project === null || planned.project === undefined)) planned.project = this.projectOf(connection, planned) ?? null;
    // On update Terraform's proposal already carries the prior computed values (objchange.ProposedNew): keep them,
    // as a provider does when nothing it computes changes.
    const final = prior !== null ? planned : markComputedUnknown(block, planned);
    return { planned: final, requiresReplace: requiresReplace(decision, block, prior, final), legacyTypeSystem };
  }

  /** ApplyResourceChange: fills what the plan left unknown, stores the object, records the create. */
  async apply(connection: string, type: string, prior: unknown, planned: unknown): Promise<unknown> {
    const { block } = this.resourceSchema(type);
    if (planned === null) {
      if (isObject(prior) && typeof prior.id === "string") this.world.delete(type, prior.id);
      return null;
    }
    if (prior === null) this.refuseMissingProject(connection, this.decision(type), "apply", planned);
    const seed = `${type}\0${stableJson(planned)}`;
    const value = withoutWriteOnly(block, this.fill(connection, type, block, normalizeBlock(block, planned) as Obj, seed)) as Obj;
    const id = typeof value.id === "string" ? value.id : hash(seed).slice(0, 16);
    if (prior === null) {
      this.world.creates.push({ seq: this.world.creates.length, provider: this.name, type, id, label: labelOf(value) });
    } else if (isObject(prior) && typeof prior.id === "string" && prior.id !== id) {
      this.world.delete(type, prior.id);
    }
    this.world.put({ provider: this.name, type, id, value: structuredCloneValue(value) });
    return value;
  }

  /** ReadResource (refresh): the stored object as it is now, or null when it no longer exists. */
  read(type: string, current: unknown): unknown {
    const { block } = this.resourceSchema(type);
    if (!isObject(current) || typeof current.id !== "string") return current;
    const stored = this.world.get(type, current.id);
    return stored ? normalizeBlock(block, structuredCloneValue(stored.value)) : null;
  }

  /**
   * ImportResourceState: the id parsed with the importer's formats (refused as the importer refuses what it cannot
   * parse), then the one stored object whose attributes are those the id names (the provider's project when the id
   * leaves it out, as google's ParseImportId does), else the error Terraform gives for an import of nothing.
   */
  importState(connection: string, type: string, importId: string): unknown {
    const { block } = this.resourceSchema(type);
    const decision = this.decision(type);
    let fields: Record<string, string>;
    try {
      fields = parseImportId(decision, importId);
    } catch (error) {
      if (error instanceof ImportRefusal) throw new StandinError(error.message);
      throw error;
    }
    const match = Object.fromEntries(Object.entries(fields).filter(([k]) => k === "id" || k in (block.attributes ?? {})));
    if (this.name.startsWith("google") && "project" in (block.attributes ?? {}) && match.project === undefined) {
      const project = this.projectOf(connection, {});
      if (typeof project === "string") match.project = project;
    }
    const found = this.world.find(type, match);
    if (found.length > 1) throw new StandinError(`${this.name} stand-in: import id "${importId}" names ${found.length} objects (${JSON.stringify(match)})`);
    if (found.length === 0) {
      throw new StandinError(
        "Cannot import non-existent remote object",
        `While attempting to import an existing object to "${type}", the provider detected that no object exists with the given id "${importId}" (${this.name} stand-in: seed it first).`,
      );
    }
    return normalizeBlock(block, structuredCloneValue(found[0].value));
  }

  /**
   * ReadDataSource: the object the configuration names (the decision's identity attributes, the provider's project
   * when it names none) as the world holds it, created by a stack or seeded as existing before the deploy; an object
   * nobody made fails the read with the provider's message. What the object does not hold is filled as computed.
   */
  readDataSource(connection: string, type: string, config: unknown): unknown {
    const { block } = this.dataSourceSchema(type);
    const decision = this.decision(`data.${type}`);
    const value = normalizeBlock(block, config) as Obj;
    this.refuseMissingProject(connection, decision, "read", value);
    const identity: Record<string, unknown> = {};
    for (const attribute of decision.identity ?? []) {
      const own = value[attribute];
      identity[attribute] = own ?? (attribute === "project" || attribute === "project_id" ? this.projectOf(connection, {}) : null);
    }
    const [stored] = this.world.find(type, identity);
    if (!stored) {
      const message = (decision.missingObject ?? `${type} not found`).replace(/\{\{(\w+)\}\}/g, (_m, k: string) => String(identity[k] ?? ""));
      throw new StandinError(message);
    }
    for (const [k, v] of Object.entries(stored.value)) if (k in value && (value[k] === null || value[k] === undefined)) value[k] = structuredCloneValue(v);
    const normalized = normalizeBlock(block, value) as Obj;
    return this.fill(connection, type, block, markComputedUnknown(block, normalized), `data\0${type}\0${stableJson(config)}`);
  }

  private fill(connection: string, type: string, block: SchemaBlock, value: Obj, seed: string): Obj {
    const provider = this.config(connection);
    const ctx: FillContext = {
      type,
      provider: this.name,
      project: (typeof value.project === "string" ? value.project : (provider.project as string)) ?? "stand-in-project",
      region: (provider.region as string) ?? "us-east1",
      seed,
    };
    const filled = fillBlock(block, value, ctx, "") as Obj;
    // The id in the provider's own format (decisions' idFormat), which other resources' validators read through
    // references; the plausible one stays where the format names something still unknown.
    const format = value.id instanceof Unknown ? decisionOf(this.name, type)?.idFormat : undefined;
    if (format) {
      const vars: Obj = { region: ctx.region, ...filled, project: filled.project ?? ctx.project };
      const id = format.replace(/\{\{(\w+)(\|urlquery)?\}\}/g, (_m, k: string, escape?: string) => {
        const v = vars[k];
        if (typeof v !== "string" || v === "") return "\0";
        return escape ? encodeURIComponent(v).replace(/%20/g, "+") : v;
      });
      if (!id.includes("\0")) filled.id = id;
    }
    return filled;
  }
}

// ---- plan: computed and unset -> unknown ---------------------------------------------------------------------

/**
 * Write-only attributes are null in every plan and state a provider returns: Terraform 1.11 refuses anything else
 * (internal/lang/ephemeral, ValidateWriteOnlyAttributes, "Provider produced invalid object"), and a real provider
 * never stores them (terraform-plugin-sdk v2 nulls them, helper/schema/write_only.go). Top-level attributes: the
 * only write-only attributes of the types used (LOST_FACTS) are.
 */
function withoutWriteOnly(block: SchemaBlock, value: unknown): unknown {
  if (!isObject(value)) return value;
  const out: Obj = { ...value };
  for (const [name, attr] of Object.entries(block.attributes ?? {})) if (attr.write_only && name in out) out[name] = null;
  return out;
}

function markComputedUnknown(block: SchemaBlock, value: Obj): Obj {
  const out: Obj = { ...value };
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    const v = out[name];
    if (attr.computed && (v === null || v === undefined)) out[name] = new Unknown();
    else if (attr.nested_type && v !== null && !(v instanceof Unknown)) out[name] = mapNested(attr.nested_type, v, (b, e) => markComputedUnknown(b, e));
  }
  for (const [name, bt] of Object.entries(block.block_types ?? {})) {
    out[name] = mapBlockElements(bt.nesting_mode, out[name], (e) => markComputedUnknown(bt.block, e));
  }
  return out;
}

function mapBlockElements(mode: string, value: unknown, f: (element: Obj) => Obj): unknown {
  if (value === null || value === undefined || value instanceof Unknown) return value;
  if (mode === "single" || mode === "group") return isObject(value) ? f(value) : value;
  if (mode === "map") return isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, e]) => [k, isObject(e) ? f(e) : e])) : value;
  return Array.isArray(value) ? value.map((e) => (isObject(e) ? f(e) : e)) : value;
}

function mapNested(nt: NestedType, value: unknown, f: (block: SchemaBlock, element: Obj) => Obj): unknown {
  return mapBlockElements(nt.nesting_mode, value, (e) => f({ attributes: nt.attributes }, e));
}

// ---- apply: unknown -> a plausible, deterministic value -------------------------------------------------------

interface FillContext {
  readonly type: string;
  readonly provider: string;
  readonly project: string;
  readonly region: string;
  readonly seed: string;
}

/** Attributes filled last, because their plausible value is built from the others (email, then name, then id). */
const FILL_LAST = ["email", "member", "name", "self_link", "id"];

function fillBlock(block: SchemaBlock, value: Obj, ctx: FillContext, path: string): Obj {
  const out: Obj = { ...value };
  const names = Object.keys(block.attributes ?? {}).sort((a, b) => FILL_LAST.indexOf(a) - FILL_LAST.indexOf(b));
  for (const name of names) {
    const attr = block.attributes![name];
    const v = out[name];
    if (v instanceof Unknown) out[name] = fillAttribute(attr, name, out, ctx, `${path}.${name}`);
    else if (attr.nested_type && v !== null) out[name] = mapNested(attr.nested_type, v, (b, e) => fillBlock(b, e, ctx, `${path}.${name}`));
    else if (attr.type) out[name] = fillInside(attr.type, v, name, out, ctx, `${path}.${name}`);
  }
  for (const [name, bt] of Object.entries(block.block_types ?? {})) {
    out[name] = mapBlockElements(bt.nesting_mode, out[name], (e) => fillBlock(bt.block, e, ctx, `${path}.${name}`));
  }
  return out;
}

function fillAttribute(attr: SchemaAttribute, name: string, sibling: Obj, ctx: FillContext, path: string): unknown {
  if (attr.nested_type) {
    const inner = { attributes: attr.nested_type.attributes };
    if (attr.nested_type.nesting_mode === "single") {
      const empty = normalizeBlock(inner, {}) as Obj;
      return fillBlock(inner, markComputedUnknown(inner, empty), ctx, path);
    }
    return attr.nested_type.nesting_mode === "map" ? {} : [];
  }
  return fillType(attr.type ?? "dynamic", name, sibling, ctx, path);
}

/** Unknowns inside a known collection (rare: only what a provider itself left unknown). */
function fillInside(type: CtyType, value: unknown, name: string, sibling: Obj, ctx: FillContext, path: string): unknown {
  if (value instanceof Unknown) return fillType(type, name, sibling, ctx, path);
  if (!Array.isArray(type) || value === null) return value;
  const [kind, inner] = type as [string, any];
  if ((kind === "list" || kind === "set") && Array.isArray(value)) return value.map((e, i) => fillInside(inner, e, name, sibling, ctx, `${path}[${i}]`));
  if (kind === "map" && isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, e]) => [k, fillInside(inner, e, name, sibling, ctx, `${path}[${k}]`)]));
  if (kind === "object" && isObject(value)) {
    return Object.fromEntries(Object.entries(inner as Record<string, CtyType>).map(([k, t]) => [k, fillInside(t, value[k] ?? null, k, value, ctx, `${path}.${k}`)]));
  }
  return value;
}

function fillType(type: CtyType, name: string, sibling: Obj, ctx: FillContext, path: string): unknown {
  if (type === "string") return plausibleString(name, sibling, ctx, path);
  if (type === "number") return plausibleNumber(name, ctx);
  if (type === "bool") return false;
  if (type === "dynamic") return [Buffer.from(JSON.stringify("string")), plausibleString(name, sibling, ctx, path)];
  const [kind, inner] = type as [string, any];
  if (kind === "list" || kind === "set" || kind === "tuple") return kind === "tuple" ? (inner as CtyType[]).map((t, i) => fillType(t, name, sibling, ctx, `${path}[${i}]`)) : [];
  if (kind === "map") return {};
  if (kind === "object") {
    const out: Obj = {};
    for (const [k, t] of Object.entries(inner as Record<string, CtyType>)) out[k] = fillType(t, k, out, ctx, `${path}.${k}`);
    return out;
  }
  return null;
}

function plausibleString(name: string, o: Obj, ctx: FillContext, path: string): string {
  const h = hash(`${ctx.seed}\0${path}`);
  const google = ctx.provider.startsWith("google");
  const str = (k: string): string | undefined => (typeof o[k] === "string" ? (o[k] as string) : undefined);
  const ip = `10.${parseInt(h.slice(0, 2), 16) % 200}.${parseInt(h.slice(2, 4), 16)}.${(parseInt(h.slice(4, 6), 16) % 250) + 2}`;
  switch (name) {
    case "project":
      return ctx.project;
    case "region":
    case "location":
      return ctx.region;
    case "email":
      if (ctx.type === "google_service_account" && str("account_id")) return `${str("account_id")}@${ctx.project}.iam.gserviceaccount.com`;
      if (ctx.type === "google_project_service_identity") {
        return `service-${STANDIN_PROJECT_NUMBER}@gcp-sa-${(str("service") ?? "unknown").split(".")[0]}.iam.gserviceaccount.com`;
      }
      return `sa-${h.slice(0, 8)}@${ctx.project}.iam.gserviceaccount.com`;
    case "member":
      return `serviceAccount:${str("email") ?? `sa-${h.slice(0, 8)}@${ctx.project}.iam.gserviceaccount.com`}`;
    case "connection_name":
      return `${ctx.project}:${ctx.region}:${str("name") ?? h.slice(0, 8)}`;
    case "number":
      return STANDIN_PROJECT_NUMBER;
    case "etag":
    case "fingerprint":
    case "label_fingerprint":
      return h.slice(0, 16);
  }
  // GKE's DNS-based control-plane endpoint is a name (gke-<hash>.<location>.gke.goog); external global addresses
  // are public (TEST-NET-3 here, RFC 5737); everything else gets a private address.
  if (name === "endpoint" && path.includes("dns_endpoint_config")) return `gke-${h.slice(0, 32)}.${ctx.region}.gke.goog`;
  if (name === "address" && ctx.type === "google_compute_global_address" && o.address_type !== "INTERNAL") return `203.0.113.${(parseInt(h.slice(0, 2), 16) % 250) + 2}`;
  if (/(^|_)(address|ip_address|host|endpoint|private_ip_address|public_ip_address|ip)$/.test(name)) return ip;
  if (/(_time|timestamp|_at|_on)$/.test(name) || name === "creation_timestamp") return "2026-01-01T00:00:00Z";
  const short = ctx.type.replace(/^(google|cloudflare|time)_/, "");
  const base = str("name") ?? str("account_id") ?? str("service") ?? `${short}-${h.slice(0, 8)}`;
  if (name === "name") return google && ctx.type === "google_service_account" && str("email") ? `projects/${ctx.project}/serviceAccounts/${str("email")}` : `${short}-${h.slice(0, 8)}`;
  if (name === "self_link") return `https://www.googleapis.com/stand-in/v1/projects/${ctx.project}/${short}/${base}`;
  if (name === "id") {
    if (ctx.provider === "cloudflare") return h.slice(0, 32);
    // time's ids are RFC 3339 timestamps: a distinct second of 2026 for each object.
    if (ctx.provider === "time") return new Date(Date.UTC(2026, 0, 1) + (parseInt(h.slice(0, 8), 16) % 31_536_000) * 1000).toISOString().replace(".000Z", "Z");
    if (ctx.type === "google_service_account" && str("email")) return `projects/${ctx.project}/serviceAccounts/${str("email")}`;
    // The hash keeps two objects of one name apart (keys of one name in two rings); the same config, the same id.
    return google ? `projects/${ctx.project}/${short}/${base}-${h.slice(0, 6)}` : `${short}-${h.slice(0, 16)}`;
  }
  return `${name}-${h.slice(0, 8)}`;
}

function plausibleNumber(name: string, ctx: FillContext): number {
  if (name === "port") return ctx.type === "google_redis_instance" ? 6379 : 443;
  return 0;
}

// ---- helpers ----------------------------------------------------------------------------------------------------

export function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** JSON with sorted keys, unknowns as "?" and bytes as hex: a stable seed for deterministic values. */
export function stableJson(value: unknown): string {
  if (value instanceof Unknown) return '"?"';
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString("hex"));
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`).join(",")}}`;
  return JSON.stringify(value ?? null);
}

function labelOf(value: Obj): string {
  for (const k of ["name", "account_id", "service", "role", "member", "create_duration"]) if (typeof value[k] === "string") return value[k] as string;
  return "";
}

function structuredCloneValue<T>(value: T): T {
  if (value instanceof Unknown || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(structuredCloneValue) as T;
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structuredCloneValue(v)])) as T;
  return value;
}
