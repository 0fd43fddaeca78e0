/**
 * The import graph of the project's own TypeScript: no cycles anywhere, and the floors stay in order —
 * configuration (config/) below constructs/ and stacks/, so nothing in config/ imports upwards.
 *
 * Imports are read by TypeScript's own scanner (`ts.preProcessFile`: static imports, `export … from`, `import()`,
 * `require()`), type-only imports included: a type-only arrow still ties the floors together and would become a
 * runtime cycle with the first value imported along it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { builtinModules } from "node:module";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
const SKIP = new Set(["node_modules", ".git", "cdktf.out", "dist", "coverage"]);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name) || entry.name.startsWith(".")) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** The project file a relative specifier resolves to (as Node and tsc resolve it), or undefined. */
function resolveLocal(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.js`, path.join(base, "index.ts"), path.join(base, "index.js")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${path.relative(ROOT, from)}: import "${specifier}" resolves to no file`);
}

/** Every project file → the project files it imports. */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    const targets = info.importedFiles.map((f) => resolveLocal(file, f.fileName)).filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every elementary cycle's representative: Tarjan's strongly connected components of more than one file (or a self-import). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) visit(v);
  return found;
}

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join("/");

describe("import layering", () => {
  const graph = importGraph(sourceFiles(ROOT));

  it("reads the whole tree", () => {
    // A scanner that silently found nothing would pass every check below.
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get(path.join(ROOT, "config/guardrails.ts"))?.map(rel)).toContain("config/naming.ts");
  });

  it("has no import cycle", () => {
    expect(cycles(graph).map((c) => c.map(rel).join(" ↔ "))).toEqual([]);
  });

  it("never imports from config/ up into constructs/, stacks/ or any other floor", () => {
    const upward = [...graph].flatMap(([from, targets]) =>
      rel(from).startsWith("config/") ? targets.filter((t) => !rel(t).startsWith("config/")).map((t) => `${rel(from)} → ${rel(t)}`) : [],
    );
    expect(upward).toEqual([]);
  });

  it("detects a cycle and an upward import when there is one (the check can fail)", () => {
    const a = path.join(ROOT, "config/a.ts");
    const b = path.join(ROOT, "constructs/b.ts");
    const c = path.join(ROOT, "config/c.ts");
    const g = new Map([[a, [b]], [b, [c]], [c, [a]]]);
    expect(cycles(g).map((x) => x.map(rel))).toEqual([["config/a.ts", "config/c.ts", "constructs/b.ts"]]);
    expect(cycles(new Map([[a, [a]]]))).toHaveLength(1);
    expect(cycles(new Map([[a, [c]], [c, []]]))).toEqual([]);
  });
});

/**
 * The rooms of the tree, written here by hand from the rooms' READMEs (operator/, emulator/, tooling/): the product
 * (what synthesizes, and what operators and the pipeline run against real clouds), the emulated world the tests and
 * `npm run local` stand on, the project's own tooling, and the tests. Product never imports the emulated world,
 * the tooling or the tests; the emulated world and the tooling import the product only (and themselves).
 */
type Room = "product" | "emulated world" | "tooling" | "tests";
const PRODUCT_PREFIXES = ["main.ts", "config/", "constructs/", "stacks/", "policy/", "monitoring/", "backup/", "operator/"];
function roomOf(file: string): Room | undefined {
  const r = rel(file);
  if (PRODUCT_PREFIXES.some((p) => r === p || r.startsWith(p))) return "product";
  if (r.startsWith("emulator/")) return "emulated world";
  if (r.startsWith("tooling/")) return "tooling";
  if (r.startsWith("test/")) return "tests";
  return undefined;
}
const MAY_IMPORT: Record<Room, readonly Room[]> = {
  product: ["product"],
  "emulated world": ["product", "emulated world"],
  tooling: ["product", "tooling"],
  tests: ["product", "emulated world", "tooling", "tests"],
};
function crossings(graph: Map<string, string[]>): string[] {
  return [...graph].flatMap(([from, targets]) => {
    const a = roomOf(from);
    return targets.filter((t) => a && !MAY_IMPORT[a].includes(roomOf(t)!)).map((t) => `${rel(from)} (${a}) → ${rel(t)} (${roomOf(t)})`);
  });
}

describe("rooms by purpose", () => {
  const graph = importGraph(sourceFiles(ROOT));

  it("puts every source file in a room: product, emulated world, tooling or tests", () => {
    expect([...graph.keys()].filter((f) => !roomOf(f)).map(rel)).toEqual([]);
    // Each room holds files (a prefix that matches nothing would let a whole room go unchecked).
    for (const room of ["product", "emulated world", "tooling", "tests"] as Room[]) expect([...graph.keys()].some((f) => roomOf(f) === room)).toBe(true);
  });

  it("never imports the emulated world, the tooling or the tests from the product, nor the tooling from the emulated world", () => {
    expect(crossings(graph)).toEqual([]);
  });

  it("catches a product file importing the emulated world (the check can fail)", () => {
    const drift = path.join(ROOT, "operator/lib/drift.ts");
    const moto = path.join(ROOT, "emulator/lib/moto.ts");
    expect(crossings(new Map([[drift, [moto]]]))).toEqual(["operator/lib/drift.ts (product) → emulator/lib/moto.ts (emulated world)"]);
  });

  it("gives each room outside the product's classic folders a README that says who may import it", () => {
    for (const dir of ["operator", "emulator", "tooling"]) {
      const readme = fs.readFileSync(path.join(ROOT, dir, "README.md"), "utf8");
      expect(readme).toMatch(/Who may import it/);
    }
  });
});

/** The npm packages a file imports by bare specifier (`@scope/name` or `name`), Node's built-ins left out. */
function packagesImported(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((specifier) => !specifier.startsWith(".") && !specifier.startsWith("node:") && !builtinModules.includes(specifier.split("/")[0]))
    .map((specifier) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/"));
}

/** Every package reached from the entry files through project imports. */
function packagesReached(graph: Map<string, string[]>, entries: readonly string[]): Map<string, string> {
  const reached = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const pkg of packagesImported(file)) if (!reached.has(pkg)) reached.set(pkg, rel(file));
    for (const next of graph.get(file) ?? []) visit(next);
  };
  entries.forEach(visit);
  return reached;
}

describe("the pipeline jobs that install runtime dependencies only (npm ci --omit=dev: synth, drift)", () => {
  const graph = importGraph(sourceFiles(ROOT));
  const runtime = new Set(Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).dependencies));
  // `npm run synth` and `npm run drift`: node -r ./tooling/register-swc.js <entry>
  const entries = ["tooling/register-swc.js", "main.ts", "operator/drift.ts"].map((f) => path.join(ROOT, f));

  it("reach only packages in dependencies", () => {
    const reached = packagesReached(graph, entries);
    expect(reached.size).toBeGreaterThan(5); // cdktf, constructs, the providers, zod, yaml, @swc/core
    expect([...reached].filter(([pkg]) => !runtime.has(pkg)).map(([pkg, from]) => `${pkg} (imported by ${from})`)).toEqual([]);
  });

  it("notices a devDependency reached from an entry (the check can fail)", () => {
    const reached = packagesReached(graph, [path.join(ROOT, "test/engine/ops.test.ts")]);
    expect([...reached.keys()].filter((pkg) => !runtime.has(pkg))).toEqual(expect.arrayContaining(["@aws-sdk/client-s3"]));
  });
});
