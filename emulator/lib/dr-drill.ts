/**
 * The disaster-recovery drill against the emulator, on an environment the pipeline's own jobs deployed
 * (pipeline-deploy.ts): verify through the AWS API, lose the instance, rebuild it the way an operator would after a
 * disaster, with the pipeline's `plan` and `deploy` jobs of the vm stack (docs/disaster-recovery.md), and verify that
 * the data volume and the buckets survived and the volume is attached to the new instance. Every step is timed. The
 * clean plan afterwards is the scheduled drift job's to show (pipeline-deploy.ts runDriftJob): every stack, not only vm.
 *
 * Shared by `npm run dr:drill` (prints the timings) and test/engine/pipeline-deploy.test.ts (asserts the facts).
 */
import { DescribeInstancesCommand, DescribeVolumesCommand, EC2Client, TerminateInstancesCommand, waitUntilInstanceTerminated } from "@aws-sdk/client-ec2";
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { loadEnvironments, type EnvName } from "../../config";
import { stackName } from "../../config/naming";
import type { StackOutputs } from "./emulator-deploy";
import { planAndDeploy, stateOutputs, type PipelineStep, type PipelineWorld } from "./pipeline-deploy";

export type DrillStep = PipelineStep;

export interface DrillResult {
  readonly environment: EnvName;
  readonly steps: DrillStep[];
  /** The vm stack's outputs after the rebuild. */
  readonly vm: StackOutputs;
  readonly lostInstanceId: string;
  readonly rebuiltInstanceId: string;
  readonly dataVolumeId: string;
  /** The instance the data volume is attached to after the rebuild. */
  readonly dataVolumeAttachedTo: string | undefined;
  readonly bucketsAfterRebuild: Record<string, boolean>;
}

async function timed<T>(steps: DrillStep[], step: string, action: () => Promise<T> | T): Promise<T> {
  const started = process.hrtime.bigint();
  const result = await action();
  steps.push({ step, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
  return result;
}

export async function runDrill(world: PipelineWorld, outputs: Record<string, StackOutputs>, log: (line: string) => void = () => undefined): Promise<DrillResult> {
  const environment = world.environment;
  const env = loadEnvironments()[environment];
  const steps: DrillStep[] = [];
  const client = { endpoint: world.emulator.endpoint, region: env.aws.region, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  const ec2 = new EC2Client(client);
  const s3 = new S3Client({ ...client, forcePathStyle: true });
  try {
    const vmStack = stackName(environment, "vm");
    const vm = outputs[vmStack];
    const storage = outputs[stackName(environment, "storage")];
    const buckets = [storage.packages_bucket_name, storage.replica_bucket_name, storage.offsite_backups_bucket_name, storage.daily_backups_bucket_name];

    await timed(steps, "verify through the AWS API", async () => {
      for (const Bucket of buckets) await s3.send(new HeadBucketCommand({ Bucket }));
      const instance = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [vm.instance_id] }))).Reservations?.[0]?.Instances?.[0];
      if (instance?.State?.Name !== "running") throw new Error(`instance ${vm.instance_id} is ${instance?.State?.Name}, not running`);
    });

    await timed(steps, "lose the instance (terminate it)", async () => {
      await ec2.send(new TerminateInstancesCommand({ InstanceIds: [vm.instance_id] }));
      await waitUntilInstanceTerminated({ client: ec2, maxWaitTime: 120, minDelay: 1, maxDelay: 5 }, { InstanceIds: [vm.instance_id] });
    });
    log(`terminated ${vm.instance_id}`);

    // The rebuild is the pipeline's: plan:<vm> shows the instance (and what hangs on it) to be created again,
    // deploy:<vm> applies exactly that plan.
    await timed(steps, `rebuild ${vmStack} (plan and deploy jobs)`, () => planAndDeploy(world, vmStack));
    const rebuilt = stateOutputs(world, vmStack);
    log(`rebuilt ${vmStack}: instance ${rebuilt.instance_id}`);

    const volume = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [vm.data_volume_id] }))).Volumes?.[0];
    const bucketsAfterRebuild: Record<string, boolean> = {};
    for (const Bucket of buckets) {
      bucketsAfterRebuild[Bucket] = await s3.send(new HeadBucketCommand({ Bucket })).then(
        () => true,
        () => false,
      );
    }
    return {
      environment,
      steps,
      vm: rebuilt,
      lostInstanceId: vm.instance_id,
      rebuiltInstanceId: rebuilt.instance_id,
      dataVolumeId: rebuilt.data_volume_id,
      dataVolumeAttachedTo: volume?.Attachments?.find((a) => a.State === "attached")?.InstanceId,
      bucketsAfterRebuild,
    };
  } finally {
    ec2.destroy();
    s3.destroy();
  }
}

/** The timings as a table, for docs/disaster-recovery.md §6 and the issue note. */
export function formatSteps(steps: readonly DrillStep[]): string {
  const width = Math.max(...steps.map((s) => s.step.length));
  const total = steps.filter((s) => !s.beside).reduce((sum, s) => sum + s.seconds, 0);
  return [...steps.map((s) => `${s.step.padEnd(width)}  ${s.seconds.toFixed(1).padStart(6)} s${s.beside ? " (beside)" : ""}`), `${"total".padEnd(width)}  ${total.toFixed(1).padStart(6)} s`].join("\n");
}
