/**
 * Property: whatever value lands in whatever field, loading ends in a parsed environment or a clean ConfigError
 * (never another exception), the error names the environment and a field with a bounded, readable value, and a
 * refused configuration writes no output. Deterministic: a seeded generator, a bounded number of cases.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError, ENV_NAMES, parseEnvironments, type EnvName } from "../config";
import { ENVIRONMENTS } from "../config/environments";
import { buildApp } from "../stacks/app";
import { synthesizeAtomically } from "../stacks/synthesize";

/** mulberry32: a small seeded PRNG, so a failure reproduces from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DELETE = Symbol("delete the field");

/** Junk, as factories (a fresh object each time: some are mutated or cyclic). */
const JUNK: ReadonlyArray<() => unknown> = [
  () => DELETE, () => null, () => NaN, () => Infinity, () => -Infinity, () => -0, () => 1e308, () => -1, () => 0.5, () => 2 ** 53 + 1,
  () => 10n, () => () => "x", () => Symbol("junk"), () => "", () => " ", () => "x".repeat(100_000), () => "gitl\u0430b.com",
  () => "a\u200bb", () => "\u0000", () => "0.0.0.0/0", () => "::/0", () => true, () => false, () => [], () => ({}),
  () => { const o: any = { a: 1 }; o.self = o; return o; },
  () => Object.create(null), () => new Date(NaN), () => new Map([["k", "v"]]), () => /re/,
  () => Object.defineProperty({}, "x", { enumerable: true, get: () => { throw new Error("getter"); } }),
  () => [null, undefined, NaN], () => ({ toString: () => { throw new Error("toString"); } }),
  () => new Proxy({}, { ownKeys: () => { throw new Error("proxy"); } }),
  () => JSON.parse('{"__proto__": {"polluted": true}}'), () => Array(300).fill("10.0.0.0/8"),
  () => { let deep: any = "leaf"; for (let i = 0; i < 50; i++) deep = { deep }; return deep; },
];

/** Every path in a configuration tree, intermediate objects and lists included. */
function paths(node: unknown, prefix: string[] = []): string[][] {
  if (node === null || typeof node !== "object") return [prefix];
  const children = Object.entries(node).flatMap(([k, v]) => paths(v, [...prefix, k]));
  return prefix.length > 0 ? [prefix, ...children] : children;
}

function withJunk(env: EnvName, at: string[], junk: unknown): Record<EnvName, unknown> {
  const copy = structuredClone(ENVIRONMENTS[env]) as any;
  let target = copy;
  for (const key of at.slice(0, -1)) target = target[key];
  if (junk === DELETE) delete target[at[at.length - 1]];
  else target[at[at.length - 1]] = junk;
  return { ...ENVIRONMENTS, [env]: copy };
}

const SEED = 14;
const PER_FIELD = 3;

describe(`random junk in every field (seed ${SEED}, ${PER_FIELD} values per field and environment)`, () => {
  const random = prng(SEED);
  const cases = ENV_NAMES.flatMap((env) =>
    paths(ENVIRONMENTS[env]).flatMap((at) => Array.from({ length: PER_FIELD }, () => ({ env, at, junk: Math.floor(random() * JUNK.length) }))),
  );
  type Case = (typeof cases)[number];
  /**
   * Loads every case once and sorts them into accepted, refused and failures. Each test calls it (memoized), so
   * each test checks what its title says even when run alone (`-t`), not what an earlier test happened to fill.
   */
  let loaded: { accepted: Case[]; refused: Case[]; failures: string[] } | undefined;
  const load = () => {
    if (loaded) return loaded;
    const accepted: Case[] = [];
    const refused: Case[] = [];
    const failures: string[] = [];
    for (const c of cases) {
      const label = `${c.env} ${c.at.join(".")} <- junk #${c.junk}`;
      try {
        parseEnvironments(withJunk(c.env, c.at, JUNK[c.junk]()));
        accepted.push(c);
      } catch (error) {
        if (!(error instanceof ConfigError)) {
          failures.push(`${label}: ${String(error)}`);
          continue;
        }
        refused.push(c);
        const lines = error.message.split("\n");
        if (!/^Invalid configuration for environment "(pre|ops)":$/.test(lines[0])) failures.push(`${label}: header ${lines[0]}`);
        // Each problem: a field, a value no longer than the printer's bound (plus quotes and a length note), a reason.
        for (const line of lines.slice(1)) {
          if (!/^ {2}- \S+( = .{0,260})?: \S/.test(line)) failures.push(`${label}: unreadable line ${line.slice(0, 300)}`);
        }
        if (error.message.length > 20_000) failures.push(`${label}: message of ${error.message.length} characters`);
        if (/skip|--no-validate|disable validation/i.test(error.message)) failures.push(`${label}: tells the operator to skip validation`);
      }
    }
    loaded = { accepted, refused, failures };
    return loaded;
  };

  it(`ends every one of ${cases.length} loads in a parsed environment or a clean ConfigError`, () => {
    const { accepted, failures } = load();
    expect(failures).toEqual([]);
    // Most junk is refused; what is accepted is a legitimate value for its field (an optional field removed, a flag flipped).
    expect(accepted.length).toBeLessThan(cases.length / 10);
  });

  it("synthesizes the accepted ones without a crash, or refuses them as configuration", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-fuzz-"));
    try {
      const some = load().accepted.slice(0, 3);
      expect(some).toHaveLength(3); // an empty list would make this test check nothing
      for (const c of some) {
        const outdir = path.join(dir, `out-${c.env}-${c.at.join("-")}`);
        const inputs = withJunk(c.env, c.at, JUNK[c.junk]());
        try {
          synthesizeAtomically(outdir, (app) => buildApp(app, { environments: parseEnvironments(inputs), target: { kind: "aws", remoteState: true } }));
        } catch (error) {
          // A policy rule or a construct may still refuse it; then it must say so as configuration or policy, not crash.
          expect(String(error)).toMatch(/Invalid configuration|PC_[A-Z0-9_]+/);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes no output for a refused configuration (the atomic synth path main.ts uses)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-fuzz-"));
    const outdir = path.join(dir, "cdktf.out");
    try {
      const refused = load().refused.slice(0, 5);
      expect(refused).toHaveLength(5);
      for (const c of refused) {
        const inputs = withJunk(c.env, c.at, JUNK[c.junk]());
        expect(() =>
          synthesizeAtomically(outdir, (app) => buildApp(app, { environments: parseEnvironments(inputs), target: { kind: "aws", remoteState: true } })),
        ).toThrow(ConfigError);
        expect(fs.readdirSync(dir)).toEqual([]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
