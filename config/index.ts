/**
 * Loads and validates the environments. The only entry to configuration: stacks never see unchecked data.
 *
 * Three passes, every problem reported at once: the raw input made plain data (raw-input.ts: cycles, getters,
 * huge or look-alike strings), the schema (schema.ts: types and values), then the guardrails on the typed result
 * (guardrails.ts: sets of ranges, production invariants, values the clouds refuse) and across environments.
 * Whatever the input, the outcome is a parsed environment or a ConfigError.
 */
import { z, type ZodIssue, type ZodTypeAny } from "zod";
import { ENVIRONMENTS } from "./environments";
import { redactSecrets } from "./redact";
import { formatPath, formatValue } from "./format";
import { checkAcrossEnvironments, checkEnvironment } from "./guardrails";
import { toPlainData } from "./raw-input";
import { ENV_NAMES, environmentSchema, type EnvName, type EnvironmentConfig } from "./schema";

export * from "./schema";
export { placeholder, placeholderFields } from "./placeholders";

/**
 * A configuration that cannot be deployed; the message lists every problem found, with values that look secret
 * redacted (config/redact.ts). `others` are the other environments' errors found in the same load, so that one
 * environment's problem never hides another's.
 */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(readonly environment: string, problems: readonly string[], readonly others: readonly ConfigError[] = []) {
    const redacted = problems.map(redactSecrets);
    super(
      [`Invalid configuration for environment "${formatName(environment)}":\n${redacted.map((p) => `  - ${p}`).join("\n")}`, ...others.map((o) => o.message)].join("\n"),
    );
    this.problems = redacted;
    this.name = "ConfigError";
  }
}

const formatName = (name: string) => (name.length > 40 ? `${name.slice(0, 40)}…` : name).replace(/[^\x20-\x7e]/g, "?");

/** The value at a path, read through property descriptors: a getter or a Proxy never runs user code here. */
function valueAt(input: unknown, path: ReadonlyArray<string | number>): unknown {
  let current: unknown = input;
  try {
    for (const key of path) {
      if (current === null || typeof current !== "object") return undefined;
      const descriptor = Object.getOwnPropertyDescriptor(current, String(key));
      if (!descriptor || !("value" in descriptor)) return undefined;
      current = descriptor.value;
    }
  } catch {
    return undefined;
  }
  return current;
}

/** The object schema at a path, for listing the fields allowed where an unknown one was written. */
function objectSchemaAt(schema: ZodTypeAny, path: ReadonlyArray<string | number>, data: unknown): z.AnyZodObject | undefined {
  let current: ZodTypeAny | undefined = schema;
  let value = data;
  const unwrap = (s: ZodTypeAny): ZodTypeAny => {
    if (s instanceof z.ZodEffects) return unwrap(s.innerType());
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault) return unwrap(s._def.innerType);
    if (s instanceof z.ZodDiscriminatedUnion) {
      const tag = (value as Record<string, unknown> | null)?.[s.discriminator];
      return s.optionsMap.get(tag as never) ?? s;
    }
    return s;
  };
  for (const key of path) {
    current = unwrap(current);
    if (current instanceof z.ZodObject) current = current.shape[key];
    else if (current instanceof z.ZodArray) current = current.element;
    else return undefined;
    value = valueAt(value, [key]);
    if (!current) return undefined;
  }
  current = unwrap(current);
  return current instanceof z.ZodObject ? current : undefined;
}

function describe(issue: ZodIssue, data: unknown, input: unknown): string[] {
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    const allowed = Object.keys(objectSchemaAt(environmentSchema, issue.path, data)?.shape ?? {});
    return issue.keys.map(
      (key) =>
        `${formatPath([...issue.path, key])} = ${formatValue(valueAt(input, [...issue.path, key]))}: is not a field here (Unrecognized key(s) in object: '${key}')` +
        (allowed.length > 0 ? `; allowed: ${allowed.join(", ")}` : ""),
    );
  }
  return [`${formatPath(issue.path)} = ${formatValue(valueAt(data, issue.path))}: ${issue.message}`];
}

const startsWith = (path: ReadonlyArray<string | number>, prefix: ReadonlyArray<string | number>) =>
  prefix.length <= path.length && prefix.every((k, i) => String(k) === String(path[i]));

