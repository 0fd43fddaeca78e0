/**
 * `npm run local [-- <env>]`: starts moto_server on a free port, synthesizes the emulator target, deploys the
 * environment's AWS stacks into it in order, prints their outputs, plans every stack again (exit 1 unless each
 * second plan shows no changes), and stops the emulator.
 * Set PACKAGECLOUD_EMULATOR_ENDPOINT to deploy into an emulator you already run (it is then left running), and
 * PACKAGECLOUD_LOCAL_DIR to keep the work files somewhere other than .local/emulator (the engine tests do).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ENV_NAMES, type EnvName } from "../config";
import { applyStack, awsStacks, configuredAmiIds, secondPlan, synthForEmulator } from "./lib/emulator-deploy";
import { startEmulator, type Emulator } from "./lib/moto";
import { PROJECT_ROOT } from "./lib/terraform";

async function main(): Promise<void> {
  const env = (process.argv[2] ?? "pre") as EnvName;
  if (!ENV_NAMES.includes(env)) throw new Error(`unknown environment "${env}": use one of ${ENV_NAMES.join(", ")}`);
  const given = process.env.PACKAGECLOUD_EMULATOR_ENDPOINT || undefined;
  const emulator: Emulator | undefined = given ? undefined : await startEmulator({ amiIds: configuredAmiIds() });
  const endpoint = given ?? emulator!.endpoint;
  const root = process.env.PACKAGECLOUD_LOCAL_DIR ?? path.join(PROJECT_ROOT, ".local", "emulator");
  // A fresh emulator holds nothing: old local state would describe resources that no longer exist.
  if (emulator) fs.rmSync(root, { recursive: true, force: true });
  const ws = { outdir: path.join(root, "cdktf.out"), stateDir: path.join(root, "state"), endpoint };
  try {
    console.log(`emulator: ${endpoint}`);
    let started = Date.now();
    synthForEmulator(ws);
    console.log(`synth: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const stack of awsStacks(env)) {
      started = Date.now();
      const outputs = applyStack(ws, stack);
      console.log(`\n${stack}: applied in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      for (const [key, value] of Object.entries(outputs)) console.log(`  ${key} = ${value}`);
    }
    let drifted = 0;
    for (const stack of awsStacks(env)) {
      const plan = secondPlan(ws, stack);
      console.log(`\n${stack}: second plan ${plan.code === 0 ? "shows no changes" : `shows changes:\n${plan.changes}`}`);
      if (plan.code !== 0) drifted += 1;
    }
    if (drifted > 0) throw new Error(`${drifted} stack(s) would change on a second plan: the emulator and the code disagree`);
  } finally {
    await emulator?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
