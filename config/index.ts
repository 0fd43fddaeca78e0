/**
 * Loads and validates the environments. The only entry to configuration: stacks never see unchecked data.
 */
import type { ZodIssue } from "zod";
import { ENVIRONMENTS } from "./environments";
import { ENV_NAMES, environmentSchema, type EnvName, type EnvironmentConfig } from "./schema";

export * from "./schema";
export { placeholder, placeholderFields } from "./placeholders";

/** A configuration that cannot be deployed; the message lists every problem found. */
export class ConfigError extends Error {
  constructor(readonly environment: string, readonly problems: readonly string[]) {
    super(`Invalid configuration for environment "${environment}":\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function valueAt(input: unknown, path: ReadonlyArray<string | number>): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function describe(issue: ZodIssue, input: unknown): string {
  const field = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
  const value = valueAt(input, issue.path);
  const got = value === undefined ? "missing" : JSON.stringify(value);
  return `${field} = ${got}: ${issue.message}`;
}

/** Validates one environment's raw configuration; throws a ConfigError naming every bad field. */
export function parseEnvironment(name: string, input: unknown): EnvironmentConfig {
  const result = environmentSchema.safeParse(input);
  if (!result.success) throw new ConfigError(name, result.error.issues.map((i) => describe(i, input)));
  if (result.data.name !== name) {
    throw new ConfigError(name, [`name = ${JSON.stringify(result.data.name)}: must equal the environment's key "${name}"`]);
  }
  return result.data;
}

/**
 * Validates a set of environments together: each on its own, then what must hold across them
 * (S3 bucket names are global, so no two environments may claim the same bucket).
 */
export function parseEnvironments(inputs: Record<string, unknown>): Record<EnvName, EnvironmentConfig> {
  const unknown = Object.keys(inputs).filter((k) => !(ENV_NAMES as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new ConfigError(unknown[0], [`(environment name): must be one of ${ENV_NAMES.join(", ")}`]);
  }
  const parsed = {} as Record<EnvName, EnvironmentConfig>;
  for (const name of ENV_NAMES) {
    if (!(name in inputs)) throw new ConfigError(name, ["(environment) = missing: every environment must be configured"]);
    parsed[name] = parseEnvironment(name, inputs[name]);
  }
  const owners = new Map<string, EnvName>();
  for (const name of ENV_NAMES) {
    for (const bucket of bucketsOf(parsed[name])) {
      const owner = owners.get(bucket);
      if (owner && owner !== name) {
        throw new ConfigError(name, [`bucket name "${bucket}" is also used by environment "${owner}": S3 bucket names are global, give each environment its own`]);
      }
      owners.set(bucket, name);
    }
  }
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
