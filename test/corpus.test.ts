/**
 * The bad-input corpus (test/corpus/bad-configs.ts): every malformed configuration is rejected, and the message
 * names the environment, the field and what is allowed.
 */
import { ConfigError, parseEnvironment, parseEnvironments } from "../config";
import { ENVIRONMENTS } from "../config/environments";
import { looksSecret } from "../config/redact";
import { buildApp } from "../stacks/app";
import { synthesizeAtomically } from "../stacks/synthesize";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { applyEdits, BAD_CONFIGS, GOOD_CONFIGS } from "./corpus/bad-configs";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

it("has at least 196 cases (39 from round one, 40 or more from issue 14, 24 from issue 23, 65 from issue 29) and 12 legitimate ones, each with its own id", () => {
  expect(BAD_CONFIGS.length).toBeGreaterThanOrEqual(196);
  expect(GOOD_CONFIGS.length).toBeGreaterThanOrEqual(12);
  const ids = [...BAD_CONFIGS, ...GOOD_CONFIGS].map((c) => c.id);
  expect(new Set(ids).size).toBe(ids.length);
});

it.each(BAD_CONFIGS.map((c) => [c.id, c] as const))("rejects %s, naming environment, field and what is allowed", (_id, c) => {
  let error: unknown;
  try {
    const edited = applyEdits(ENVIRONMENTS[c.env], c.edits);
    if (c.across) parseEnvironments({ ...ENVIRONMENTS, [c.env]: edited });
    else parseEnvironment(c.env, edited);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  // A collision is reported on both sides; the error names the first environment in load order and the other.
  if (c.across) expect(message).toMatch(new RegExp(`^Invalid configuration for environment "(pre|ops)"[\\s\\S]*environment "(pre|ops)"`));
  else expect(message).toMatch(new RegExp(`^Invalid configuration for environment "${c.env}"`));
  expect(message).toMatch(new RegExp(`\\n  - ${escape(c.field)} = `));
  if (c.alsoField) expect(message).toMatch(new RegExp(`\\n  - ${escape(c.alsoField)} = `));
  expect(message).toMatch(new RegExp(c.allowed));
  // No refusal repeats a secret, whatever the case pasted.
  if (c.secret) expect(message).not.toContain(c.secret);
  expect(looksSecret(message)).toBe(false);
  expect(message).not.toMatch(/skipValidation|\n\s+at /);
});

it.each(GOOD_CONFIGS.map((c) => [c.id, c] as const))("accepts %s (legitimate input)", (_id, c) => {
  const loaded = parseEnvironments({ ...ENVIRONMENTS, [c.env]: applyEdits(ENVIRONMENTS[c.env], c.edits) });
  c.check?.(loaded);
  if (c.synth) {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "corpus-good-")), "cdktf.out");
    try {
      synthesizeAtomically(outdir, (app) => buildApp(app, { environments: loaded, target: { kind: "aws", remoteState: false } }));
      expect(fs.readdirSync(path.join(outdir, "stacks"))).toHaveLength(8);
    } finally {
      fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
    }
  }
});

it("accepts the unedited environments (the corpus fails for its edits, not for its base)", () => {
  for (const env of ["pre", "ops"] as const) expect(() => parseEnvironment(env, applyEdits(ENVIRONMENTS[env], []))).not.toThrow();
});
