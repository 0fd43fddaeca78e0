/**
 * The repository's rooms, drawn for docs/architecture.md: which top-level folders serve whom, and which room imports
 * which (counted from the code's relative imports). The rule itself is enforced by test/layering.test.ts, which
 * keeps its own copy of the rooms.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface RoomSpec {
  readonly id: string;
  readonly title: string;
  /** Top-level folders and files, as written in the tree. */
  readonly members: readonly string[];
}

export const ROOMS: readonly RoomSpec[] = [
  { id: "product", title: "product: synthesizes, deploys, runs in the clouds", members: ["main.ts", "config/", "constructs/", "stacks/", "policy/", "monitoring/", "backup/", "operator/"] },
  { id: "emulated", title: "emulated world: moto, stand-in providers, npm run local", members: ["emulator/"] },
  { id: "tooling", title: "tooling: generators, loader, test runner, bench", members: ["tooling/"] },
  { id: "tests", title: "tests", members: ["test/"] },
];

const SKIP = new Set(["node_modules", ".git", "cdktf.out", ".local", ".tools"]);

function sourceFiles(root: string, dir = root): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name) || entry.name.startsWith(".")) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(root, full);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

function roomOf(root: string, file: string): RoomSpec | undefined {
  const rel = path.relative(root, file).split(path.sep).join("/");
  return ROOMS.find((room) => room.members.some((m) => rel === m || `${rel}/` === m || (m.endsWith("/") && rel.startsWith(m))));
}

/** Room → room import counts (files importing across), from `import … from "./…"`, `require("./…")`. */
export function roomImports(root: string): Map<string, number> {
  const edges = new Map<string, number>();
  for (const file of sourceFiles(root)) {
    const from = roomOf(root, file);
    if (!from) continue;
    const text = fs.readFileSync(file, "utf8");
    const targets = new Set<string>();
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
      const to = roomOf(root, path.resolve(path.dirname(file), m[1]));
      if (to && to.id !== from.id) targets.add(to.id);
    }
    for (const to of targets) edges.set(`${from.id}>${to}`, (edges.get(`${from.id}>${to}`) ?? 0) + 1);
  }
  return edges;
}

export function roomsDiagram(root: string): string {
  const lines = ["flowchart RL"];
  for (const room of ROOMS) lines.push(`  ${room.id}["<b>${room.title}</b><br/>${room.members.join(" ")}"]`);
  const edges = [...roomImports(root)].sort(([a], [b]) => a.localeCompare(b));
  for (const [edge, files] of edges) {
    const [from, to] = edge.split(">");
    lines.push(`  ${from} -->|"${files} file${files === 1 ? "" : "s"} import"| ${to}`);
  }
  return lines.join("\n");
}
