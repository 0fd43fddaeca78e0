/**
 * The test sequencer (test/support/sequencer.js): the long engine files start first, in the listed order, and
 * every file it names exists (a renamed file would otherwise silently fall back to jest's order).
 */
import * as fs from "node:fs";
import * as path from "node:path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Sequencer = require("./support/sequencer");
const ROOT = path.resolve(__dirname, "..");

it("names only test files that exist", () => {
  const missing = (Sequencer.LONG_FILES as string[]).filter((file) => !fs.existsSync(path.join(ROOT, file)));
  expect(missing).toEqual([]);
});

it("starts the long engine files first, longest first, before every other file", async () => {
  const context = { config: { cacheDirectory: fs.mkdtempSync(path.join(require("node:os").tmpdir(), "sequencer-")), name: "t" }, hasteFS: { getSize: () => 1 } };
  const test = (file: string) => ({ path: path.join(ROOT, file), context, duration: undefined });
  const long = Sequencer.LONG_FILES as string[];
  const input = [test("test/config.test.ts"), ...[...long].reverse().map(test), test("test/main.test.ts")];
  const sorted = await new Sequencer({ contexts: [context] }).sort(input);
  expect(sorted.slice(0, long.length).map((t: { path: string }) => path.relative(ROOT, t.path))).toEqual(long);
  expect(sorted.slice(long.length).map((t: { path: string }) => path.relative(ROOT, t.path)).sort()).toEqual(["test/config.test.ts", "test/main.test.ts"]);
  fs.rmSync(context.config.cacheDirectory, { recursive: true, force: true });
});
