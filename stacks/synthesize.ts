/**
 * Synthesizes into a scratch directory and swaps it into place only when everything succeeded, so a failed
 * synth (bad config, a construct's check, a policy rule) never leaves half an output a pipeline could deploy.
 */
import { App } from "cdktf";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * `build` adds the stacks to the app and may return extra files (path relative to the output → content), written
 * into the same scratch directory so they are swapped in, or discarded, together with the stacks.
 */
export function synthesizeAtomically(outdir: string, build: (app: App) => Record<string, string> | void): void {
  const target = path.resolve(outdir);
  const scratch = `${target}.partial-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  try {
    // No construct stack traces in the output: they cost a third of the synth time and say nothing to a reviewer.
    const app = new App({ outdir: scratch, stackTraces: false });
    const files = build(app) ?? {};
    app.synth();
    for (const [relative, content] of Object.entries(files)) {
      const file = path.join(scratch, relative);
      if (!file.startsWith(`${scratch}${path.sep}`)) throw new Error(`synthesizeAtomically: ${relative} is outside the output`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
  } catch (error) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  const previous = `${target}.previous-${process.pid}`;
  if (fs.existsSync(target)) fs.renameSync(target, previous);
  fs.renameSync(scratch, target);
  fs.rmSync(previous, { recursive: true, force: true });
}
