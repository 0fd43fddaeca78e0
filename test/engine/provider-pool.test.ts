/**
 * The AWS provider pool (scripts/lib/provider-pool) that the other engine tests' Terraform commands attach to:
 * the real provider binary, shared start-up only. A stack with two provider configurations (two regions, as the
 * storage and vm stacks have) is applied through a pool of its own into a moto_server of its own, with
 * AWS_CA_BUNDLE set as on this machine; then planned through the pool and with Terraform launching the provider
 * itself: both say no changes, so the pool's result is Terraform's own. Processes are reused, and a provider
 * process that dies is replaced.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../scripts/lib/moto";
import { startProviderPool, type ProviderPool } from "../../scripts/lib/provider-pool";
import { terraform, terraformEnv, terraformOk } from "../../scripts/lib/terraform";

let emulator: Emulator;
let pool: ProviderPool;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "provider-pool-test-"));
let plain: NodeJS.ProcessEnv;
let pooled: NodeJS.ProcessEnv;

function stack(endpoint: string): unknown {
  const provider = (region: string, alias?: string) => ({
    ...(alias ? { alias } : {}),
    region,
    access_key: "testing",
    secret_key: "testing",
    s3_use_path_style: true,
    skip_credentials_validation: true,
    skip_metadata_api_check: "true",
    endpoints: [{ s3: endpoint, sts: endpoint }],
  });
  return {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } },
    provider: { aws: [provider("us-west-1"), provider("eu-central-1", "replica")] },
    resource: {
      aws_s3_bucket: {
        source: { bucket: "pool-test-source" },
        replica: { provider: "aws.replica", bucket: "pool-test-replica" },
      },
      aws_s3_bucket_versioning: {
        replica: { provider: "aws.replica", bucket: "${aws_s3_bucket.replica.id}", versioning_configuration: { status: "Enabled" } },
      },
    },
  };
}

beforeAll(async () => {
  emulator = await startEmulator();
  fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(stack(emulator.endpoint), null, 2));
  // As on this machine: the pool must survive a CA bundle in its environment (a second ConfigureProvider in one
  // process fails with it).
  const caBundle = process.env.AWS_CA_BUNDLE;
  process.env.AWS_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
  try {
    pool = (await startProviderPool({ maxIdle: 4 }, { ...process.env, PACKAGECLOUD_PROVIDER_POOL: "" }))!;
  } finally {
    if (caBundle === undefined) delete process.env.AWS_CA_BUNDLE;
    else process.env.AWS_CA_BUNDLE = caBundle;
  }
  if (!pool) throw new Error("the provider pool needs hashicorp/aws 5.100.0 in the local mirror (/opt/tf-plugins or PACKAGECLOUD_TF_MIRROR)");
  const { TF_REATTACH_PROVIDERS: _inherited, ...env } = terraformEnv();
  plain = env;
  pooled = { ...env, ...pool.env };
  terraformOk(["init", "-input=false"], dir, plain);
}, 120_000);

afterAll(async () => {
  await pool?.stop();
  await emulator?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("Terraform through the provider pool", () => {
  it("applies a stack with two provider configurations", () => {
    const apply = terraform(["apply", "-auto-approve", "-input=false"], dir, pooled);
    expect({ code: apply.code, stderr: apply.stderr }).toEqual({ code: 0, stderr: "" });
    expect(apply.stdout).toMatch(/Apply complete! Resources: 3 added, 0 changed, 0 destroyed/);
  }, 300_000);

  it("plans no changes after it, through the pool and with Terraform launching the provider itself", () => {
    const viaPool = terraform(["plan", "-detailed-exitcode", "-input=false"], dir, pooled);
    const launched = terraform(["plan", "-detailed-exitcode", "-input=false"], dir, plain);
    expect([viaPool.code, launched.code, viaPool.stderr, launched.stderr]).toEqual([0, 0, "", ""]);
  }, 300_000);

  it("serves every provider instance with a process of its own, reusing processes across commands", () => {
    const stats = pool.stats();
    // An apply opens 7 instances (schema, then validate, plan and apply for each of the two configurations), a
    // plan 5: 12 or more, served by fewer processes than that.
    expect(stats.leases).toBeGreaterThanOrEqual(12);
    expect(stats.started).toBeLessThan(stats.leases);
    expect(stats.crashed).toBe(0);
  });

  it("replaces a provider process that died while it waited", async () => {
    const [victim] = pool.stats().idlePids;
    expect(victim).toBeGreaterThan(0);
    process.kill(victim, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 200));
    const plan = terraform(["plan", "-detailed-exitcode", "-input=false"], dir, pooled);
    expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: "" });
    expect(pool.stats().crashed).toBe(1);
    expect(fs.readFileSync(pool.logFile, "utf8")).toMatch(new RegExp(`provider process ${victim} exited \\(SIGKILL\\)`));
  }, 300_000);
});
