/**
 * The shape of the providers' own decisions, recorded from each provider's source at the pinned tag (google and
 * google-beta v6.50.0, cloudflare v5.14.0, time v0.13.1; aws v5.100.0 for the calibration against the real binary).
 * The stand-in providers (emulator/standin/) answer from these tables: `requires_replace` in PlanResourceChange,
 * the provider's refusal in ValidateResourceConfig or PlanResourceChange, the defaults it plans, the import ids its
 * importers parse, and a failing read for a data source whose object does not exist.
 *
 * Every entry names where the provider decides it (`source`: "<path in the provider repo>:<line>" at the tag), so a
 * reviewer can check it against the provider, and a test fails on any type or attribute path the stacks set that has
 * no reviewed entry (completeness).
 */

/** "<type>.<attribute>[.<nested block or attribute>...]"; data sources "data.<type>..."; no indexes, blocks by name. */
export type AttributePath = string;

/** Where the provider decides: "<file>:<line>" in the provider's repository at the pinned tag. */
export type SourceRef = string;

/** Why changing the attribute replaces the object. */
export type Replacement =
  /** SDKv2 `ForceNew: true`, framework `RequiresReplace()` plan modifier: any change replaces. On an SDKv2 block
   *  (a TypeList/TypeSet of a Resource) ForceNew applies to the number of blocks only, as the SDK diffs it
   *  (terraform-plugin-sdk v2.37.0 helper/schema/schema.go diffList: `RequiresNew` on the "#" count); the block's
   *  own attributes replace only where they are ForceNew themselves. */
  | { readonly kind: "always" }
  /** A CustomizeDiff or conditional plan modifier (`RequiresReplaceIf`, `ForceNewIfChange`): `rule` names the
   *  condition, implemented once in the stand-ins' code (e.g. "decrease": only a smaller number replaces). */
  | { readonly kind: "conditional"; readonly rule: string };

/**
 * Fields every refusal may carry (all optional, so older entries stay valid):
 * - `exceptEmpty`: the provider wraps the validator so an empty string passes (google `verify.OrEmpty`);
 * - `message`: the provider's own message when it is not its SDK's standard one for the kind, with placeholders
 *   `{key}` (the SDK's key, e.g. "settings.0.tier"), `{value}`, `{min}`, `{max}`, `{values}`, `{regex}`.
 */
interface RefusalOptions {
  readonly exceptEmpty?: boolean;
  readonly message?: string;
}

/** What the provider refuses, as its validators and schema constraints say. */
export type Refusal =
  | ({ readonly kind: "enum"; readonly values: readonly string[]; readonly ignoreCase?: boolean } & RefusalOptions)
  /** `float`: the validator compares floating point numbers (SDKv2 FloatBetween, framework float64validator). */
  | ({ readonly kind: "range"; readonly min?: number; readonly max?: number; readonly float?: boolean } & RefusalOptions)
  | ({ readonly kind: "length"; readonly min?: number; readonly max?: number } & RefusalOptions)
  | ({ readonly kind: "pattern"; readonly regex: string } & RefusalOptions)
  | { readonly kind: "conflicts_with"; readonly paths: readonly AttributePath[] }
  | { readonly kind: "exactly_one_of"; readonly paths: readonly AttributePath[] }
  | { readonly kind: "at_least_one_of"; readonly paths: readonly AttributePath[] }
  | { readonly kind: "required_with"; readonly paths: readonly AttributePath[] }
  /** Anything else the provider checks in code (a named rule implemented in the stand-ins; `params` are its
   *  arguments, e.g. the bounds of `validation.IsCIDRNetwork(28, 28)`). */
  | ({ readonly kind: "rule"; readonly rule: string; readonly message: string; readonly params?: readonly (string | number)[] } & Omit<RefusalOptions, "message">);

