/**
 * Which external tools (operator/lib/tools.ts) a test file can require: every `requireTool("<name>")` and
 * `promtoolPath()` in the file and in the project files it imports, transitively. An over-approximation by
 * design (a file that imports a tool helper is taken to use it): the pipeline provides a tool too many, never
 * one too few.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const IMPORT = /(?:from\s+|require\(\s*|import\(\s*)["'](\.{1,2}\/[^"']+)["']/g;
const REQUIRE_TOOL = /requireTool\(\s*["']([^"']+)["']/g;
const PROMTOOL = /promtoolPath\(/;

function resolveImport(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, `${base}.js`, path.join(base, "index.ts"), base].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

export function toolsRequiredBy(file: string, seen: Set<string> = new Set()): Set<string> {
  const tools = new Set<string>();
  const absolute = path.resolve(file);
  if (seen.has(absolute)) return tools;
  seen.add(absolute);
  // Comments mention tools without requiring them.
  const source = fs.readFileSync(absolute, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|\s)\/\/.*$/gm, "$1");
  for (const match of source.matchAll(REQUIRE_TOOL)) tools.add(match[1]);
  if (PROMTOOL.test(source)) tools.add("promtool");
  for (const match of source.matchAll(IMPORT)) {
    const target = resolveImport(absolute, match[1]);
    // The definitions themselves use no tool; reading them would count every tool the project knows.
    if (target && !target.endsWith(path.join("operator", "lib", "tools.ts"))) {
      for (const tool of toolsRequiredBy(target, seen)) tools.add(tool);
    }
  }
  return tools;
}
