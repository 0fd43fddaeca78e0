/**
 * The README is the front door (the two commands, the stacks, the map) and docs/ holds one page per topic. The
 * pages restate code in a few tables; these tests keep them true, keep the README short, and keep every topic
 * of the old long README somewhere.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LAYERS } from "../config/naming";
import { GENERATED_TABLES } from "../tooling/lib/readme-tables";

const ROOT = path.resolve(__dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const readme = read("README.md");
const docs = fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`);
const pages = ["README.md", ...docs];

/** Headings of a Markdown file, fenced code left out (a `# comment` in a shell block is not a heading). */
function headingsOf(markdown: string): string[] {
  let inFence = false;
  const found: string[] = [];
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    else if (!inFence) {
      const m = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
      if (m) found.push(m[1]!);
    }
  }
  return found;
}

/** The anchor GitLab (and GitHub) give a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .trim()
    .replace(/\s/g, "-")
    .replace(/-{2,}/g, "-");
}

describe("README", () => {
  it("lists every stack layer", () => {
    for (const layer of LAYERS) expect(readme).toContain(`\`packagecloud-<env>-${layer}\``);
  });

  it("names the two set-up commands and the test command CI runs", () => {
    expect(readme).toContain("npm ci && npm run local");
    expect(readme).toContain("npm ci && npm test");
    expect(readme.indexOf("npm ci && npm run local")).toBeLessThan(readme.indexOf("## Stacks"));
    expect(fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8")).toMatch(/^npm test$/m);
  });

  it("stays a front door: at most 160 lines", () => {
    expect(readme.trimEnd().split("\n").length).toBeLessThanOrEqual(160);
  });

  it("links every page of docs/", () => {
    const unlinked = docs.filter((doc) => !readme.includes(`](${doc})`) && !readme.includes(`](${doc}#`));
    expect(unlinked).toEqual([]);
  });

  it("starts every page of docs/ with a link back to the README", () => {
    const without = docs.filter((doc) => !read(doc).startsWith("[← back to the README](../README.md)\n"));
    expect(without).toEqual([]);
  });
});

describe("generated tables, each in its page", () => {
  it.each(GENERATED_TABLES.map((t) => [t.name, t]))("%s is in its page, under its section", (_name, table) => {
    const page = read(table.file);
    expect(headingsOf(page)).toContain(table.section);
    expect(page).toContain(table.render());
    const after = page.slice(page.search(new RegExp(`^#+ ${table.section}$`, "m")));
    expect(after).toContain(table.render());
  });

  it("docs/constructs.md lists every construct class with its file", () => {
    const page = read("docs/constructs.md");
    const files = fs.readdirSync(path.join(ROOT, "constructs")).filter((f) => f.endsWith(".ts"));
    const missing: string[] = [];
    for (const file of files) {
      const source = fs.readFileSync(path.join(ROOT, "constructs", file), "utf8");
      for (const [, name] of source.matchAll(/export class (\w+) extends Construct/g)) {
        if (!page.includes(`| \`${name}\` | \`constructs/${file}\` |`)) missing.push(`${name} (constructs/${file})`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("the README's move into docs/", () => {
  /** Every `##`/`###` heading of the README before the split (`git show c3936ff:README.md`), 877 lines then. */
  const OLD_HEADINGS = [
    "Two commands",
    "Prerequisites",
    "Stacks",
    "Constructs",
    "Environments",
    "Using it, per environment",
    "The storage stack: decisions",
    "The VM variant",
    "The GKE variant and DNS",
    "Backup and replication monitoring",
    "The pipeline (GitLab CI)",
    "State",
    "Disaster recovery",
    "Policy pack",
    "The emulator target",
    "Tests",
    "Speed",
    "The test run and `.ci/run`",
  ];

  it("no fact is lost in the move: every old section is a heading in the README or a page of docs/", () => {
    const all = new Set(pages.flatMap((page) => headingsOf(read(page))));
    expect(OLD_HEADINGS.filter((h) => !all.has(h))).toEqual([]);
  });

  it("fails if an old section has no home (the check sees headings, not mentions)", () => {
    expect(headingsOf("Text about Speed.\n```sh\n# Speed\n```\n## Tests\n")).toEqual(["Tests"]);
  });

  it("links between pages point at files and headings that exist", () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const [, target] of read(page).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue; // https:, mailto:
        const [file, anchor] = target!.split("#") as [string, string | undefined];
        const resolved = file === "" ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
        if (!fs.existsSync(path.join(ROOT, resolved))) {
          broken.push(`${page}: ${target} (no ${resolved})`);
          continue;
        }
        if (anchor !== undefined && resolved.endsWith(".md") && !headingsOf(read(resolved)).map(anchorOf).includes(anchor)) {
          broken.push(`${page}: ${target} (no heading with anchor #${anchor} in ${resolved})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("reads anchors as GitLab writes them", () => {
    expect(anchorOf("0. Before anything: the state buckets")).toBe("0-before-anything-the-state-buckets");
    expect(anchorOf("The storage stack: decisions")).toBe("the-storage-stack-decisions");
    expect(anchorOf("The test run and `.ci/run`")).toBe("the-test-run-and-cirun");
  });
});
