/**
 * Configuration edits for `fails if …` tests: a deep copy of an environment with one change, and the loader's
 * message when it refuses it.
 */
import { ConfigError, parseEnvironment, type EnvironmentInput } from "../../config";
import { ENVIRONMENTS } from "../../config/environments";

/** A deep copy of an environment with one change applied. */
export function variant(name: "pre" | "ops", change: (env: any) => void): EnvironmentInput {
  const copy = structuredClone(ENVIRONMENTS[name]) as any;
  change(copy);
  return copy;
}

/** The loader's message for the changed environment; fails the test if the loader accepts it. */
export function rejection(name: "pre" | "ops", change: (env: any) => void): string {
  try {
    parseEnvironment(name, variant(name, change));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("the configuration was accepted");
}
