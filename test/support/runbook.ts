/**
 * A runbook as a test: the ```sh blocks of a Markdown document, in document order, each with the headings it sits
 * under, run one after another in bash (`set -euo pipefail`, from the operator's checkout), with `<placeholders>`
 * filled as the operator fills them (the environment's name and project, the outputs of the stacks deployed so far).
 * A line the test does not run must be listed with its reason; a block nobody ran fails the runbook's own check, so a
 * new step cannot slip past.
 */
import * as fs from "node:fs";
import { runProcess } from "./process";

export interface RunbookBlock {
  /** The `##` heading above it ("" before the first). */
  readonly section: string;
  /** The `###` heading above it within that section ("" when none). */
  readonly subsection: string;
  /** 1-based line of the block's opening fence. */
  readonly line: number;
  readonly text: string;
}

export function runbookBlocks(markdown: string): RunbookBlock[] {
  const blocks: RunbookBlock[] = [];
  let section = "";
  let subsection = "";
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    if (/^## /.test(line)) {
      section = line.slice(3).trim();
      subsection = "";
    } else if (/^### /.test(line)) subsection = line.slice(4).trim();
    const fence = /^( *)```sh\s*$/.exec(line);
    if (!fence) continue;
    const fenceLine = i + 1;
    const body: string[] = [];
    for (i += 1; i < lines.length && !/^ *```\s*$/.test(lines[i]); i += 1) body.push(lines[i].slice(fence[1].length));
    blocks.push({ section, subsection, line: fenceLine, text: body.join("\n") });
  }
  return blocks;
}

export interface Skip {
  /** The line as the document writes it (placeholders unfilled), trimmed, without a trailing comment. */
  readonly line: string;
  readonly why: string;
  /** Only in blocks whose "section › subsection" matches. @default - anywhere */
  readonly where?: RegExp;
}

export interface BlockRun {
  readonly block: RunbookBlock;
  /** The script that ran (placeholders filled, skipped lines left out). */
  readonly script: string;
  readonly skipped: readonly Skip[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** The line without its trailing `# comment` (outside quotes, as the runbook writes them). */
const uncommented = (line: string) => line.replace(/\s+#\s.*$/, "").trim();

export class Runbook {
  readonly blocks: RunbookBlock[];
  readonly runs: BlockRun[] = [];
  private readonly values = new Map<string, string>();

  constructor(
    readonly file: string,
    private readonly options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly skips: readonly Skip[] },
  ) {
    this.blocks = runbookBlocks(fs.readFileSync(file, "utf8"));
  }

  /** Values for `<name>` placeholders from now on (later values replace earlier ones). */
  fill(values: Record<string, string>): void {
    for (const [k, v] of Object.entries(values)) this.values.set(k, v);
  }

  /** The blocks under a section (and subsection, when given), in document order. */
  blocksOf(section: RegExp, subsection?: RegExp): RunbookBlock[] {
    return this.blocks.filter((b) => section.test(b.section) && (subsection === undefined ? true : subsection.test(b.subsection)));
  }

  /** Runs each block in order, stopping at the first that fails (the rest of the runbook would not make sense). */
  async run(blocks: readonly RunbookBlock[]): Promise<BlockRun[]> {
    const done: BlockRun[] = [];
    for (const block of blocks) {
      const run = await this.runBlock(block);
      done.push(run);
      if (run.code !== 0) break;
    }
    return done;
  }

  private async runBlock(block: RunbookBlock): Promise<BlockRun> {
    const started = Date.now();
    const skipped: Skip[] = [];
    const kept: string[] = [];
    for (const line of block.text.split("\n")) {
      const where = `${block.section} › ${block.subsection}`;
      const skip = this.options.skips.find((s) => s.line === uncommented(line) && (s.where === undefined || s.where.test(where)));
      if (skip) skipped.push(skip);
      // Comments go: they are not run, and may name placeholders (`# writes cdktf.out/stacks/<stack>`).
      else kept.push(line.replace(/\s+#\s.*$/, "").replace(/^\s*#.*$/, ""));
    }
    const script = kept
      .join("\n")
      .replace(/<([a-z_]+)>/g, (whole, name: string) => {
        const value = this.values.get(name);
        if (value === undefined) throw new Error(`${this.file}:${block.line}: no value for ${whole} (the runbook names it before any step gives it)`);
        return value;
      });
    const result = await runProcess("bash", ["-c", `set -euo pipefail\n${script}`], this.options.cwd, this.options.env);
    const run = { block, script, skipped, ...result, seconds: (Date.now() - started) / 1000 };
    this.runs.push(run);
    return run;
  }

  /** Blocks that never ran, and skips that matched no line (a stale list hides nothing). */
  unaccounted(): string[] {
    const ran = new Set(this.runs.map((r) => r.block));
    const used = new Set(this.runs.flatMap((r) => r.skipped));
    return [
      ...this.blocks.filter((b) => !ran.has(b)).map((b) => `${this.file}:${b.line} (${b.section}${b.subsection ? ` › ${b.subsection}` : ""}) never ran`),
      ...this.options.skips.filter((s) => !used.has(s)).map((s) => `the skip "${s.line}" matches no line the runbook ran`),
    ];
  }
}
