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
  /** SDKv2 `ForceNew: true`, framework `RequiresReplace()` plan modifier: any change replaces. */
  | { readonly kind: "always" }
  /** A CustomizeDiff or conditional plan modifier (`RequiresReplaceIf`, `ForceNewIfChange`): `rule` names the
   *  condition, implemented once in the stand-ins' code (e.g. "decrease": only a smaller number replaces). */
  | { readonly kind: "conditional"; readonly rule: string };

/** What the provider refuses, as its validators and schema constraints say. */
export type Refusal =
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "range"; readonly min?: number; readonly max?: number }
  | { readonly kind: "length"; readonly min?: number; readonly max?: number }
  | { readonly kind: "pattern"; readonly regex: string; readonly message?: string }
  | { readonly kind: "conflicts_with"; readonly paths: readonly AttributePath[] }
  | { readonly kind: "exactly_one_of"; readonly paths: readonly AttributePath[] }
  | { readonly kind: "at_least_one_of"; readonly paths: readonly AttributePath[] }
  | { readonly kind: "required_with"; readonly paths: readonly AttributePath[] }
  /** Anything else the provider checks in code (a named rule implemented in the stand-ins). */
  | { readonly kind: "rule"; readonly rule: string; readonly message: string };

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
}

/** One reviewed type: its attribute paths, how its importer parses ids, what its reads need. */
export interface TypeDecision {
  /** "google_sql_database_instance", or "data.google_project". */
  readonly type: string;
  readonly provider: "google" | "google-beta" | "cloudflare" | "time" | "random" | "aws";
  /** The resource's (or data source's) source file at the tag. */
  readonly source: SourceRef;
  /** Import id formats the importer parses, as the provider writes them ("projects/{{project}}/..."), in order. */
  readonly importIds?: readonly string[];
  /** The type needs a project: from the configuration or the provider's `project`, else the provider refuses. */
  readonly needsProject?: boolean;
  /** A data source whose object does not exist fails (how the provider says it). */
  readonly missingObject?: string;
  readonly attributes: readonly AttributeDecision[];
}
