/**
 * Every command the documentation shows is one that works: README.md and docs/*.md name only npm scripts that
 * package.json defines and binaries the project installs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { commandsIn, pathsIn, problemWith } from "../tooling/lib/doc-commands";

const ROOT = path.resolve(__dirname, "..");
const BIN = path.join(ROOT, "node_modules", ".bin");
const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts;
const files = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const commands = files.flatMap((file) => commandsIn(file, fs.readFileSync(path.join(ROOT, file), "utf8")));
const paths = files.flatMap((file) => pathsIn(file, fs.readFileSync(path.join(ROOT, file), "utf8")));

describe("commands in the documentation", () => {
  it("finds the commands of README.md and docs/", () => {
    const texts = commands.map((c) => c.text);
    expect(texts).toEqual(expect.arrayContaining(["npm ci", "npm run local", "npm test", "npx cdktf", "npm run dr:drill"]));
  });

  it("names only npm scripts that exist and binaries that are installed", () => {
    expect(commands.map((c) => problemWith(c, scripts, BIN)).filter((p) => p !== undefined)).toEqual([]);
  });

  it("fails if a doc names a missing script, npm command or binary, with the file, line and fix", () => {
    const doc = ["Run `npm run docs:everything` first.", "", "```sh", "npm ci && npm tset", "npx no-such-tool --help", "npm run synth", "```"].join("\n");
    const problems = commandsIn("docs/x.md", doc).map((c) => problemWith(c, scripts, BIN)).filter((p) => p !== undefined);
    expect(problems).toEqual([
      expect.stringMatching(/^docs\/x\.md:1: `npm run docs:everything`: package\.json has no script "docs:everything" \(scripts: .*synth/),
      expect.stringMatching(/^docs\/x\.md:4: `npm tset`: `tset` is not an npm command this project uses$/),
      expect.stringMatching(/^docs\/x\.md:5: `npx no-such-tool`: no `no-such-tool` in node_modules\/\.bin; add the package/),
    ]);
  });

  it("reads `npm test` as the test script and skips fences' own markers", () => {
    const doc = "```sh\nnpm test\n```\n";
    expect(commandsIn("a.md", doc)).toEqual([{ file: "a.md", line: 2, text: "npm test" }]);
    expect(problemWith({ file: "a.md", line: 2, text: "npm test" }, {}, BIN)).toMatch(/no script "test"/);
  });

  it("reads repository paths from inline code, not commands or generated output", () => {
    const doc = "See `stacks/nowhere.ts`, `cdktf.out/stacks/x`, `npm run synth` and `./tooling/pipeline.ts`.";
    expect(pathsIn("a.md", doc).map((p) => p.text)).toEqual(["stacks/nowhere.ts", "tooling/pipeline.ts"]);
  });

  it("points only at files and directories that exist", () => {
    expect(paths.map((p) => p.text)).toEqual(expect.arrayContaining(["stacks/target.ts", "tooling/lib/architecture.ts"]));
    const missing = paths.filter((p) => !fs.existsSync(path.join(ROOT, p.text))).map((p) => `${p.file}:${p.line}: \`${p.text}\` does not exist`);
    expect(missing).toEqual([]);
  });
});