/** Validates one environment's raw configuration; throws a ConfigError naming every bad field. */
export function parseEnvironment(name: string, input: unknown): EnvironmentConfig {
  const { data, messages } = checkEnvironmentInput(name, input);
  if (messages.length > 0 || !data) throw new ConfigError(name, messages);
  return data;
}

/** The typed environment (when the schema accepted it, even if a later check did not) and every problem. */
function checkEnvironmentInput(name: string, input: unknown): { data?: EnvironmentConfig; plain?: unknown; messages: string[] } {
  try {
    const { data, problems: raw } = toPlainData(input);
    const messages = raw.map((p) => `${formatPath(p.path)} = ${p.shown}: ${p.message}`);
    const result = environmentSchema.safeParse(data);
    if (!result.success) {
      // A field the first pass already refused is not reported twice.
      const issues = result.error.issues.filter((i) => !raw.some((p) => startsWith(i.path, p.path)));
      messages.push(...issues.flatMap((i) => describe(i, data, input)));
    }
    if (!result.success) return { plain: data, messages };
    if (result.data.name !== name) {
      messages.push(`name = ${formatValue(result.data.name)}: must equal the environment's key "${formatName(name)}"`);
    }
    // The typed checks run whenever the schema passed, so a look-alike string does not hide a world-open range.
    const problems = checkEnvironment(result.data).filter((p) => !raw.some((r) => startsWith(p.path, r.path)));
    messages.push(...problems.map((p) => `${formatPath(p.path)} = ${formatValue(valueAt(result.data, p.path))}: ${p.message}`));
    return { data: result.data, messages };
  } catch (error) {
    // A check that fails on input nobody foresaw is still an answer about the configuration, not a crash.
    return { messages: [`(top level) = ${formatValue(input)}: could not be checked (${formatValue(error instanceof Error ? error.message : error)}); fix the input or report the loader bug`] };
  }
}

/**
 * Validates a set of environments together: each on its own, then what must hold across them
 * (globally unique names, per-account IAM names, state keys, public names: guardrails.ts).
 */
export function parseEnvironments(inputs: Record<string, unknown>): Record<EnvName, EnvironmentConfig> {
  const unknown = Object.keys(inputs).filter((k) => !(ENV_NAMES as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new ConfigError(unknown[0], [`(environment name): must be one of ${ENV_NAMES.join(", ")}`]);
  }
  const parsed = {} as Record<EnvName, EnvironmentConfig>;
  const messages = {} as Record<EnvName, string[]>;
  // What the cross-environment checks read: the typed environment, or, where the schema refused it, its plain
  // data (best effort: a check that cannot read a value skips it).
  const compared = {} as Record<EnvName, EnvironmentConfig>;
  for (const name of ENV_NAMES) {
    if (!(name in inputs)) throw new ConfigError(name, ["(environment) = missing: every environment must be configured"]);
    const checked = checkEnvironmentInput(name, inputs[name]);
    messages[name] = checked.messages;
    if (checked.data) parsed[name] = compared[name] = checked.data;
    else if (checked.plain !== null && typeof checked.plain === "object" && (checked.plain as { name?: unknown }).name === name) {
      compared[name] = checked.plain as EnvironmentConfig;
    }
  }
  // Across every environment, even one a check refused: a per-environment problem must not hide a collision
  // with another environment.
  const problems = checkAcrossEnvironments(ENV_NAMES.filter((n) => n in compared).map((n) => compared[n]));
  for (const p of problems) messages[p.environment].push(`${formatPath(p.path)} = ${formatValue(valueAt(compared[p.environment], p.path))}: ${p.message}`);
  const errors = ENV_NAMES.filter((n) => messages[n].length > 0).map((n) => new ConfigError(n, messages[n]));
  if (errors.length > 0) throw new ConfigError(errors[0]!.environment, errors[0]!.problems, errors.slice(1));
  return parsed;
}

/** Every bucket name an environment uses, including the state bucket. */
export function bucketsOf(env: EnvironmentConfig): string[] {
  const s = env.storage;
  return [
    s.packages.bucketName, s.packages.replicaBucketName, s.offsiteBackups.bucketName, s.dailyBackups.bucketName,
    s.accessLogs.bucketName, s.accessLogs.replicaBucketName, env.state.bucket,
  ];
}

/** The project's environments, validated. */
export function loadEnvironments(): Record<EnvName, EnvironmentConfig> {
  return parseEnvironments(ENVIRONMENTS);
}
