/**
 * `pre`, deployed by the pipeline's own jobs: the generated .gitlab-ci.yml run through gitlab-ci-local
 * (emulator/lib/pipeline-jobs.ts), each job with its own before_script and script, on a PATH that holds only the
 * commands of its image (node:20.20.2-bookworm, emulator/lib/job-image.ts, written from the image's recipe) and what
 * its before_script installs (modelled: put on the PATH, since the real install downloads), artifacts passed from
 * job to job as GitLab passes them, the emulated world reached through the project's CI/CD variables
 * (emulator/lib/pipeline-deploy.ts). In order: synth; validate, plan and the manual deploy of every stack after the
 * stacks it depends on (storage with CONFIRM_DEPLOY, gke with it, then vm and dns), the DNS pre-flight in the dns
 * stack's plan job before its first apply, against a model of the Cloud DNS API (emulator/standin/google-apis.ts);
 * the instance lost and rebuilt by the vm stack's plan and deploy jobs (the DR drill, emulator/lib/dr-drill.ts); the
 * scheduled drift job, which must find every stack clean.
 *
 * This is pre's one engine deployment, and every check that reads it stands on it:
 * - the jobs: each passed with what it had (no gcloud, kubectl or moto_server anywhere on a job's PATH), deploys only
 *   with the reviewed plan, protected layers only when confirmed, the pre-flight refusing and then passing, the
 *   Cloud SQL admin password made by Terraform and found in no log, plan file or state;
 * - storage, through the S3 API: what the config says is what S3 holds, a locked backup cannot be deleted, the
 *   package buckets as CloudFront origins (packages stored SSE-S3, which an origin access identity can read; the
 *   application's OAI statement in both bucket policies survives the next deploy), destroy is refused;
 * - the drill: the instance rebuilt, the data volume and the buckets kept, every stack clean afterwards;
 * - the rebuilt VM, through the EC2 API: instance, volumes, attachment and security-group rules as configured;
 *   destroying the data volume is refused;
 * - a changed backup script reaching the running VM through its bundle, with no instance change.
 * `ops` deploys as a user runs it, `npm run local -- ops`, in test/engine/ops.test.ts, which also checks drift on it.
 */
