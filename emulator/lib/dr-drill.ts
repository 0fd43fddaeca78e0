/**
 * The disaster-recovery drill against the emulator: from an empty "account", deploy every AWS stack of an
 * environment in dependency order, verify through the AWS API, lose the instance, rebuild it with the same
 * Terraform, and verify that the data volume and the buckets survived. Every step is timed.
 *
 * Shared by `npm run dr:drill` (prints the timings) and test/engine/dr-drill.test.ts (asserts the facts).
 */
import { DescribeInstancesCommand, DescribeVolumesCommand, EC2Client, TerminateInstancesCommand, waitUntilInstanceTerminated } from "@aws-sdk/client-ec2";
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadEnvironments, type EnvName } from "../../config";
import { stackName } from "../../config/naming";
import { applyStack, awsStacks, configuredAmiIds, stackDir, stackEnv, synthForEmulator, type EmulatorWorkspace, type StackOutputs } from "./emulator-deploy";
import { startEmulator, type Emulator } from "./moto";
import { terraformAsync } from "../../operator/lib/terraform";

export interface DrillStep {
  readonly step: string;
  readonly seconds: number;
  /** Ran beside the other steps: not part of the total. */
  readonly beside?: boolean;
}

export interface DrillResult {
  readonly environment: EnvName;
  readonly steps: DrillStep[];
  readonly outputs: Record<string, StackOutputs>;
  readonly lostInstanceId: string;
  readonly rebuiltInstanceId: string;
  readonly dataVolumeId: string;
  /** The instance the data volume is attached to after the rebuild. */
  readonly dataVolumeAttachedTo: string | undefined;
  readonly bucketsAfterRebuild: Record<string, boolean>;
  /** Exit code of `terraform plan -detailed-exitcode` after the rebuild (0 = no changes). */
  readonly planAfterRebuild: number;
  /** The workspace, for further checks; `cleanup` removes it and stops the emulator. */
  readonly workspace: EmulatorWorkspace;
  readonly emulator: Emulator;
  cleanup(): Promise<void>;
}

async function timed<T>(steps: DrillStep[], step: string, action: () => Promise<T> | T): Promise<T> {
  const started = process.hrtime.bigint();
  const result = await action();
  steps.push({ step, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
  return result;
}

export interface DrillOptions {
  /**
   * Work on the storage stack (and its buckets) that runs side by side with the rest of the drill, from the moment
   * storage is deployed: the vm stack's deploy, loss and rebuild never touch it. The drill waits for it before it
   * returns, and fails with it. The emulator test runs its storage checks here.
   */
  readonly alongsideStorage?: (workspace: EmulatorWorkspace, emulator: Emulator, outputs: StackOutputs) => Promise<void>;
}

export async function runDrill(environment: EnvName = "pre", log: (line: string) => void = () => undefined, options: DrillOptions = {}): Promise<DrillResult> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const env = loadEnvironments()[environment];
  const steps: DrillStep[] = [];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-dr-"));
  const emulator = await timed(steps, "start an empty emulator", () => startEmulator({ amiIds: configuredAmiIds() }));
  const workspace: EmulatorWorkspace = { outdir: path.join(root, "cdktf.out"), stateDir: path.join(root, "state"), endpoint: emulator.endpoint };
  const cleanup = async () => {
    await emulator.stop();
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    const client = { endpoint: emulator.endpoint, region: env.aws.region, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
    const ec2 = new EC2Client(client);
    const s3 = new S3Client({ ...client, forcePathStyle: true });

    await timed(steps, "synthesize", () => synthForEmulator(workspace));
    const outputs: Record<string, StackOutputs> = {};
    let alongside: Promise<void> = Promise.resolve();
    for (const stack of awsStacks(environment)) {
      outputs[stack] = await timed(steps, `deploy ${stack}`, () => applyStack(workspace, stack));
      log(`deployed ${stack}`);
      if (stack === stackName(environment, "storage") && options.alongsideStorage) {
        const started = process.hrtime.bigint();
        alongside = options.alongsideStorage(workspace, emulator, outputs[stack]).then(() => {
          steps.push({ step: "storage checks (beside the vm steps)", seconds: Number(process.hrtime.bigint() - started) / 1e9, beside: true });
        });
        // Reported when awaited below; a rejection must not go unhandled meanwhile.
        alongside.catch(() => undefined);
      }
    }
    const vm = outputs[stackName(environment, "vm")];
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

    const vmStack = stackName(environment, "vm");
    const rebuilt = await timed(steps, `rebuild ${vmStack}`, () => applyStack(workspace, vmStack));
    log(`rebuilt ${vmStack}: instance ${rebuilt.instance_id}`);

    const volume = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [vm.data_volume_id] }))).Volumes?.[0];
    const bucketsAfterRebuild: Record<string, boolean> = {};
    for (const Bucket of buckets) {
      bucketsAfterRebuild[Bucket] = await s3.send(new HeadBucketCommand({ Bucket })).then(
        () => true,
        () => false,
      );
    }
    const plan = await timed(steps, "plan again (expect no changes)", () =>
      terraformAsync(["plan", "-detailed-exitcode", "-input=false"], stackDir(workspace, vmStack), stackEnv(workspace, vmStack)),
    );
    await alongside;
    ec2.destroy();
    s3.destroy();
    return {
      environment,
      steps,
      outputs: { ...outputs, [vmStack]: rebuilt },
      lostInstanceId: vm.instance_id,
      rebuiltInstanceId: rebuilt.instance_id,
      dataVolumeId: rebuilt.data_volume_id,
      dataVolumeAttachedTo: volume?.Attachments?.find((a) => a.State === "attached")?.InstanceId,
      bucketsAfterRebuild,
      planAfterRebuild: plan.code,
      workspace,
      emulator,
      cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** The timings as a table, for docs/disaster-recovery.md §6 and the issue note. */
export function formatSteps(steps: readonly DrillStep[]): string {
  const width = Math.max(...steps.map((s) => s.step.length));
  const total = steps.filter((s) => !s.beside).reduce((sum, s) => sum + s.seconds, 0);
  return [...steps.map((s) => `${s.step.padEnd(width)}  ${s.seconds.toFixed(1).padStart(6)} s`), `${"total".padEnd(width)}  ${total.toFixed(1).padStart(6)} s`].join("\n");
}
