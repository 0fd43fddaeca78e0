/**
 * The commands a pipeline job runs, found statically: the first word of every simple command in its before_script
 * and script, and, followed into, the repository's scripts they call (`bash <file>`, `operator/ci/<x>.sh`), the
 * npm scripts they run (`npm run <x>`: the entry point and the project files it imports, for the commands they
 * spawn and the tools they require), and `node <file>`. test/ci-tools.test.ts holds them to the job image's
 * commands (emulator/lib/job-image.ts) plus what the job installs.
 *
 * A small reader of this repository's shell, not a bash parser: quotes, `$(…)`, `<(…)`, `${…}`, comments, `case`
 * patterns, `for … in`, `[[ … ]]`, assignments and redirections are understood; a command run through a variable
 * (`"${as_root[@]}" apt-get`) is seen as the variable, so its name is not checked.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { toolsRequiredBy } from "./required-tools";

const ROOT = path.resolve(__dirname, "..", "..");

/** Bash's keywords and the builtins these scripts use: never looked up on PATH. */
export const SHELL_BUILTINS = new Set([
  "if", "then", "elif", "else", "fi", "case", "esac", "for", "while", "until", "do", "done", "in", "function", "select", "time", "!", "[[", "]]", "{", "}",
  ".", ":", "source", "alias", "break", "builtin", "cd", "command", "continue", "declare", "echo", "eval", "exec", "exit", "export", "false",
  "getopts", "hash", "local", "mapfile", "printf", "pwd", "read", "readarray", "readonly", "return", "set", "shift", "shopt", "test", "[", "trap",
  "true", "type", "typeset", "ulimit", "umask", "unset", "wait",
]);

export interface Invocation {
  /** The command word, quotes removed. */
  readonly command: string;
  /** The words after it up to the end of the simple command, quotes removed (expansions kept as written). */
  readonly args: string[];
}

