/**
 * The commands the documentation tells people to type, checked against what exists: every `npm run <script>`
 * names a script in package.json, every `npm <command>` is an npm command (and `npm test`/`start`/… have their
 * script), every `npx <bin>` names a binary the project installs. Read from fenced code blocks and inline code.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface DocCommand {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/** npm's own commands that need no script (`npm help <command>`); those that run a script are checked for it. */
const NPM_BUILTINS = new Set(["ci", "install", "i", "exec", "ls", "outdated", "audit", "update", "version", "help", "config", "cache", "pack", "view"]);
const NPM_SCRIPT_COMMANDS = new Set(["test", "t", "start", "stop", "restart"]);

/** Code (fenced blocks and inline spans) of a Markdown file, with the line each piece starts on. */
export function codeOf(markdown: string): Array<{ line: number; code: string }> {
  const pieces: Array<{ line: number; code: string }> = [];
  const lines = markdown.split("\n");
  let fence: { line: number; body: string[] } | undefined;
  lines.forEach((text, index) => {
    if (/^\s*(```|~~~)/.test(text)) {
      if (fence) {
        fence.body.forEach((code, i) => pieces.push({ line: fence!.line + i + 1, code }));
        fence = undefined;
      } else {
        fence = { line: index + 1, body: [] };
      }
      return;
    }
    if (fence) fence.body.push(text);
    else for (const m of text.matchAll(/`([^`]+)`/g)) pieces.push({ line: index + 1, code: m[1]! });
  });
  return pieces;
}

/** The npm and npx invocations in a Markdown file. */
export function commandsIn(file: string, markdown: string): DocCommand[] {
  const found: DocCommand[] = [];
  for (const { line, code } of codeOf(markdown)) {
    for (const m of code.matchAll(/(?:^|[\s;&|(])(npx\s+(?:--?[\w-]+\s+)*[@\w./:-]+|npm\s+(?:run(?:-script)?\s+)?[\w:.-]+)/g)) {
      found.push({ file, line, text: m[1]!.replace(/\s+/g, " ") });
    }
  }
  return found;
}

/** Why a command would not work here, or undefined when it would. */
export function problemWith(command: DocCommand, scripts: Record<string, string>, binDir: string): string | undefined {
  const where = `${command.file}:${command.line}: \`${command.text}\``;
  const words = command.text.split(" ");
  if (words[0] === "npx") {
    const bin = words.slice(1).find((w) => !w.startsWith("-"))!;
    if (fs.existsSync(path.join(binDir, bin))) return undefined;
    return `${where}: no \`${bin}\` in node_modules/.bin; add the package that provides it to package.json, or fix the command`;
  }
  // A bare `npm run` lists the scripts.
  if ((words[1] === "run" || words[1] === "run-script") && words.length === 2) return undefined;
  const script = words[1] === "run" || words[1] === "run-script" ? words[2]! : NPM_SCRIPT_COMMANDS.has(words[1]!) ? (words[1] === "t" ? "test" : words[1]!) : undefined;
  if (script === undefined) {
    return NPM_BUILTINS.has(words[1]!) ? undefined : `${where}: \`${words[1]}\` is not an npm command this project uses`;
  }
  if (script in scripts) return undefined;
  return `${where}: package.json has no script "${script}" (scripts: ${Object.keys(scripts).sort().join(", ")})`;
}

/** Top-level directories of the repository whose files the docs point at. Generated output (cdktf.out) is not. */
const REPO_DIRS = ["backup", "ci", "config", "constructs", "docs", "emulator", "monitoring", "operator", "policy", "stacks", "test", "tooling"];

/** Inline code that names a file or directory of the repository (`stacks/target.ts`, `test/stacks/__snapshots__`). */
export function pathsIn(file: string, markdown: string): DocCommand[] {
  const found: DocCommand[] = [];
  for (const { line, code } of codeOf(markdown)) {
    const candidate = code.trim().replace(/^\.\//, "").replace(/[:,]$/, "");
    if (!/^[\w./-]+$/.test(candidate) || !REPO_DIRS.includes(candidate.split("/")[0]!) || !candidate.includes("/")) continue;
    found.push({ file, line, text: candidate });
  }
  return found;
}
