/**
 * `npm run bench [-- [--runs N] [--json]]`: how long, and how much memory, a synth of every stack in `main.ts`
 * takes two ways, each run a fresh child process writing to its own scratch CDKTF_OUTDIR:
 *
 *   project   `node -r ./tooling/register-swc.js main.ts`: swc strips types, nothing is type-checked, and the
 *             modules load from the cached bundle (tooling/module-bundle.js) that the warm-up runs record.
 *   template  `node -r ts-node/register main.ts` with type-checking on: the cdktf project template's default.
 *
 * Why: the project type-checks once, in `tsc --noEmit`, and then runs transpile-only. This shows what that buys
 * over type-checking on every synth. Prints the median wall time and median peak RSS (GNU `/usr/bin/time`) of
 * each way, and their ratios. The targets are reported, not enforced; the exit code is 0 unless a run fails.
 *
 * tsconfig.json's "ts-node" section sets transpileOnly and swc. In ts-node 10.9 that section wins over the
 * TS_NODE_TRANSPILE_ONLY variable, and swc has no variable, so the template way points TS_NODE_PROJECT at a
 * scratch tsconfig that extends ours and turns both off. `ts-node --showConfig` checks this before timing.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";

const PROJECT_ROOT = path.resolve(__dirname, "..");
const TIME = "/usr/bin/time";
const TARGETS = { wallSeconds: 1.0, peakMb: 250, speedup: 5 } as const;

interface Way {
  name: "project" | "template";
  args: string[];
  env: NodeJS.ProcessEnv;
}

interface Run {
  wallSeconds: number;
  peakMb: number;
  stacks: string[];
}

interface Figures {
  name: Way["name"];
  wallSeconds: number;
  peakMb: number;
}

function options(): { runs: number; json: boolean } {
  const { values } = parseArgs({
    options: { runs: { type: "string", default: "5" }, json: { type: "boolean", default: false } },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${values.runs}: must be a positive integer`);
  return { runs, json: values.json };
}

function requireGnuTime(): void {
  try {
    fs.accessSync(TIME, fs.constants.X_OK);
  } catch {
    throw new Error(`${TIME} (GNU time, measures the peak RSS of each run) was not found: apt-get install time`);
  }
}

/** A tsconfig extending ours with ts-node's type-checking back on; TS_NODE_PROJECT points ts-node at it. */
function writeTypeCheckingTsconfig(dir: string): string {
  const file = path.join(dir, "tsconfig.json");
  const config = {
    extends: path.join(PROJECT_ROOT, "tsconfig.json"),
    "ts-node": { transpileOnly: false, swc: false },
  };
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** Fails unless ts-node, resolving its options as the template way will, type-checks. */
function assertTypeChecks(env: NodeJS.ProcessEnv): void {
  const result = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--showConfig"], {
    cwd: PROJECT_ROOT,
    env,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`ts-node --showConfig failed:\n${result.stderr}`);
  const resolved = (JSON.parse(result.stdout) as { "ts-node"?: { transpileOnly?: boolean; swc?: boolean } })["ts-node"];
  if (resolved?.transpileOnly || resolved?.swc) {
    throw new Error(`the template way would not type-check: ts-node resolved ${JSON.stringify(resolved)}`);
  }
}

function ways(tsconfig: string): Way[] {
  return [
    { name: "project", args: ["-r", "./tooling/register-swc.js", "main.ts"], env: {} },
    { name: "template", args: ["-r", "ts-node/register", "main.ts"], env: { TS_NODE_PROJECT: tsconfig } },
  ];
}

function childEnv(way: Way, outdir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...way.env, CDKTF_OUTDIR: outdir };
  // An inherited ts-node setting would change what the template way measures.
  for (const key of Object.keys(env)) if (key.startsWith("TS_NODE_") && !(key in way.env)) delete env[key];
  return env;
}

function failure(way: Way, why: string, result: SpawnSyncReturns<string>): Error {
  return new Error(`${way.name} way: ${why}\n--- stderr:\n${result.stderr}\n--- stdout:\n${result.stdout}`);
}

/** The stacks the manifest lists, each checked to have its synthesized directory under stacks/. */
function synthesizedStacks(way: Way, outdir: string, result: SpawnSyncReturns<string>): string[] {
  const manifest = path.join(outdir, "manifest.json");
  if (!fs.existsSync(manifest)) throw failure(way, `no ${manifest}`, result);
  const { stacks } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { stacks: Record<string, unknown> };
  const names = Object.keys(stacks).sort();
  const missing = names.filter((name) => !fs.existsSync(path.join(outdir, "stacks", name, "cdk.tf.json")));
  if (names.length === 0 || missing.length > 0) {
    throw failure(way, `stacks/ lacks ${missing.join(", ") || "any stack"}`, result);
  }
  return names;
}

