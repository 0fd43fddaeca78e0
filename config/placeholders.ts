/**
 * This repository's stand-in values: account ids, AMI ids, the Cloudflare zone id, Google project numbers and
 * notification channels that look real, pass every check and belong to no one. Marking them keeps synth, the
 * tests and the emulator working, while `plan` and `apply` against the real target refuse an environment that
 * still holds one, naming each field (stacks/placeholder-guard.ts, operator/ci/terraform.sh).
 *
 * ```ts
 * aws: { accountId: placeholder("855261479204"), region: "us-west-1", ... }
 * ```
 * Replacing the value with the real one (and dropping `placeholder(...)`) is all a deployment needs.
 */

/** Values marked since the last environment was registered (or marked outside any environment). */
let pending = new Set<string>();
/**
 * Per environment name, the fields that held a marked value when it was defined, and that value. A placeholder
 * is tracked where it was written, not by its value: the same string may be real in another environment (a
 * shared AWS account id), and must not be flagged there.
 */
const MARKED = new Map<string, Map<string, string>>();

/** Marks `value` as a stand-in that must be replaced before a real deployment. Returns it unchanged. */
export function placeholder<T extends string>(value: T): T {
  pending.add(value);
  return value;
}

function walk(config: unknown, prefix: readonly (string | number)[], visit: (path: string, value: string) => boolean): string[] {
  if (typeof config === "string") return visit(prefix.join("."), config) ? [prefix.join(".")] : [];
  if (Array.isArray(config)) return config.flatMap((item, i) => walk(item, [...prefix, i], visit));
  if (config !== null && typeof config === "object") {
    return Object.entries(config).flatMap(([key, value]) => walk(value, [...prefix, key], visit));
  }
  return [];
}

/**
 * Registers an environment's definition: the fields where it holds a value marked with `placeholder()` in its
 * own definition (config/environments.ts wraps each environment in it). Returns the input unchanged.
 */
export function environment<T extends { readonly name: string }>(input: T): T {
  const marks = pending;
  pending = new Set();
  const fields = new Map<string, string>();
  walk(input, [], (path, value) => marks.has(value) && (fields.set(path, value), true));
  MARKED.set(input.name, fields);
  return input;
}

/**
 * The dotted paths of every field of `config` that still holds the value marked with `placeholder()` there
 * (`aws.accountId`, `monitoring.notifications.gcpChannels.0`), in document order. Works on raw and on validated
 * configuration alike (validation keeps these strings as they are). For an object that is no registered
 * environment, any field holding a value marked outside an environment.
 */
export function placeholderFields(config: unknown): string[] {
  const name = config !== null && typeof config === "object" ? (config as { name?: unknown }).name : undefined;
  const fields = typeof name === "string" ? MARKED.get(name) : undefined;
  if (fields) return walk(config, [], (path, value) => fields.get(path) === value);
  return walk(config, [], (_path, value) => pending.has(value));
}
