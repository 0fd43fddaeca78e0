/**
 * This repository's placeholder values cannot reach a real deployment: they are marked in the configuration,
 * every stack of the real target carries a guard naming them, and the pipeline's plan and deploy refuse them
 * before `terraform init`. Synth and the emulator target are unaffected.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { loadEnvironments, parseEnvironments, placeholder, placeholderFields, type EnvironmentConfig } from "../config";
import { ENVIRONMENTS } from "../config/environments";
import { buildApp } from "../stacks/app";
import { PackagecloudStack } from "../stacks/base-stack";
import type { DeployTarget } from "../stacks/target";

const ROOT = path.resolve(__dirname, "..");
const BACKUP_FIELDS = [
  "backupJob.ageRecipient",
  "backupJob.kubernetes.images.backup",
  "backupJob.kubernetes.images.scratchMysql",
  "backupJob.kubernetes.images.cloudSqlProxy",
  "backupJob.kubernetes.images.pushgateway",
];
// The first offsite backup's due date: the day of the first deploy decides it (docs/first-deploy.md, §2).
const DUE = "monitoring.offsiteBackups.firstBackupDueBy";
// The CloudFront setup's names, recorded from CloudTrail of its first run in pre (docs/storage.md).
const CDN_FIELDS = ["application.edgeLambdaRoleName", "application.cdnSetup.keyAlias"];
const PRE_FIELDS = ["aws.accountId", ...CDN_FIELDS, "network.prometheusCidrs.0", "vm.amiId", "vm.packagecloudApt.version", DUE, "monitoring.cloudSqlBackups.firstBackupDueBy", "monitoring.notifications.gcpChannels.0", ...BACKUP_FIELDS];
const OPS_FIELDS = ["aws.accountId", ...CDN_FIELDS, "network.prometheusCidrs.0", "network.prometheusCidrs.1", "vm.amiId", "vm.packagecloudApt.version", "dns.zoneId", DUE, "monitoring.cloudSqlBackups.firstBackupDueBy", "monitoring.notifications.gcpChannels.0", ...BACKUP_FIELDS, "adopt.dnsRecord.cloudflareRecordId"];

/** Every stack of the app, synthesized (validations on), keyed by stack name. */
function synthApp(environments: Record<string, EnvironmentConfig>, target: DeployTarget): Record<string, any> {
  const app = Testing.app();
  buildApp(app, { environments: environments as any, target });
  const stacks = app.node.children.filter((c): c is PackagecloudStack => c instanceof PackagecloudStack);
  return Object.fromEntries(stacks.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack, true))]));
}

/** The environments with every placeholder replaced by a value nobody marked. */
function realEnvironments(): Record<string, EnvironmentConfig> {
  const real = structuredClone(ENVIRONMENTS) as any;
  real.pre.aws.accountId = "111111111111";
  real.ops.aws.accountId = "222222222222";
  real.pre.vm.amiId = "ami-0123456789abcdef0";
  real.ops.vm.amiId = "ami-0fedcba9876543210";
  real.pre.vm.packagecloudApt.version = "2.0.4";
  real.ops.vm.packagecloudApt.version = "2.0.4-1";
  real.ops.dns.zoneId = "00112233445566778899aabbccddeeff";
  real.pre.monitoring.notifications.gcpChannels = ["projects/gitlab-pre/notificationChannels/42"];
  real.ops.monitoring.notifications.gcpChannels = ["projects/gitlab-ops/notificationChannels/43"];
  real.pre.network.prometheusCidrs = ["198.51.100.10/32"];
  real.ops.network.prometheusCidrs = ["198.51.100.20/32", "198.51.100.21/32"];
  real.ops.adopt.dnsRecord.cloudflareRecordId = "ffeeddccbbaa99887766554433221100";
  for (const env of [real.pre, real.ops]) {
    env.application.edgeLambdaRoleName = `packagecloud-${env.name}-edge-role-recorded`;
    env.application.cdnSetup = { region: "us-east-1", keyAlias: "packagecloud-edge-recorded" };
    // Two X25519 keys with valid Bech32 checksums (config/backup-job-checks.ts), one per environment.
    env.backupJob.ageRecipient = env.name === "pre" ? "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqpqm9n04y" : "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqzq2tzggw";
    env.backupJob.kubernetes.images.backup = `registry.example.com/backup@sha256:${"ab".repeat(32)}`;
    env.backupJob.kubernetes.images.scratchMysql = `registry.example.com/mysql@sha256:${"cd".repeat(32)}`;
    env.backupJob.kubernetes.images.cloudSqlProxy = `registry.example.com/cloud-sql-proxy@sha256:${"ef".repeat(32)}`;
    env.backupJob.kubernetes.images.pushgateway = `registry.example.com/pushgateway@sha256:${"12".repeat(32)}`;
    env.monitoring.offsiteBackups.firstBackupDueBy = env.name === "pre" ? "2027-03-01" : "2027-03-15";
    env.monitoring.cloudSqlBackups.firstBackupDueBy = env.name === "pre" ? "2027-03-02" : "2027-03-16";
  }
  return parseEnvironments(real);
}