import { ROUTINE_EDITS } from "../corpus/routine-edits";
import { editsFor, planEdits, problemsOf, type EditPlan } from "../support/routine-edits";
import { FirstDeploy, OPERATOR_FILES, RUNBOOK, SKIPS } from "../support/first-deploy";
import { appDatabaseUser } from "../../backup/database-grants";
import { backupDatabaseUser } from "../../backup/jobs";
import { runbookBlocks, type BlockRun } from "../support/runbook";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import {
  DescribeAddressesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeVolumesCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import {
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { loadEnvironments } from "../../config";
import { BACKUP_SCRIPT_PATH, VM_AGE_IDENTITY_FILE, vmFirstBootExtension } from "../../backup/jobs";
import { defaultNetworkWait } from "../../constructs/first-boot";
import { APT_AUTH_FILE, bootstrapCloudConfig, bundleJson, PACKAGECLOUD_CONFIG_FILE, SYNC_AGENT_SOURCE, VM_CONFIG_KEY, vmConfigBundle, vmSecretParameter } from "../../constructs/vm-config";
import { DATA_MOUNT_POINT, EXPORTER_PORTS } from "../../constructs/packagecloud-vm";
import { stackName } from "../../config/naming";
import { adminSecretId } from "../../constructs/cloud-sql-mysql";
import { formatSteps, runDrill, type DrillResult } from "../../emulator/lib/dr-drill";
import type { StackOutputs } from "../../emulator/lib/emulator-deploy";
import { imageCommands } from "../../emulator/lib/job-image";
import {
  deployStacks,
  OperatorWorkspace,
  planAndDeploy,
  runDriftJob,
  seedAdoptedRecord,
  startPipelineWorld,
  type DriftRun,
  type PipelineWorld,
} from "../../emulator/lib/pipeline-deploy";
import { PipelineJobs, type JobRun, type ListedJob } from "../../emulator/lib/pipeline-jobs";
import { OLD_RECORD_ADDRESS, type SeededRecord } from "../../emulator/standin/fixtures";
import { terraformAsync, terraformOk } from "../../operator/lib/terraform";
import { zipEntries } from "../support/zip";

// The SDK is pinned; its notice that future releases need Node 22 says nothing about this test.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const env = loadEnvironments().pre;
const STACK = stackName("pre", "storage");
const [STORAGE, VM, GKE, DNS] = (["storage", "vm", "gke", "dns"] as const).map((layer) => stackName("pre", layer));
const STACKS = [STORAGE, GKE, VM, DNS];
let world: PipelineWorld;
let operator: OperatorWorkspace;
let listed: ListedJob[];
let refusedPreflight: JobRun;
let seeded: SeededRecord | undefined;
let deployed: Record<string, StackOutputs>;
let drill: DrillResult;
let drift: DriftRun;
let laterDnsPlan: JobRun;
let journeySeconds: number;
let outputs: StackOutputs;
let vm: StackOutputs;
let s3: S3Client;
let ec2: EC2Client;
const clients: S3Client[] = [];
const progress: string[] = [];

/** What the storage checks did and saw, beside the vm steps of the drill (asserted below). */
interface StorageChecks {
  lock: { putVersion?: string; deleteVersion: string; marker?: boolean; versionsLeft?: (string | undefined)[] };
  packages: { Bucket: string; sse?: string }[];
  policiesAfterApply: { Bucket: string; sids: string[]; oai: unknown }[];
  offsiteSidsAfterApply: string[];
  destroy: { code: number; stderr: string };
}
let storage: StorageChecks;

const backupKey = `${env.storage.offsiteBackups.prefix}packagecloud-streamed-database-backup.1.xbstream`;
// What packagecloud's CloudFront setup does to the package buckets ("AWS CloudFront Setup"): an origin access
// identity and its statement in each bucket policy (the replica serves during failover). moto 5.2.1 has no
// origin-access-identity API (its CloudFront backend implements origin access controls only) and does not
// evaluate principals, so the OAI is an example id and the read through CloudFront itself is not exercised;
// PC_S3_CDN_ORIGIN_NOT_KMS and test/constructs/cdn-setup.test.ts cover the rest at synth.
const OAI_PRINCIPAL = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLEOAI";
const packageKey = "pool/main/p/packagecloud-test/packagecloud-test_1.0_amd64.deb";

/**
 * The storage stack's checks that change or deploy it, run beside the other stacks from the moment storage is
 * deployed (nothing else touches it): Object Lock, the CloudFront origins' policy statements through the next
 * deploy (the pipeline's plan and deploy jobs again, as after the next merge), and destroy refused (by hand, in an
 * operator's copy of the synthesized stack). Its clean plan afterwards is the drift job's to show.
 */
async function storageChecks(out: StackOutputs): Promise<StorageChecks> {
  const client = (region: string) => {
    const made = new S3Client({ endpoint: world.emulator.endpoint, region, forcePathStyle: true, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
    clients.push(made);
    return made;
  };
  const main = client(env.aws.region);

  // Object Lock. moto evaluates bucket policies without their conditions, so the TLS-only Deny refuses every
  // object call over the emulator's plain HTTP: remove the policy to reach the lock; the apply below puts it back.
  const offsite = out.offsite_backups_bucket_name;
  await main.send(new DeleteBucketPolicyCommand({ Bucket: offsite }));
  const put = await main.send(new PutObjectCommand({ Bucket: offsite, Key: backupKey, Body: "backup" }));
  const deleteVersion = await main.send(new DeleteObjectCommand({ Bucket: offsite, Key: backupKey, VersionId: put.VersionId })).then(
    () => "deleted",
    (error: Error) => error.message,
  );
  const marker = await main.send(new DeleteObjectCommand({ Bucket: offsite, Key: backupKey }));
  const versions = await main.send(new ListObjectVersionsCommand({ Bucket: offsite, Prefix: backupKey }));
  const lock = { putVersion: put.VersionId, deleteVersion, marker: marker.DeleteMarker, versionsLeft: versions.Versions?.map((v) => v.VersionId) };

  // The CloudFront origins: a package in each, and the application's OAI statement in each policy.
  const packageBuckets = [
    { Bucket: out.packages_bucket_name, s3: main },
    { Bucket: out.replica_bucket_name, s3: client(env.aws.replicaRegion) },
  ];
  const packages: StorageChecks["packages"] = [];
  for (const { Bucket, s3: c } of packageBuckets) {
    const policy = JSON.parse((await c.send(new GetBucketPolicyCommand({ Bucket }))).Policy!);
    await c.send(new DeleteBucketPolicyCommand({ Bucket }));
    await c.send(new PutObjectCommand({ Bucket, Key: packageKey, Body: "package bytes" }));
    packages.push({ Bucket, sse: (await c.send(new HeadObjectCommand({ Bucket, Key: packageKey }))).ServerSideEncryption });
    policy.Statement.push({ Sid: "PackagecloudCloudFrontRead", Effect: "Allow", Principal: { AWS: OAI_PRINCIPAL }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${Bucket}/*` });
    await c.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(policy) }));
  }

  await planAndDeploy(world, STORAGE);
  const statements = async (c: S3Client, Bucket: string) => JSON.parse((await c.send(new GetBucketPolicyCommand({ Bucket }))).Policy!).Statement;
  const policiesAfterApply: StorageChecks["policiesAfterApply"] = [];
  for (const { Bucket, s3: c } of packageBuckets) {
    const kept = await statements(c, Bucket);
    policiesAfterApply.push({ Bucket, sids: kept.map((x: any) => x.Sid), oai: kept[1]?.Principal });
  }
  const offsiteSidsAfterApply = (await statements(main, offsite)).map((x: any) => x.Sid);

  // -refresh=false: the refusal is Terraform's, from the configuration and the state; reading every object
  // again first would add provider work and nothing to the check.
  const destroy = await terraformAsync(["plan", "-destroy", "-refresh=false", "-input=false"], await operator.dir(STORAGE), operator.env(STORAGE));
  return { lock, packages, policiesAfterApply, offsiteSidsAfterApply, destroy };
}

let edits: Map<string, EditPlan | Error>;
let firstDeploy: FirstDeploy;
const runbookRuns: BlockRun[] = [];

beforeAll(async () => {
  const began = Date.now();
  const log = (line: string) => progress.push(`${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s  ${line}`);
  world = await startPipelineWorld("pre", log);
  operator = new OperatorWorkspace(world);
  listed = await world.jobs.list();
  // The dns stack's first plan, run before the record it adopts exists: the pre-flight must stop it. Then the
  // record is seeded, as it exists before the first deploy (emulator/standin/fixtures.ts), and the real plan follows.
  const refused = world.jobs.run(`plan:${DNS}`);
  const seeding = refused.then(() => seedAdoptedRecord(world));
  // docs/first-deploy.md, in its order: the steps before any stack, then each stack by the pipeline's jobs followed by
  // the runbook's "After <layer>" steps (storage, the variant gke, dns; then the vm stack the drill rebuilds).
  firstDeploy = new FirstDeploy(env, path.join(world.scratch, "first-deploy"), { endpoint: world.emulator.endpoint, stateDir: world.stateDir, standins: world.standins });
  runbookRuns.push(...(await firstDeploy.before()));
  const layerOf = (stack: string) => stack.slice("packagecloud-pre-".length) as "storage" | "gke" | "vm" | "dns";
  deployed = await deployStacks(world, {
    beforePlan: async (stack) => {
      if (stack === DNS) await seeding;
    },
    alongsideStorage: async (out) => {
      storage = await storageChecks(out);
    },
    order: [STORAGE, GKE, DNS, VM],
    afterDeploy: async (stack, out) => {
      if (runbookRuns.some((r) => r.code !== 0)) return; // the runbook stops at its first failed step
      runbookRuns.push(...(await firstDeploy.after(layerOf(stack), out, world.standins)));
    },
  });
  refusedPreflight = await refused;
  seeded = await seeding;
  drill = await runDrill(world, deployed, log);
  // The scheduled drift job, and a later plan of the dns stack (as the next merge request runs it), side by side.
  [drift, laterDnsPlan] = await Promise.all([runDriftJob(world), world.jobs.run(`plan:${DNS}`)]);
  journeySeconds = (Date.now() - began) / 1000;
  // The routine edits (test/corpus/routine-edits.ts), each synthesized and planned against this deployment.
  const editsBegan = Date.now();
  edits = await planEdits({ env: "pre", stateDir: world.stateDir, endpoint: world.emulator.endpoint, extraEnv: world.standins.env }, editsFor("pre", ROUTINE_EDITS));
  log(`routine edits planned in ${((Date.now() - editsBegan) / 1000).toFixed(0)} s`);
  // The timings, for docs/speed.md and docs/disaster-recovery.md §6.
  console.log(
    `pre deployed by the pipeline's jobs, drilled and drift-checked in ${journeySeconds.toFixed(0)} s (wall clock):\n${progress.join("\n")}\n\n` +
      `${formatSteps([...world.steps, ...drill.steps])}\n(steps of stacks deployed side by side overlap: the total is not the wall clock)`,
  );
  outputs = deployed[STORAGE];
  vm = drill.vm;
  const client = { endpoint: world.emulator.endpoint, region: env.aws.region, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  s3 = new S3Client({ ...client, forcePathStyle: true });
  ec2 = new EC2Client(client);
}, 1_800_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  s3?.destroy();
  ec2?.destroy();
  await firstDeploy?.stop();
  await world?.cleanup();
}, 300_000);

const run = (job: string): JobRun => {
  const found = world.jobs.runs.filter((r) => r.job === job);
  if (found.length === 0) throw new Error(`${job} never ran`);
  return found[found.length - 1];
};

describe("pre, deployed by the pipeline's own jobs", () => {
  it("is a default-branch pipeline: validate and plan of every stack run, deploys are manual, no drift job", () => {
    const when = Object.fromEntries(listed.map((j) => [j.name, j.when]));
    for (const stack of STACKS) {
      expect([stack, when[`validate:${stack}`], when[`plan:${stack}`], when[`deploy:${stack}`]]).toEqual([stack, "on_success", "on_success", "manual"]);
    }
    expect(when.synth).toBe("on_success");
    expect(when["drift:pre"]).toBe("never");
  });

  it("ran synth, then validate, plan and deploy of every stack, each deploy after its plan and after the stacks it needs; every job passed", () => {
    const order = world.jobs.runs.map((r) => r.job);
    expect(order[0]).toBe("synth");
    const last = (job: string) => order.lastIndexOf(job);
    const first = (job: string) => order.indexOf(job);
    for (const stack of STACKS) {
      expect(first(`validate:${stack}`)).toBeGreaterThan(0);
      expect(first(`deploy:${stack}`)).toBeGreaterThan(first(`validate:${stack}`));
    }
    // The storage stack before vm, gke before dns: each stack's first plan after what it reads was deployed.
    expect(first(`plan:${VM}`)).toBeGreaterThan(first(`deploy:${STORAGE}`));
    expect(order.indexOf(`plan:${DNS}`, first(`deploy:${GKE}`))).toBeGreaterThan(first(`deploy:${GKE}`));
    const failed = world.jobs.runs.filter((r) => r.code !== 0 && r !== refusedPreflight).map((r) => `${r.job} (exit ${r.code}):\n${r.log.slice(-3000)}`);
    expect(failed).toEqual([]);
    expect(last("drift:pre")).toBeGreaterThan(last(`deploy:${VM}`));
  });

  it("gave every job only its image's commands and the tools its before_script installs: no gcloud, kubectl or moto_server", () => {
    for (const r of world.jobs.runs) {
      expect([r.job, r.installs]).toEqual([r.job, r.job === "synth" ? [] : ["terraform"]]);
      const onPath = fs.readdirSync(world.jobs.pathOf(r.job).dir);
      expect(onPath.filter((command) => !imageCommands().has(command) && !r.installs.includes(command))).toEqual([]);
      for (const absent of ["gcloud", "kubectl", "gke-gcloud-auth-plugin", "moto_server", "aws", "rsync", "jq"]) expect(onPath).not.toContain(absent);
      expect(onPath).toEqual(expect.arrayContaining(["bash", "sh", "node", "npm"]));
      expect(r.log).not.toMatch(/command not found/);
    }
  });

  it("passed the synth job's cdktf.out and each plan job's plan.tfplan to the deploy job, as GitLab's artifacts", () => {
    for (const stack of STACKS) {
      expect(fs.existsSync(path.join(world.jobs.artifactsDir("synth"), "cdktf.out", "stacks", stack, "cdk.tf.json"))).toBe(true);
      const plan = path.join(world.jobs.artifactsDir(`plan:${stack}`), "cdktf.out", "stacks", stack);
      expect([stack, fs.existsSync(path.join(plan, "plan.tfplan"))]).toEqual([stack, true]);
      // The lock file of the providers the plan job installed (hashicorp/aws; attached providers are not locked).
      if (stack === STORAGE || stack === VM) expect(fs.readFileSync(path.join(plan, ".terraform.lock.hcl"), "utf8")).toMatch(/provider "registry\.terraform\.io\/hashicorp\/aws"/);
      // operator/ci/terraform.sh refuses to apply without the reviewed plan.tfplan (test/pipeline.test.ts): applying it is the proof it arrived.
      expect(run(`deploy:${stack}`).log).toMatch(/imported artifacts[\s\S]*Apply complete!/);
    }
  });

  it("deployed the protected layers only with CONFIRM_DEPLOY naming them, through the guard against deletes and replacements", () => {
    for (const stack of [STORAGE, GKE]) {
      const deploys = world.jobs.runs.filter((r) => r.job === `deploy:${stack}`);
      for (const d of deploys) {
        expect(d.extra).toEqual({ CONFIRM_DEPLOY: stack });
        expect(d.log).toContain(`${stack}: no deletes, replacements or instance restarts`);
      }
    }
    for (const stack of [VM, DNS]) expect(run(`deploy:${stack}`).extra).toEqual({});
  });

  it("stopped the dns stack's first plan at the DNS pre-flight while the record it adopts did not exist: no plan was made", () => {
    expect(refusedPreflight.code).not.toBe(0);
    expect(refusedPreflight.log).toMatch(/REFUSED: pre: packages\.pre\.gke\.gitlab\.net in Cloud DNS zone pre-gke-gitlab-net: no record found, but adopt\.dnsRecord is configured/);
    expect(refusedPreflight.log).toMatch(/the DNS pre-flight refused or failed \(exit 2\): no plan for the first apply of packagecloud-pre-dns/);
    // The plan job prints GitLab's Terraform report after a plan: there is none.
    expect(refusedPreflight.log).not.toMatch(/\{"create":\d+,"update":\d+,"delete":\d+\}/);
  });

  it("ran the DNS pre-flight again on the seeded record, through the Cloud DNS API with a token from the job's own Google credentials, and planned", () => {
    expect(seeded?.type).toBe("google_dns_record_set");
    const planRuns = world.jobs.runs.filter((r) => r.job === `plan:${DNS}`);
    const firstApplyPlan = planRuns.find((r) => r !== refusedPreflight && r !== laterDnsPlan)!;
    expect(firstApplyPlan.log).toMatch(new RegExp(`ok: pre: packages\\.pre\\.gke\\.gitlab\\.net in Cloud DNS zone pre-gke-gitlab-net: exactly one A record \\(A ${OLD_RECORD_ADDRESS.replace(/\./g, "\\.")}\\)`));
    expect(firstApplyPlan.log).toMatch(/\{"create":\d+,"update":\d+,"delete":\d+\}/);
    // The model saw, for each pre-flight, a token made from the service account key, then the list of record sets.
    const rrsets = `/dns/v1/projects/${env.gcp.project}/managedZones/${env.dns.provider === "cloud-dns" ? env.dns.managedZone : ""}/rrsets`;
    expect(world.googleApis!.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(Array(2).fill([`POST /token 200`, `GET ${rrsets} 200`]).flat());
  });

  it("skips the pre-flight in the dns stack's later plans: it guards the first apply only", () => {
    expect(laterDnsPlan.code).toBe(0);
    expect(laterDnsPlan.log).toMatch(/packagecloud-pre-dns holds \d+ resources: not its first apply, no DNS pre-flight/);
    expect(laterDnsPlan.log).not.toMatch(/dns:preflight/);
  });

  it("made the database admin's password in Terraform: the user and the secret got the same value, which no job's log, plan file or state holds", async () => {
    const received = (await world.standins.writeOnly()).filter((w) => w.refs.some((r) => r.includes(`packagecloud-${env.name}-`)));
    expect(received.map((w) => `${w.type}.${w.attribute}`).sort()).toEqual(["google_secret_manager_secret_version.secret_data_wo", "google_sql_user.password_wo"]);
    expect(new Set(received.map((w) => w.value)).size).toBe(1);
    const generated = (await world.standins.ephemeralOpened()).map((o) => o.result as string);
    expect(generated).toContain(received[0].value);
    const planFile = zipEntries(fs.readFileSync(path.join(world.jobs.artifactsDir(`plan:${GKE}`), "cdktf.out", "stacks", GKE, "plan.tfplan")));
    const haystacks: Record<string, string> = {
      ...Object.fromEntries(planFile.map((e) => [`plan file ${e.name}`, e.data.toString("latin1")])),
      state: fs.readFileSync(path.join(world.stateDir, `${GKE}.tfstate`), "utf8"),
      ...Object.fromEntries(world.jobs.runs.map((r, i) => [`log of ${r.job} (#${i})`, r.log])),
    };
    // The search finds what is there: the secret's name is in the plan file's plan and in the state.
    expect(Object.keys(haystacks).filter((k) => haystacks[k].includes(adminSecretId("pre")))).toEqual(expect.arrayContaining(["plan file tfplan", "state"]));
    // The plan job, the deploy job and the drift job's plan each made one.
    expect(generated.length).toBeGreaterThanOrEqual(3);
    for (const value of generated) expect(Object.keys(haystacks).filter((k) => haystacks[k].includes(value))).toEqual([]);
  });

  it("ended with the scheduled drift job finding every stack of pre clean, after the rebuild", () => {
    expect({ code: drift.run.code, status: drift.report.status }).toEqual({ code: 0, status: "clean" });
    expect(drift.report.stacks.map((s: any) => [s.stack, s.status]).sort()).toEqual(STACKS.map((stack) => [stack, "clean"]).sort());
  });

  it("fails a job whose script calls a command the image lacks (gcloud), with the same runner and PATH", async () => {
    // The check can fail: a pipeline of one job that installs Terraform as the real ones do, then calls gcloud.
    const file = path.join(".gitlab-ci-local", `probe-${process.pid}.yml`);
    fs.writeFileSync(
      path.join(world.jobs.options.root, file),
      "probe:\n  before_script:\n    - bash operator/ci/install-tools-ci.sh terraform\n  script:\n    - terraform version\n    - gcloud secrets versions access latest --secret=packagecloud-pre-sql-admin\n",
    );
    const probe = new PipelineJobs({ ...world.jobs.options, file, stateDir: `${world.jobs.options.stateDir}-probe`, variables: world.jobs.projectVariables() });
    try {
      const result = await probe.run("probe");
      expect(result.code).not.toBe(0);
      expect(result.log).toMatch(/Terraform v1\.11\.4/);
      expect(result.log).toMatch(/gcloud: command not found/);
    } finally {
      await probe.cleanup();
      fs.rmSync(path.join(world.jobs.options.root, file), { force: true });
    }
  }, 120_000);
});

describe(`${STACK} in the emulator`, () => {
  it("outputs the configured bucket names", () => {
    expect(outputs.packages_bucket_name).toBe(env.storage.packages.bucketName);
    expect(outputs.replica_bucket_name).toBe(env.storage.packages.replicaBucketName);
    expect(outputs.offsite_backups_bucket_name).toBe(env.storage.offsiteBackups.bucketName);
    expect(outputs.daily_backups_bucket_name).toBe(env.storage.dailyBackups.bucketName);
  });

  it("versions, encrypts (KMS; SSE-S3 for the CloudFront-served package buckets) and blocks public access on every bucket", async () => {
    const cdnOrigins = [outputs.packages_bucket_name, outputs.replica_bucket_name];
    for (const Bucket of [outputs.packages_bucket_name, outputs.replica_bucket_name, outputs.offsite_backups_bucket_name, outputs.daily_backups_bucket_name]) {
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe("Enabled");
      const sse = (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0];
      expect(sse?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe(cdnOrigins.includes(Bucket) ? "AES256" : "aws:kms");
      expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it("locks offsite backups in the configured mode and period", async () => {
    const lock = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: outputs.offsite_backups_bucket_name }));
    expect(lock.ObjectLockConfiguration).toMatchObject({
      ObjectLockEnabled: "Enabled",
      Rule: { DefaultRetention: { Mode: env.storage.offsiteBackups.objectLock.mode, Days: env.storage.offsiteBackups.objectLock.days } },
    });
  });

  it("replicates the package bucket to the replica with the replication role", async () => {
    const config = (await s3.send(new GetBucketReplicationCommand({ Bucket: outputs.packages_bucket_name }))).ReplicationConfiguration;
    expect(config?.Role).toBe(outputs.replication_role_arn);
    expect(config?.Rules).toHaveLength(1);
    expect(config?.Rules?.[0]).toMatchObject({
      Status: "Enabled",
      DeleteMarkerReplication: { Status: "Disabled" },
      Destination: expect.objectContaining({ Bucket: outputs.replica_bucket_arn }),
    });
  });

  it("refuses to delete a locked backup version; a delete without a version only adds a delete marker", () => {
    expect(storage.lock.putVersion).toBeTruthy();
    expect(storage.lock.deleteVersion).toMatch(/Access Denied/);
    expect(storage.lock.marker).toBe(true);
    expect(storage.lock.versionsLeft).toEqual([storage.lock.putVersion]);
  });

  it("stores packages SSE-S3 in both package buckets and keeps the application's OAI statement through the next apply; every other policy is restored", () => {
    expect(storage.packages).toEqual([
      { Bucket: outputs.packages_bucket_name, sse: "AES256" },
      { Bucket: outputs.replica_bucket_name, sse: "AES256" },
    ]);
    expect(storage.policiesAfterApply).toEqual(
      [outputs.packages_bucket_name, outputs.replica_bucket_name].map((Bucket) => ({ Bucket, sids: ["DenyInsecureTransport", "PackagecloudCloudFrontRead"], oai: { AWS: OAI_PRINCIPAL } })),
    );
    // The offsite bucket's policy, removed to reach Object Lock, is back.
    expect(storage.offsiteSidsAfterApply).toEqual(["DenyInsecureTransport"]);
  });

  it("shows no changes on the next plan (the drift job's, after the next deploy)", () => {
    const report = drift.report.stacks.find((x: any) => x.stack === STACK);
    expect({ status: report.status, drift: report.drift, pending: report.pending }).toEqual({ status: "clean", drift: [], pending: [] });
  });

  it("refuses to destroy the protected buckets", () => {
    expect(storage.destroy.code).not.toBe(0);
    const stderr = storage.destroy.stderr.replace(/\s+/g, " "); // Terraform wraps its messages
    expect(stderr).toMatch(/Instance cannot be destroyed/);
    for (const bucket of ["packages_source", "packages_replica", "offsite_backups_bucket", "daily_backups_bucket"]) {
      expect(stderr).toMatch(new RegExp(`aws_s3_bucket\\.${bucket} has lifecycle\\.prevent_destroy set`));
    }
  });
});

describe("after losing the instance", () => {
  it("rebuilds it as a new instance with the pipeline's plan and deploy jobs of the vm stack", () => {
    const jobs = world.jobs.runs.map((r) => r.job);
    expect(jobs.filter((j) => j === `deploy:${VM}`)).toHaveLength(2);
    expect(drill.rebuiltInstanceId).toMatch(/^i-/);
    expect(drill.rebuiltInstanceId).not.toBe(drill.lostInstanceId);
  });

  it("keeps the data volume and attaches it to the rebuilt instance", () => {
    expect(drill.dataVolumeId).toBe(deployed[VM].data_volume_id);
    expect(drill.dataVolumeAttachedTo).toBe(drill.rebuiltInstanceId);
  });

  it("keeps every bucket", () => {
    expect(Object.values(drill.bucketsAfterRebuild)).toEqual([true, true, true, true]);
  });

  it("ends with a plan that shows no changes (the drift job's)", () => {
    expect(drift.report.stacks.find((x: any) => x.stack === VM)).toMatchObject({ status: "clean", drift: [], pending: [] });
  });
});

describe("packagecloud-pre-vm as rebuilt", () => {
  it("runs the configured instance type and AMI, IMDSv2 only, EBS-optimized, with the instance profile", async () => {
    const reservations = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [vm.instance_id] }))).Reservations ?? [];
    const instance = reservations[0]?.Instances?.[0];
    expect(instance).toMatchObject({
      InstanceType: env.vm.instanceType,
      ImageId: env.vm.amiId,
      EbsOptimized: true,
      SubnetId: vm.subnet_id,
      Placement: expect.objectContaining({ AvailabilityZone: env.vm.availabilityZone }),
      MetadataOptions: expect.objectContaining({ HttpTokens: "required", HttpPutResponseHopLimit: 1 }),
    });
    expect(instance?.IamInstanceProfile?.Arn).toMatch(/instance-profile\/packagecloud-pre-vm$/);
    const termination = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: vm.instance_id, Attribute: "disableApiTermination" }));
    expect(termination.DisableApiTermination?.Value).toBe(env.vm.terminationProtection);
  });

  it("boots with the stable bootstrap (EC2 decodes it as sent); the bundle in S3 names the real data volume", async () => {
    const attribute = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: vm.instance_id, Attribute: "userData" }));
    const gzipped = Buffer.from(attribute.UserData?.Value ?? "", "base64");
    expect(gzipped.length).toBeLessThan(16 * 1024); // RunInstances: "User data is limited to 16 KB" (before base64)
    expect(gunzipSync(gzipped).toString("utf8")).toBe(bootstrapCloudConfig({ bucket: vm.config_bucket_name, key: VM_CONFIG_KEY, region: env.aws.region }));
    const body = await (await s3.send(new GetObjectCommand({ Bucket: vm.config_bucket_name, Key: VM_CONFIG_KEY }))).Body!.transformToString();
    expect(body).toBe(bundleJson(bundleFor(vm.data_volume_id, vmFirstBootExtension(env))));
  });

  it("attaches the encrypted 2 TB gp2 data volume in the instance's zone as /dev/sdf", async () => {
    const volume = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [vm.data_volume_id] }))).Volumes?.[0];
    expect(volume).toMatchObject({
      Size: env.vm.dataVolumeGiB,
      VolumeType: "gp2",
      Encrypted: true,
      KmsKeyId: vm.disk_key_arn,
      AvailabilityZone: env.vm.availabilityZone,
    });
    expect(volume?.Attachments).toEqual([expect.objectContaining({ InstanceId: vm.instance_id, Device: "/dev/sdf", State: "attached" })]);
  });

  it("publishes the instance at its Elastic IP, on the interface it booted with", async () => {
    const instance = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [vm.instance_id] }))).Reservations?.[0]?.Instances?.[0];
    const primary = instance?.NetworkInterfaces?.find((n) => n.Attachment?.DeviceIndex === 0)?.NetworkInterfaceId;
    expect(primary).toMatch(/^eni-/);
    // The address is associated with the interface (AWS also reports the instance then; moto reports the interface only).
    const addresses = (await ec2.send(new DescribeAddressesCommand({ PublicIps: [vm.public_ip] }))).Addresses ?? [];
    expect(addresses).toEqual([expect.objectContaining({ NetworkInterfaceId: primary, Domain: "vpc" })]);
  });

  it("opens 80/443 to the world, 22 to admins, the exporters to Prometheus, each rule described", async () => {
    const rules =
      (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [vm.security_group_id] }] }))).SecurityGroupRules ?? [];
    const ingress = rules.filter((r) => !r.IsEgress);
    const sources = (port: number) => ingress.filter((r) => r.FromPort === port).map((r) => r.CidrIpv4 ?? r.CidrIpv6).sort();
    expect(sources(80)).toEqual(["0.0.0.0/0", "::/0"]);
    expect(sources(443)).toEqual(["0.0.0.0/0", "::/0"]);
    expect(sources(22)).toEqual([...env.network.adminCidrs].sort());
    for (const port of Object.values(EXPORTER_PORTS)) expect(sources(port)).toEqual([...env.network.prometheusCidrs].sort());
    expect(ingress).toHaveLength(4 + env.network.adminCidrs.length + Object.keys(EXPORTER_PORTS).length * env.network.prometheusCidrs.length);
    for (const rule of rules) expect(rule.Description).toMatch(/\S/);
    expect(rules.filter((r) => r.IsEgress).map((r) => r.FromPort).sort()).toEqual([443, 443, 80, 80]);
  });

  it("refuses to destroy the data volume", async () => {
    const destroy = await terraformAsync(["plan", "-destroy", "-refresh=false", "-input=false", "-target=aws_ebs_volume.vm_data_volume"], await operator.dir(VM), operator.env(VM));
    expect(destroy.code).not.toBe(0);
    expect(destroy.stderr.replace(/\s+/g, " ")).toMatch(/aws_ebs_volume\.vm_data_volume has lifecycle\.prevent_destroy set/);
  }, 300_000);
});

/** The pre VM's bundle, as vm-stack.ts builds it, for a given volume id and backup extension. */
function bundleFor(volumeId: string, extension: ReturnType<typeof vmFirstBootExtension>) {
  return vmConfigBundle({
    location: { bucket: vm.config_bucket_name, key: VM_CONFIG_KEY, region: env.aws.region },
    dataDisk: { volumeId, mountPoint: DATA_MOUNT_POINT },
    apt: env.vm.packagecloudApt,
    networkWait: defaultNetworkWait(env.vm.packagecloudApt),
    extensions: [extension],
    secrets: [
      { parameter: vmSecretParameter("pre", "apt-auth"), path: APT_AUTH_FILE, owner: "root:root", permissions: "0600" },
      { parameter: vmSecretParameter("pre", "packagecloud-rb"), path: PACKAGECLOUD_CONFIG_FILE, owner: "root:root", permissions: "0600" },
      { parameter: vmSecretParameter("pre", "age-identity"), path: VM_AGE_IDENTITY_FILE, owner: "root:root", permissions: "0400" },
    ],
  });
}

/** The VM's agent, run here against the emulator with a root prefix: what the VM would write, and run. */
function runAgent(root: string, state: string): { code: number; commands: string[]; stderr: string } {
  const run = spawnSync("python3", [SYNC_AGENT_SOURCE, "--bucket", vm.config_bucket_name, "--key", VM_CONFIG_KEY, "--region", env.aws.region, "--root", root, "--state", state, "--commands", "print"], {
    encoding: "utf8",
    env: { ...process.env, AWS_ENDPOINT_URL: world.emulator.endpoint, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" },
  });
  return { code: run.status ?? 1, commands: run.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l).id), stderr: run.stderr };
}

describe("a changed backup script on the running pre VM", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-vm-root-"));
  const state = path.join(root, "var/lib/packagecloud-config");
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("reaches the VM through the bundle, plans no instance change, and leaves the instance running as it was", async () => {
    const dir = await operator.dir(VM);
    const tfEnv = operator.env(VM);
    const describe = async () => (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [vm.instance_id] }))).Reservations?.[0]?.Instances?.[0];
    const before = await describe();

    // The agent's first run: every file, every command due. The runbook's "After vm" step put the VM's secrets into
    // Parameter Store, so the agent writes them where packagecloud reads them and the install runs too.
    const first = runAgent(root, state);
    expect(`${first.code} ${first.stderr}`).toMatch(/^0 /);
    expect(first.commands).toEqual(expect.arrayContaining(["data-disk", "packages", "packagecloud"]));
    expect(fs.readFileSync(path.join(root, APT_AUTH_FILE), "utf8").trim()).toBe(OPERATOR_FILES["apt-auth.conf"].trim());
    expect(fs.statSync(path.join(root, APT_AUTH_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(root, VM_AGE_IDENTITY_FILE), "utf8")).toMatch(/^AGE-SECRET-KEY-1/m);
    expect(fs.statSync(path.join(root, VM_AGE_IDENTITY_FILE)).mode & 0o777).toBe(0o400);
    const script = (p: string) => fs.readFileSync(path.join(root, p), "utf8");
    const original = vmFirstBootExtension(env);
    expect(script(BACKUP_SCRIPT_PATH)).toBe(original.writeFiles.find((f) => f.path === BACKUP_SCRIPT_PATH)!.content);

    // The change: the backup script gains a line, as any fix to it would. Written into the synthesized stack as the
    // bundle cdktf would write (the volume id as its value; HCL's template escapes in the literal).
    const changed = { ...original, writeFiles: original.writeFiles.map((f) => (f.path === BACKUP_SCRIPT_PATH ? { ...f, content: `${f.content}# changed by the emulator test\n` } : f)) };
    const stackFile = path.join(dir, "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(stackFile, "utf8"));
    json.resource.aws_s3_object.vm_config_bundle.content = bundleJson(bundleFor(vm.data_volume_id, changed)).replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
    fs.writeFileSync(stackFile, JSON.stringify(json, null, 2));

    terraformOk(["plan", "-input=false", "-out=change.tfplan"], dir, tfEnv);
    const plan = JSON.parse(terraformOk(["show", "-json", "change.tfplan"], dir, tfEnv).stdout);
    const changes = plan.resource_changes.filter((c: any) => !c.change.actions.every((a: string) => a === "no-op" || a === "read"));
    expect(changes.map((c: any) => `${c.address}: ${c.change.actions.join(",")}`)).toEqual(["aws_s3_object.vm_config_bundle: update"]);
    terraformOk(["apply", "-input=false", "change.tfplan"], dir, tfEnv);

    const after = await describe();
    expect({ id: after?.InstanceId, state: after?.State?.Name, launched: after?.LaunchTime }).toEqual({ id: before?.InstanceId, state: "running", launched: before?.LaunchTime });
    // Where the VM reads it: the bundle in S3, and the file the agent writes from it at its next run.
    const second = runAgent(root, state);
    expect(script(BACKUP_SCRIPT_PATH)).toMatch(/# changed by the emulator test\n$/);
    // Only the commands whose inputs changed run again (the backup units' reload), and the data disk, which runs
    // every time (it mounts a restored disk and grows a grown one); never the agent's units or the packages.
    expect(second.commands).not.toContain("config-sync-units");
    expect(second.commands).not.toContain("packages");
    expect(second.commands).toEqual(expect.arrayContaining([expect.stringMatching(/^extension-/)]));
  }, 600_000);
});

describe("routine edits planned against pre's deployment (issue 28 §2): the pipeline's guard passes each, and each changes exactly what it names", () => {
  it.each(editsFor("pre", ROUTINE_EDITS).map((edit) => [edit.name, edit] as const))("%s", (name) => {
    expect(problemsOf(edits.get(name))).toEqual([]);
  });
});

/**
 * docs/first-deploy.md, run in its order on this deployment (test/support/first-deploy.ts says which tools are real
 * and which are models: gcloud, kubectl and dig are; the API server is a ledger that refuses what it refuses).
 */
describe("docs/first-deploy.md, followed in order on pre (issue 27 §2)", () => {
  const blocks = runbookBlocks(fs.readFileSync(RUNBOOK, "utf8"));
  const label = (b: (typeof blocks)[number]) => `${b.section}${b.subsection ? ` › ${b.subsection}` : ""}, line ${b.line}`;

  it.each(blocks.map((b) => [label(b), b.line] as const))("runs the block of %s to the end", (_label, line) => {
    const run = runbookRuns.find((r) => r.block.line === line);
    if (run && run.code !== 0) throw new Error(`exit ${run.code}:\n${run.script}\n--- stdout\n${run.stdout.slice(-3000)}\n--- stderr\n${run.stderr.slice(-3000)}`);
    expect(run ? `${run.code}` : "never ran (an earlier block failed, or the deployment stopped before it)").toBe("0");
  });

  it("leaves no block unrun and skips only the lines listed with their reasons", () => {
    expect(firstDeploy.runbook.unaccounted()).toEqual([]);
    expect(SKIPS.every((s) => s.why.length > 0)).toBe(true);
  });

  it("creates every Kubernetes object a step needs before the step: the model API server refused nothing", () => {
    const ledger = JSON.parse(fs.readFileSync(firstDeploy.ledgerFile, "utf8"));
    expect(ledger.refusals).toEqual([]);
    expect(ledger.namespaces).toEqual(expect.arrayContaining(["packagecloud", "monitoring"]));
    expect(Object.keys(ledger.objects)).toEqual(expect.arrayContaining(["Secret/packagecloud/packagecloud-backup-age-identity", "Secret/packagecloud/packagecloud-sql-admin"]));
  });

  it("runs the first backup and the first verification by hand before any schedule, each Job completing (its pods found their ServiceAccount and Secrets)", () => {
    const ledger = JSON.parse(fs.readFileSync(firstDeploy.ledgerFile, "utf8"));
    for (const job of ["packagecloud-offsite-backup-first", "packagecloud-restore-verify-first"]) expect(ledger.jobs[`Job/packagecloud/${job}`]).toMatchObject({ complete: true });
  });

  it("grants the database users through the grants Job, logged in with the password Terraform made, carried from Secret Manager into the Job's Secret", () => {
    expect(firstDeploy.grantsOf(appDatabaseUser(env))).toContain(`GRANT ALL PRIVILEGES ON \`packagecloud\`.* TO \`${appDatabaseUser(env)}\`@\`%\``);
    expect(firstDeploy.grantsOf(backupDatabaseUser(env))).toContain(`GRANT SELECT, SHOW VIEW, TRIGGER ON \`packagecloud\`.* TO \`${backupDatabaseUser(env)}\`@\`%\``);
  });

  it("puts the VM's secrets where the VM reads them: SSM parameters, the age identity straight from Secret Manager", () => {
    const get = (name: string) => {
      const result = spawnSync("aws", ["ssm", "get-parameter", "--name", `/packagecloud/pre/vm/${name}`, "--with-decryption", "--output", "json"], {
        encoding: "utf8",
        env: { ...process.env, AWS_ENDPOINT_URL: world.emulator.endpoint, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_DEFAULT_REGION: env.aws.region },
      });
      if (result.status !== 0) throw new Error(`aws ssm get-parameter ${name}: ${result.stderr}`);
      return JSON.parse(result.stdout).Parameter as { Type: string; Value: string };
    };
    for (const name of ["apt-auth", "packagecloud-rb", "age-identity"]) expect(get(name).Type).toBe("SecureString");
    expect(get("age-identity").Value).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]+/m);
  });
});