/** The simple commands of a shell text (command word and arguments), and the functions it defines. */
export function shellCommands(text: string): { invocations: Invocation[]; commands: string[]; functions: string[] } {
  const invocations: Invocation[] = [];
  const functions: string[] = [];
  let i = 0;
  const n = text.length;

  const skipSingle = () => {
    i = text.indexOf("'", i + 1);
    i = i < 0 ? n : i + 1;
  };
  const skipDouble = () => {
    i += 1;
    while (i < n && text[i] !== '"') {
      if (text[i] === "\\") i += 2;
      else if (text.startsWith("$(", i) && !text.startsWith("$((", i)) scanSubshell(2);
      else if (text.startsWith("${", i)) {
        i += 1;
        skipBraces();
      } else i += 1;
    }
    i += 1;
  };
  /** From an opening brace or parenthesis at i to its match, over quotes and comments. */
  const skipBalanced = (open: string, close: string) => {
    let depth = 0;
    while (i < n) {
      const c = text[i];
      if (c === "'") skipSingle();
      else if (c === '"') skipDouble();
      else if (c === "#" && open === "(" && /\s/.test(text[i - 1] ?? "\n")) {
        const end = text.indexOf("\n", i);
        i = end < 0 ? n : end;
      } else {
        if (c === open) depth += 1;
        else if (c === close && --depth === 0) {
          i += 1;
          return;
        }
        i += 1;
      }
    }
  };
  const skipBraces = () => skipBalanced("{", "}");
  // $( … ) or <( … ): a nested command list up to the matching parenthesis.
  const scanSubshell = (open: number) => {
    i += open;
    list(")");
    i += 1;
  };

  /** Reads one word at i (quotes and expansions inside it kept whole); returns its text. */
  const word = (): string => {
    const start = i;
    while (i < n) {
      const c = text[i];
      // An array assignment, name=( … ): its elements are words, not commands.
      if (c === "(" && i > start && text[i - 1] === "=") {
        skipBalanced("(", ")");
        continue;
      }
      // Redirections that duplicate or merge streams: 2>&1, >&2, &>file.
      if (c === "&" && i > start && (text[i - 1] === ">" || text[i - 1] === "<")) {
        i += 1;
        continue;
      }
      if (c === "&" && i === start && text[i + 1] === ">") {
        i += 2;
        continue;
      }
      if (/\s/.test(c) || ";|&)".includes(c) || (c === "(" && i > start && text[i - 1] !== "$" && text[i - 1] !== "<")) break;
      if (c === "'") skipSingle();
      else if (c === '"') skipDouble();
      else if (text.startsWith("$((", i)) {
        i += 1;
        skipBalanced("(", ")");
      } else if (text.startsWith("$(", i) || text.startsWith("<(", i)) scanSubshell(2);
      else if (text.startsWith("${", i)) {
        i += 1;
        skipBraces();
      } else if (c === "\\") i += 2;
      else i += 1;
    }
    return text.slice(start, i);
  };
  const unquote = (w: string) => w.replace(/^"([^"$]*)"$/, "$1").replace(/^'([^']*)'$/, "$1");

  /** A command list until `until` (")" for a subshell, "" for the end of the text). */
  function list(until: string): void {
    let current: Invocation | undefined;
    let skipping: "for" | "case-word" | "test" | undefined;
    let inCase = 0;
    const atCommand = () => current === undefined;
    let expectCommand = true;
    while (i < n) {
      const c = text[i];
      if (until && c === until) return;
      if (c === "\\" && text[i + 1] === "\n") {
        i += 2;
        continue;
      }
      if (c === "\n" || c === ";" || c === "&" || c === "|") {
        if (c === ";" && text[i + 1] === ";") i += 1; // ;; ends a case branch
        i += 1;
        if (skipping !== "for" && skipping !== "test") skipping = undefined;
        current = undefined;
        expectCommand = true;
        continue;
      }
      if (/\s/.test(c)) {
        i += 1;
        continue;
      }
      if (c === "#" && (i === 0 || /\s/.test(text[i - 1]))) {
        const end = text.indexOf("\n", i);
        i = end < 0 ? n : end;
        continue;
      }
      if (c === "(" || c === ")") {
        i += 1;
        current = undefined;
        expectCommand = true;
        continue;
      }
      const w = word();
      if (w === "") {
        i += 1;
        continue;
      }
      if (skipping === "test") {
        if (w === "]]") skipping = undefined;
        continue;
      }
      if (skipping === "for") {
        if (w === "do") skipping = undefined;
        continue;
      }
      if (skipping === "case-word") {
        if (w === "in") {
          skipping = undefined;
          inCase += 1;
        }
        continue;
      }
      if (!atCommand() || !expectCommand) {
        current?.args.push(unquote(w));
        continue;
      }
      if (w === "esac") {
        inCase -= 1;
        continue;
      }
      // A case pattern: `validate)`, `x86_64 | amd64)`, `*)`.
      if (inCase > 0 && (text[i] === ")" || /^\s*(\|\s*[^\s|;()]+\s*)+\)/.test(text.slice(i)))) {
        i = text.indexOf(")", i) + 1;
        continue;
      }
      if (/^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(w)) continue; // an assignment before a command
      if (/^\d*[<>]/.test(w)) continue; // a redirection
      if (w === "for" || w === "select") {
        skipping = "for";
        continue;
      }
      if (w === "case") {
        skipping = "case-word";
        continue;
      }
      if (w === "[[") {
        skipping = "test";
        continue;
      }
      if (["if", "then", "elif", "else", "do", "while", "until", "!", "{", "}", "time", "fi", "done"].includes(w)) continue;
      const fn = w.match(/^([A-Za-z_][\w-]*)\(\)$/) ?? (/^\s*\(\)/.test(text.slice(i)) ? [w, w] : null);
      if (fn) {
        functions.push(fn[1]);
        if (!w.endsWith("()")) i = text.indexOf(")", i) + 1;
        continue;
      }
      // A word that is an expansion (`"$x"`, `"${cmd[@]}"`) names no command that can be checked.
      if (/^["']?\$/.test(w)) {
        expectCommand = false;
        continue;
      }
      current = { command: unquote(w), args: [] };
      invocations.push(current);
    }
  }
  list("");
  return { invocations, commands: invocations.map((v) => v.command), functions };
}

