/**
 * The reviewed decision tables of the stand-in providers, by provider and type. The stand-ins (emulator/standin/)
 * answer from them, schema.ts takes from them what the bindings lose, and test/standin/decisions.test.ts fails on
 * any type or attribute path the stacks set that has no entry here.
 *
 * google-beta serves only what the stacks take from it (google_project_service_identity and its provider block);
 * its other types' files are google's at the tag (google.ts says which differ), so google-beta's schema facts are
 * google's plus its own.
 */
import { CLOUDFLARE_DECISIONS } from "./cloudflare";
import { GOOGLE_DECISIONS } from "./google";
import { TIME_DECISIONS } from "./time";
import type { TypeDecision } from "./types";

export type StandinProviderName = "google" | "google-beta" | "cloudflare" | "time";

export const STANDIN_DECISIONS: readonly TypeDecision[] = [...GOOGLE_DECISIONS, ...CLOUDFLARE_DECISIONS, ...TIME_DECISIONS];

/** The reviewed entry of `type` ("google_sql_user", "data.google_project", "provider") as `provider` decides it. */
export function decisionOf(provider: string, type: string): TypeDecision | undefined {
  return STANDIN_DECISIONS.find((d) => d.provider === provider && d.type === type);
}

/** Every entry whose schema facts apply to the bindings of `provider` (google-beta: google's as well). */
export function schemaFactSources(provider: StandinProviderName): readonly TypeDecision[] {
  const own = STANDIN_DECISIONS.filter((d) => d.provider === provider);
  if (provider !== "google-beta") return own;
  const beta = new Set(own.map((d) => d.type));
  return [...own, ...STANDIN_DECISIONS.filter((d) => d.provider === "google" && !beta.has(d.type))];
}