/** One reviewed attribute path of one type. */
export interface AttributeDecision {
  readonly path: AttributePath;
  readonly source: SourceRef;
  /** Absent: the provider updates it in place (reviewed: no ForceNew / RequiresReplace at the tag). */
  readonly replace?: Replacement;
  readonly refuse?: readonly Refusal[];
  /** The value the provider plans when the configuration leaves the attribute unset (SDKv2 `Default`, framework
   *  `Default`), when it has one. */
  readonly default?: string | number | boolean;
  /** Free text for what a reviewer should know (e.g. "computed; server fills it"). */
  readonly note?: string;
  // What the provider's schema says and the prebuilt bindings lose (emulator/standin/schema.ts applies these):
  /** SDKv2 `Sensitive: true`, framework `Sensitive: true` (attributes only; the SDK drops it on blocks). */
  readonly sensitive?: true;
  /** `WriteOnly: true` (Terraform 1.11 write-only arguments). */
  readonly writeOnly?: true;
  /** `MaxItems` / `MinItems` of a block, when other than the bindings' 0 or 1. */
  readonly maxItems?: number;
  readonly minItems?: number;
}

/** How one import id format of an importer reads: a regular expression with named groups, as the provider's
 *  importer matches it (google `tpgresource.ParseImportId` uses Go's unanchored FindStringSubmatch, so only the
 *  formats that anchor themselves are anchored). The groups name attributes of the object. */
export type ImportIdFormat = string;

/** One reviewed type: its attribute paths, how its importer parses ids, what its reads need. */
export interface TypeDecision {
  /** "google_sql_database_instance", or "data.google_project"; "provider" for the provider's own configuration. */
  readonly type: string;
  readonly provider: "google" | "google-beta" | "cloudflare" | "time" | "random" | "aws";
  /** The resource's (or data source's) source file at the tag. */
  readonly source: SourceRef;
  /** Which SDK the type is written on, for the wording of refusals: google's types here are SDKv2, cloudflare's
   *  and time's are terraform-plugin-framework. Absent: the provider's usual one (google, aws: sdkv2). */
  readonly sdk?: "sdkv2" | "framework";
  /** Import id formats the importer parses, as the provider writes them ("projects/{{project}}/..."), in order. */
  readonly importIds?: readonly string[];
  /** The same formats as the stand-ins match them: regular expressions with named groups, in the importer's order;
   *  an id none matches is refused with `importRefusal`. */
  readonly importFormats?: readonly ImportIdFormat[];
  /** The importer's message for an id it cannot parse; `{id}` is the id given. */
  readonly importRefusal?: string;
  /** The id the provider stores for a created object, as its create sets it (`d.SetId`), in `{{attribute}}` form;
   *  `{{attribute|urlquery}}` is the attribute URL-query-escaped. Other resources' validators read these ids
   *  through references (a SQL instance's private_network is a network's id), so the stand-ins use them. */
  readonly idFormat?: string;
  /** The type needs a project: from the configuration or the provider's `project`, else the provider refuses. */
  readonly needsProject?: boolean;
  /** When the provider refuses a missing project: in the plan (a CustomizeDiff such as
   *  `tpgresource.DefaultProviderProject`), at apply (the create reads `tpgresource.GetProject`), or when a data
   *  source reads; with its message and where it says it. */
  readonly missingProject?: { readonly at: "plan" | "apply" | "read"; readonly message: string; readonly source: SourceRef };
  /** A data source whose object does not exist fails (how the provider says it); `{{attr}}` placeholders name the
   *  attributes it read the object by. */
  readonly missingObject?: string;
  /** The attributes that name the object a data source reads (or an import finds), in the provider's terms; a
   *  missing `project` means the provider's. */
  readonly identity?: readonly string[];
  /** The schema version (SDKv2 `SchemaVersion`, framework `Version`) when other than 0: the bindings lose it. */
  readonly schemaVersion?: number;
  /** Rules the provider applies to the whole object (CustomizeDiff, ModifyPlan) that the stand-ins do not model,
   *  each with where it is and why it cannot change what the stacks set. */
  readonly notModelled?: readonly string[];
  readonly attributes: readonly AttributeDecision[];
}
