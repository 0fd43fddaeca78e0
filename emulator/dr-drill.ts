/**
 * `npm run dr:drill [-- <env>]`: the disaster-recovery drill against the emulator (emulator/lib/dr-drill.ts): the
 * environment's AWS stacks deployed by the pipeline's own jobs (gitlab-ci-local, emulator/lib/pipeline-deploy.ts),
 * the instance lost and rebuilt with the vm stack's plan and deploy jobs, then the scheduled drift job, which must
 * find every stack clean. Prints the time of each step; exits non-zero if anything did not survive or come back.
 * Runs in a git checkout (gitlab-ci-local copies the tracked files into each job's working copy).
 */
import { ENV_NAMES, type EnvName } from "../config";
import { awsStacks } from "../operator/lib/stacks";
import { formatSteps, runDrill } from "./lib/dr-drill";
import { deployStacks, runDriftJob, startPipelineWorld } from "./lib/pipeline-deploy";

async function main(): Promise<void> {
  const env = (process.argv[2] ?? "pre") as EnvName;
  if (!ENV_NAMES.includes(env)) throw new Error(`unknown environment "${env}": use one of ${ENV_NAMES.join(", ")}`);
  const began = Date.now();
  const world = await startPipelineWorld(env, (line) => console.log(line));
  try {
    const outputs = await deployStacks(world, {}, awsStacks(env));
    const result = await runDrill(world, outputs, (line) => console.log(line));
    const drift = await runDriftJob(world);
    console.log(`\nDR drill, ${env}, against the emulator, through the pipeline's jobs:\n${formatSteps([...world.steps, ...result.steps])}`);
    console.log(`wall clock: ${((Date.now() - began) / 1000).toFixed(1)} s\n`);
    const problems: string[] = [];
    if (result.rebuiltInstanceId === result.lostInstanceId) problems.push("the instance was not rebuilt");
    if (result.dataVolumeAttachedTo !== result.rebuiltInstanceId) problems.push(`data volume ${result.dataVolumeId} is not attached to the rebuilt instance`);
    for (const [bucket, present] of Object.entries(result.bucketsAfterRebuild)) if (!present) problems.push(`bucket ${bucket} is gone`);
    if (drift.run.code !== 0) problems.push(`the drift job after the rebuild did not find every stack clean (exit ${drift.run.code}, ${drift.report.status})`);
    console.log(`lost instance ${result.lostInstanceId}, rebuilt as ${result.rebuiltInstanceId}; data volume ${result.dataVolumeId} kept and attached`);
    if (problems.length > 0) throw new Error(`DR drill failed:\n  - ${problems.join("\n  - ")}`);
    console.log("DR drill passed");
  } finally {
    await world.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