/** Calls to child_process with a literal command (`spawn("terraform", …)`, `spawnSync("sh", …)`, `execSync("…")`). */
function spawnedBy(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/\b(?:spawn|spawnSync|execFile|execFileSync)\(\s*["']([^"']+)["']/g)) found.push(m[1]);
  for (const m of source.matchAll(/\b(?:exec|execSync)\(\s*["'`]([^\s"'`]+)/g)) found.push(m[1]);
  return found;
}

const IMPORT = /(?:from\s+|require\(\s*|import\(\s*)["'](\.{1,2}\/[^"']+)["']/g;

/** The project files a TypeScript or JavaScript file reaches through relative imports, itself included. */
function reachable(file: string, seen = new Set<string>()): Set<string> {
  const absolute = path.resolve(file);
  if (seen.has(absolute)) return seen;
  seen.add(absolute);
  const source = fs.readFileSync(absolute, "utf8");
  for (const m of source.matchAll(IMPORT)) {
    const base = path.resolve(path.dirname(absolute), m[1]);
    const target = [`${base}.ts`, `${base}.js`, path.join(base, "index.ts"), base].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    if (target) reachable(target, seen);
  }
  return seen;
}

export interface CommandUse {
  readonly command: string;
  /** Where it is run: the job line, then each file followed into. */
  readonly where: string;
}

export interface JobCommandOptions {
  /** Reads a repository file (relative path): the tests substitute a file's text to prove the check can fail. */
  readonly readFile?: (relative: string) => string;
}

/**
 * Every command the shell lines run, following the repository's scripts they call. The tools a TypeScript entry
 * point requires (`requireTool`) count as commands it runs.
 */
export function commandsOfLines(lines: readonly string[], where: string, options: JobCommandOptions = {}): { uses: CommandUse[]; followed: string[] } {
  const read = options.readFile ?? ((relative: string) => fs.readFileSync(path.join(ROOT, relative), "utf8"));
  const scripts: Record<string, string> = JSON.parse(read("package.json")).scripts;
  const uses: CommandUse[] = [];
  const visited = new Set<string>();
  const followed: string[] = [];

  const followFile = (relative: string, via: string, kind: "shell" | "node"): void => {
    if (visited.has(relative)) return;
    visited.add(relative);
    const at = `${via} → ${relative}`;
    followed.push(at);
    if (kind === "shell") {
      shell(read(relative), at);
      return;
    }
    for (const file of reachable(path.join(ROOT, relative))) {
      const rel = path.relative(ROOT, file);
      for (const command of spawnedBy(file === path.join(ROOT, relative) ? read(rel) : fs.readFileSync(file, "utf8"))) uses.push({ command, where: `${at} (${rel})` });
    }
    for (const tool of toolsRequiredBy(path.join(ROOT, relative))) uses.push({ command: tool, where: `${at} (requireTool)` });
  };

  function shell(text: string, at: string): void {
    const { invocations, functions } = shellCommands(text);
    const repoFile = (word: string | undefined) => word?.replace(/^"|"$/g, "").replace(/^\$root\/|^\.\//, "").match(/^(?:operator|tooling|emulator|backup)\/[\w./-]+$/)?.[0];
    for (const { command, args } of invocations) {
      if (functions.includes(command)) continue;
      uses.push({ command, where: at });
      const script = repoFile(command);
      if (script?.endsWith(".sh")) followFile(script, at, "shell");
      if ((command === "bash" || command === "sh") && repoFile(args[0])) followFile(repoFile(args[0])!, at, "shell");
      if (command === "node" && repoFile(args[0])?.endsWith(".js")) followFile(repoFile(args[0])!, at, "node");
      if (command === "npm" && args[0] === "run") {
        const name = args.slice(1).find((a) => !a.startsWith("-"))!;
        const body = scripts[name];
        if (!body) {
          uses.push({ command: `npm run ${name} (no such script)`, where: at });
          continue;
        }
        const entry = body.match(/^node -r \.\/tooling\/register-swc\.js (\S+)$/)?.[1];
        if (entry) followFile(entry, `${at} → npm run ${name}`, "node");
        else shell(body, `${at} → npm run ${name}`);
      }
    }
  }

  for (const line of lines) shell(line, where);
  // Repository scripts are run by path: what they run matters, not their own name.
  return { uses: uses.filter((u) => !/^(operator|tooling|emulator|backup)\//.test(u.command)), followed };
}
