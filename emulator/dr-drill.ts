/**
 * `npm run dr:drill [-- <env>]`: the disaster-recovery drill against the emulator (emulator/lib/dr-drill.ts),
 * printing the time of each step. Exits non-zero if anything did not survive or did not come back.
 */
import { ENV_NAMES, type EnvName } from "../config";
import { formatSteps, runDrill } from "./lib/dr-drill";

async function main(): Promise<void> {
  const env = (process.argv[2] ?? "pre") as EnvName;
  if (!ENV_NAMES.includes(env)) throw new Error(`unknown environment "${env}": use one of ${ENV_NAMES.join(", ")}`);
  const result = await runDrill(env, (line) => console.log(line));
  try {
    console.log(`\nDR drill, ${env}, against the emulator:\n${formatSteps(result.steps)}\n`);
    const problems: string[] = [];
    if (result.rebuiltInstanceId === result.lostInstanceId) problems.push("the instance was not rebuilt");
    if (result.dataVolumeAttachedTo !== result.rebuiltInstanceId) problems.push(`data volume ${result.dataVolumeId} is not attached to the rebuilt instance`);
    for (const [bucket, present] of Object.entries(result.bucketsAfterRebuild)) if (!present) problems.push(`bucket ${bucket} is gone`);
    if (result.planAfterRebuild !== 0) problems.push(`the plan after the rebuild is not clean (exit ${result.planAfterRebuild})`);
    console.log(`lost instance ${result.lostInstanceId}, rebuilt as ${result.rebuiltInstanceId}; data volume ${result.dataVolumeId} kept and attached`);
    if (problems.length > 0) throw new Error(`DR drill failed:\n  - ${problems.join("\n  - ")}`);
    console.log("DR drill passed");
  } finally {
    await result.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
