/**
 * The bad-input corpus (test/corpus/bad-configs.ts): every malformed configuration is rejected, and the message
 * names the environment, the field and what is allowed.
 */
import { ConfigError, parseEnvironment } from "../config";
import { ENVIRONMENTS } from "../config/environments";
import { applyEdits, BAD_CONFIGS } from "./corpus/bad-configs";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

it("has at least 25 cases, each with its own id", () => {
  expect(BAD_CONFIGS.length).toBeGreaterThanOrEqual(25);
  expect(new Set(BAD_CONFIGS.map((c) => c.id)).size).toBe(BAD_CONFIGS.length);
});

it.each(BAD_CONFIGS.map((c) => [c.id, c] as const))("rejects %s, naming environment, field and what is allowed", (_id, c) => {
  let error: unknown;
  try {
    parseEnvironment(c.env, applyEdits(ENVIRONMENTS[c.env], c.edits));
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  expect(message).toMatch(new RegExp(`^Invalid configuration for environment "${c.env}"`));
  expect(message).toMatch(new RegExp(`\\n  - ${escape(c.field)} = `));
  expect(message).toMatch(new RegExp(c.allowed));
});

it("accepts the unedited environments (the corpus fails for its edits, not for its base)", () => {
  for (const env of ["pre", "ops"] as const) expect(() => parseEnvironment(env, applyEdits(ENVIRONMENTS[env], []))).not.toThrow();
});
