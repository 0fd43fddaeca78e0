/**
 * `npm run local [-- <env>]`: deploys every stack of the environment here, as the pipeline would: the AWS stacks
 * into moto_server, the Google and DNS stacks into the stand-in providers (emulator/standin/, real Terraform
 * attached to them), each after the stacks it depends on and independent ones side by side (storage with gke,
 * then vm and dns); prints their outputs, plans every stack again, side by side (exit 1 unless each second plan
 * shows no changes), and stops the emulator and the stand-ins.
 * What exists before the first deploy is seeded into the stand-ins first (the GCP project, the DNS record each
 * environment adopts, so its import block imports it).
 * Set PACKAGECLOUD_EMULATOR_ENDPOINT to deploy into an emulator you already run (it is then left running),
 * PACKAGECLOUD_STANDINS to the stand-ins' `{"url", "reattach"}` to use stand-ins you run (left running too), and
 * PACKAGECLOUD_LOCAL_DIR to keep the work files somewhere other than .local/emulator (the engine tests do).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ENV_NAMES, loadEnvironments, type EnvName } from "../config";
import { allStacks, applyInDependencyOrder, configuredAmiIds, secondPlan, stackDir, standinStacks, synthForEmulator } from "./lib/emulator-deploy";
import { startEmulator, type Emulator } from "./lib/moto";
import { attachStandins, startStandins, typesUsed, type Standins } from "./standin/client";
import { seedExisting } from "./standin/fixtures";
import { PROJECT_ROOT } from "../operator/lib/terraform";

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const began = Date.now();
  const env = (process.argv[2] ?? "pre") as EnvName;
  if (!ENV_NAMES.includes(env)) throw new Error(`unknown environment "${env}": use one of ${ENV_NAMES.join(", ")}`);
  const given = process.env.PACKAGECLOUD_EMULATOR_ENDPOINT || undefined;
  const emulator: Emulator | undefined = given ? undefined : await startEmulator({ amiIds: configuredAmiIds() });
  const endpoint = given ?? emulator!.endpoint;
  const root = process.env.PACKAGECLOUD_LOCAL_DIR ?? path.join(PROJECT_ROOT, ".local", "emulator");
  // A fresh emulator and fresh stand-ins hold nothing: old local state would describe resources that no longer exist.
  if (emulator) fs.rmSync(root, { recursive: true, force: true });
  const base = { outdir: path.join(root, "cdktf.out"), stateDir: path.join(root, "state"), endpoint };
  // The stand-ins start empty every run, even when the emulator is kept: their stacks' old state goes too.
  for (const stack of standinStacks(env)) fs.rmSync(path.join(base.stateDir, `${stack}.tfstate`), { force: true });
  let standins: Standins | undefined;
  try {
    console.log(`emulator: ${endpoint}`);
    let started = Date.now();
    synthForEmulator(base);
    console.log(`synth: ${seconds(started)}`);
    const stacks = allStacks(env);
    started = Date.now();
    // Stand-ins the caller runs (PACKAGECLOUD_STANDINS, as PACKAGECLOUD_EMULATOR_ENDPOINT for the emulator) stay up.
    const givenStandins = process.env.PACKAGECLOUD_STANDINS;
    standins = givenStandins ? attachStandins(JSON.parse(givenStandins)) : await startStandins({ types: typesUsed(stacks.map((stack) => stackDir(base, stack))) });
    const seeded = await seedExisting(standins, loadEnvironments()[env]);
    console.log(`stand-in providers (google, google-beta, cloudflare, time): ready in ${seconds(started)}`);
    console.log(`  seeded the existing project ${seeded.project}`);
    if (seeded.record) console.log(`  seeded the existing ${seeded.record.type} ${seeded.record.id}, to be imported`);
    const ws = { ...base, extraEnv: standins.env };
    // Each stack after the stacks it depends on, independent ones side by side (storage with gke, vm with dns).
    await applyInDependencyOrder(ws, stacks, (stack, outputs, took) => {
      console.log(`\n${stack}: applied in ${took.toFixed(1)} s`);
      for (const [key, value] of Object.entries(outputs)) console.log(`  ${key} = ${value}`);
    });
    started = Date.now();
    const plans = await Promise.all(stacks.map(async (stack) => ({ stack, plan: await secondPlan(ws, stack) })));
    let drifted = 0;
    for (const { stack, plan } of plans) {
      console.log(`\n${stack}: second plan ${plan.code === 0 ? "shows no changes" : `shows changes:\n${plan.changes}`}`);
      if (plan.code !== 0) drifted += 1;
    }
    console.log(`\nsecond plans of ${stacks.length} stacks, side by side: ${seconds(started)}`);
    if (drifted > 0) throw new Error(`${drifted} stack(s) would change on a second plan: the emulator and the code disagree`);
    console.log(`\n${env}: every stack deployed and planned clean in ${seconds(began)}`);
  } finally {
    await standins?.stop();
    await emulator?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
