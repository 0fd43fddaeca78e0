/**
 * The runbook runner (test/support/runbook.ts) on a document written here: blocks in document order under their
 * headings, placeholders filled or refused, skipped lines left out, and a block nobody ran or a stale skip reported
 * (so the first-deploy test can fail for each of these reasons).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Runbook, runbookBlocks } from "./support/runbook";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-runbook-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const DOC = ["# Doc", "", "```sh", "echo one", "```", "", "## 1. First", "", "### After `a`", "", "```sh", "echo <name>", "skip me   # why", "```", "", "## 2. Second", "", "  ```sh", "  false", "  ```", ""].join("\n");
const file = path.join(dir, "doc.md");
fs.writeFileSync(file, DOC);

it("reads the sh blocks in order, with their section and subsection and the fence's line", () => {
  expect(runbookBlocks(DOC).map((b) => [b.section, b.subsection, b.line, b.text])).toEqual([
    ["", "", 3, "echo one"],
    ["1. First", "After `a`", 11, "echo <name>\nskip me   # why"],
    ["2. Second", "", 18, "false"],
  ]);
});

it("runs blocks in bash with placeholders filled and listed lines skipped, stops at a failing block, and reports what never ran", async () => {
  const book = new Runbook(file, { cwd: dir, env: { PATH: process.env.PATH }, skips: [{ line: "skip me", why: "a test" }, { line: "never there", why: "stale" }] });
  book.fill({ name: "filled" });
  const runs = await book.run(book.blocks);
  expect(runs.map((r) => [r.code, r.stdout.trim()])).toEqual([
    [0, "one"],
    [0, "filled"],
    [1, ""],
  ]);
  expect(runs[1].skipped.map((s) => s.line)).toEqual(["skip me"]);
  expect(book.unaccounted()).toEqual(['the skip "never there" matches no line the runbook ran']);
});

it("refuses a placeholder no step has given a value, naming it", async () => {
  const book = new Runbook(file, { cwd: dir, env: { PATH: process.env.PATH }, skips: [] });
  await expect(book.run(book.blocksOf(/^1\. /))).rejects.toThrow(/doc\.md:11: no value for <name>/);
  expect(book.unaccounted()).toEqual(expect.arrayContaining([expect.stringMatching(/doc\.md:3 \(\) never ran/)]));
});