/** One synth in a fresh child process, under GNU time, into a scratch outdir that is removed afterwards. */
function runOnce(way: Way): Run {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${way.name}-`));
  const outdir = path.join(scratch, "cdktf.out");
  const timeFile = path.join(scratch, "time.txt");
  try {
    const started = process.hrtime.bigint();
    const result = spawnSync(TIME, ["-f", "%M", "-o", timeFile, process.execPath, ...way.args], {
      cwd: PROJECT_ROOT,
      env: childEnv(way, outdir),
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.error) throw result.error;
    if (result.status !== 0) throw failure(way, `exited with ${result.status ?? result.signal}`, result);
    const peakKb = Number(fs.readFileSync(timeFile, "utf8").trim().split("\n").pop());
    if (!Number.isFinite(peakKb)) throw failure(way, `${TIME} reported no peak RSS`, result);
    return { wallSeconds, peakMb: peakKb / 1024, stacks: synthesizedStacks(way, outdir, result) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Two untimed warm-ups (the filesystem cache; the project way's module bundle, then its V8 code cache), then `runs`
 * timed runs, each of which must synthesize the same stacks.
 */
function measure(way: Way, runs: number): { figures: Figures; stacks: string[] } {
  const { stacks } = runOnce(way);
  runOnce(way);
  const timed = Array.from({ length: runs }, () => runOnce(way));
  for (const run of timed) {
    if (run.stacks.join() !== stacks.join()) {
      throw new Error(`${way.name} way synthesized ${run.stacks.join(", ")}, then ${stacks.join(", ")}`);
    }
  }
  const figures = {
    name: way.name,
    wallSeconds: median(timed.map((run) => run.wallSeconds)),
    peakMb: median(timed.map((run) => run.peakMb)),
  };
  return { figures, stacks };
}

function verdicts(project: Figures, template: Figures): Record<string, boolean> {
  return {
    [`project <= ${TARGETS.wallSeconds.toFixed(1)} s`]: project.wallSeconds <= TARGETS.wallSeconds,
    [`project <= ${TARGETS.peakMb} MB`]: project.peakMb <= TARGETS.peakMb,
    [`>= ${TARGETS.speedup}x faster than template`]: template.wallSeconds / project.wallSeconds >= TARGETS.speedup,
  };
}

function table(stacks: string[], runs: number, project: Figures, template: Figures): string {
  const row = (way: string, wall: string, rss: string): string => `${way.padEnd(11)}${wall.padEnd(11)}${rss}`;
  const checks = Object.entries(verdicts(project, template)).map(([target, ok]) => `${target}: ${ok ? "PASS" : "FAIL"}`);
  return [
    `synth of all stacks (${stacks.length} stacks), median of ${runs} runs`,
    row("way", "wall (s)", "peak RSS (MB)"),
    ...[project, template].map((f) => row(f.name, f.wallSeconds.toFixed(2), f.peakMb.toFixed(0))),
    row(
      "ratio",
      `${(template.wallSeconds / project.wallSeconds).toFixed(1)}x`,
      `${(template.peakMb / project.peakMb).toFixed(1)}x`,
    ),
    `targets: ${checks.join("; ")}`,
  ].join("\n");
}

function main(): void {
  const { runs, json } = options();
  requireGnuTime();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bench-tsconfig-"));
  try {
    const [projectWay, templateWay] = ways(writeTypeCheckingTsconfig(scratch)) as [Way, Way];
    assertTypeChecks(childEnv(templateWay, path.join(scratch, "unused")));
    const { figures: project, stacks } = measure(projectWay, runs);
    const { figures: template, stacks: templateStacks } = measure(templateWay, runs);
    if (templateStacks.join() !== stacks.join()) {
      throw new Error(`the ways synthesized different stacks: ${stacks.join(", ")} vs ${templateStacks.join(", ")}`);
    }
    const report = {
      stacks,
      runs,
      project,
      template,
      ratio: { wall: template.wallSeconds / project.wallSeconds, peakRss: template.peakMb / project.peakMb },
      targets: verdicts(project, template),
    };
    console.log(json ? JSON.stringify(report, null, 2) : table(stacks, runs, project, template));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error: unknown) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
