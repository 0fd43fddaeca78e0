/**
 * Child process of test/support/routine-edits.ts: synthesizes one environment for the emulator target with one
 * routine edit applied, exactly as `cdktf synth` would after the SRE's change. A separate process so that a change
 * to a shipped file is seen by every module that reads it (fs is patched before any product module loads).
 *
 *   node -r ./tooling/register-swc.js test/support/edit-synth.ts <edit name> <env> <outdir> <endpoint> <stateDir>
 */
import * as fs from "node:fs";
import * as path from "node:path";

const [editName, envName, outdir, endpoint, stateDir] = process.argv.slice(2);
const ROOT = path.resolve(__dirname, "..", "..");

async function main(): Promise<void> {
  const { ROUTINE_EDITS } = await import("../corpus/routine-edits");
  const edit = ROUTINE_EDITS.find((e) => e.name === editName);
  if (!edit) throw new Error(`no routine edit named ${JSON.stringify(editName)}`);
  if (edit.file) {
    // The edited file as the SRE's change leaves it, for every reader in this process.
    const target = path.resolve(ROOT, edit.file.path);
    const changed = edit.file.change(fs.readFileSync(target, "utf8"));
    // The module object itself, not this file's import of it (a copy made at import time): every module loaded
    // after this sees the change.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const realFs = require("node:fs") as typeof fs;
    const original = realFs.readFileSync;
    (realFs as { readFileSync: unknown }).readFileSync = ((file: fs.PathOrFileDescriptor, options?: unknown) =>
      typeof file === "string" && path.resolve(file) === target ? (options ? changed : Buffer.from(changed)) : (original as any)(file, options)) as typeof fs.readFileSync;
  }
  const undo = edit.code?.();
  const { ENVIRONMENTS } = await import("../../config/environments");
  const { parseEnvironments } = await import("../../config");
  const { buildApp } = await import("../../stacks/app");
  const { synthesizeAtomically } = await import("../../stacks/synthesize");
  const raw = structuredClone(ENVIRONMENTS) as Record<string, any>;
  edit.config?.(raw[envName], envName as never);
  const environments = parseEnvironments(raw);
  synthesizeAtomically(outdir, (app) => {
    buildApp(app, { environments: { [envName]: environments[envName as keyof typeof environments] } as typeof environments, target: { kind: "emulator", endpoint, stateDir } });
  });
  undo?.();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
