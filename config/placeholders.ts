/**
 * This repository's stand-in values: account ids, AMI ids, the Cloudflare zone id, Google project numbers and
 * notification channels that look real, pass every check and belong to no one. Marking them keeps synth, the
 * tests and the emulator working, while `plan` and `apply` against the real target refuse an environment that
 * still holds one, naming each field (stacks/placeholder-guard.ts, scripts/ci/terraform.sh).
 *
 * ```ts
 * aws: { accountId: placeholder("855261479204"), region: "us-west-1", ... }
 * ```
 * Replacing the value with the real one (and dropping `placeholder(...)`) is all a deployment needs.
 */

const STAND_INS = new Set<string>();

/** Marks `value` as a stand-in that must be replaced before a real deployment. Returns it unchanged. */
export function placeholder<T extends string>(value: T): T {
  STAND_INS.add(value);
  return value;
}

/**
 * The dotted paths of every field of `config` that still holds a value marked with `placeholder()`
 * (`aws.accountId`, `monitoring.notifications.gcpChannels.0`), in document order. Works on raw and on
 * validated configuration alike: validation keeps these strings as they are.
 */
export function placeholderFields(config: unknown, prefix: readonly (string | number)[] = []): string[] {
  if (typeof config === "string") return STAND_INS.has(config) ? [prefix.join(".")] : [];
  if (Array.isArray(config)) return config.flatMap((item, i) => placeholderFields(item, [...prefix, i]));
  if (config !== null && typeof config === "object") {
    return Object.entries(config).flatMap(([key, value]) => placeholderFields(value, [...prefix, key]));
  }
  return [];
}