describe("placeholder values in config/environments.ts", () => {
  const envs = loadEnvironments();

  it("are marked: account ids, AMI ids, the Cloudflare zone id, notification channels, backup keys and images", () => {
    expect(placeholderFields(envs.pre)).toEqual(PRE_FIELDS);
    expect(placeholderFields(envs.ops)).toEqual(OPS_FIELDS);
  });

  it("are found in raw and validated configuration alike, by path", () => {
    expect(placeholderFields(ENVIRONMENTS.ops)).toEqual(OPS_FIELDS);
    expect(placeholderFields({ a: [{ b: placeholder("stand-in-value") }], c: "stand-in-value-2" })).toEqual(["a.0.b"]);
  });

  it("are tracked where they were written: a string marked in ops is not flagged where pre uses it for real", () => {
    const pre = structuredClone(ENVIRONMENTS.pre) as any;
    pre.aws.accountId = ENVIRONMENTS.ops.aws.accountId; // one AWS account for both
    pre.vm.amiId = ENVIRONMENTS.ops.vm.amiId;
    pre.application.edgeFunctionPrefix = "packagecloud_pre_cloudfront_auth";
    // One account, one alias namespace per region: pre's setup key gets an alias of its own (a real value here).
    pre.application.cdnSetup.keyAlias = "packagecloud_pre_cloudfront_auth_key";
    expect(placeholderFields(pre)).toEqual(PRE_FIELDS.filter((f) => f !== "aws.accountId" && f !== "vm.amiId" && f !== "application.cdnSetup.keyAlias"));
    expect(placeholderFields(ENVIRONMENTS.ops)).toEqual(OPS_FIELDS);
    const both = parseEnvironments({ ...ENVIRONMENTS, pre });
    expect(placeholderFields(both.pre)).not.toContain("aws.accountId");
    expect(placeholderFields(both.ops)).toContain("aws.accountId");
  });

  it("disappear once replaced", () => {
    const real = realEnvironments();
    expect(placeholderFields(real.pre)).toEqual([]);
    expect(placeholderFields(real.ops)).toEqual([]);
  });
});

describe("the real target's stacks", () => {
  const stacks = synthApp(loadEnvironments(), { kind: "aws", remoteState: true });

  it.each(Object.keys(stacks))("%s refuses plan and apply while its environment holds placeholders, naming each field", (name) => {
    const fields = name.includes("-ops-") ? OPS_FIELDS : PRE_FIELDS;
    const json = stacks[name];
    expect(json.locals.placeholder_fields).toEqual(fields);
    const [precondition] = json.output.placeholder_guard.precondition;
    expect(precondition.condition).toBe('${length(local.placeholder_fields) == 0 || plantimestamp() == ""}');
    expect(precondition.error_message).toBe(
      `${name}: environment ${name.split("-")[1]} still holds this repository's placeholder values in ${fields.join(", ")}. ` +
        "Replace each with the real value in config/environments.ts (and drop its placeholder(...) marker) before planning against the real target.",
    );
  });

  it("carry no guard once every placeholder is replaced", () => {
    for (const json of Object.values(synthApp(realEnvironments(), { kind: "aws", remoteState: true }))) {
      expect(json.locals?.placeholder_fields).toBeUndefined();
      expect(json.output?.placeholder_guard).toBeUndefined();
    }
  });

  it("leave the emulator target alone: it deploys the placeholders on purpose", () => {
    for (const json of Object.values(synthApp(loadEnvironments(), { kind: "emulator", endpoint: "http://127.0.0.1:5000", stateDir: "/tmp/state" }))) {
      expect(json.output?.placeholder_guard).toBeUndefined();
    }
  });
});

describe("operator/ci/terraform.sh against placeholders", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-ci-placeholders-"));
  const stack = "packagecloud-ops-storage";
  const dir = path.join(root, "cdktf.out/stacks", stack);
  beforeAll(() => {
    fs.mkdirSync(path.join(root, "operator/ci"), { recursive: true });
    fs.copyFileSync(path.join(ROOT, "operator/ci/terraform.sh"), path.join(root, "operator/ci/terraform.sh"));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "plan.tfplan"), "");
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  // PATH without terraform: the refusal must come before any Terraform command.
  const run = (action: string, config: object) => {
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(config));
    return spawnSync("bash", [path.join(root, "operator/ci/terraform.sh"), action, stack], {
      encoding: "utf8",
      env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, PROTECTED_LAYER: "false" },
    });
  };

  it.each(["plan", "apply"])("fails if asked to %s a stack whose environment holds placeholders, naming each field", (action) => {
    const out = run(action, { locals: { placeholder_fields: ["aws.accountId", "dns.zoneId"] } });
    expect(out.status).toBe(4);
    expect(out.stderr).toMatch(
      new RegExp(`terraform.sh: refusing to ${action} ${stack}: its environment still holds this repository's placeholder values in aws\\.accountId, dns\\.zoneId\\.`),
    );
  });

  it("goes on to Terraform when there are none", () => {
    const out = run("plan", { locals: {} });
    expect(out.stderr).not.toMatch(/refusing/);
    expect(out.stderr).toMatch(/terraform: command not found/);
  });
});
