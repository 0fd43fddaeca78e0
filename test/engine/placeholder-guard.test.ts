/**
 * The placeholder guard (stacks/placeholder-guard.ts) as Terraform runs it: the guard a real-target stack
 * carries passes `terraform validate` (the pipeline's validate jobs) and fails `terraform plan` naming each field;
 * with no placeholder left, plan goes through. Only the guard is taken from the stack: the Google and Cloudflare
 * providers cannot be installed here, and the guard needs none.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { loadEnvironments } from "../../config";
import { buildApp } from "../../stacks/app";
import { terraform, terraformEnv, terraformOk } from "../../operator/lib/terraform";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-guard-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function guardOf(stackName: string): { locals: unknown; output: unknown } {
  const app = Testing.app();
  buildApp(app, { environments: loadEnvironments(), target: { kind: "aws", remoteState: true } });
  const stack = app.node.findChild(stackName) as any;
  const json = JSON.parse(Testing.synth(stack));
  return { locals: json.locals, output: { placeholder_guard: json.output.placeholder_guard } };
}

function workspace(name: string, config: object): string {
  const ws = path.join(dir, name);
  fs.mkdirSync(ws);
  fs.writeFileSync(path.join(ws, "main.tf.json"), JSON.stringify(config));
  terraformOk(["init", "-backend=false", "-input=false"], ws, terraformEnv());
  return ws;
}

it("passes terraform validate, and fails terraform plan naming every placeholder field", () => {
  const ws = workspace("ops-dns", guardOf("packagecloud-ops-dns"));
  expect(terraformOk(["validate"], ws).stdout).toMatch(/Success! The configuration is valid/);
  const plan = terraform(["plan", "-input=false"], ws);
  expect(plan.code).toBe(1);
  expect(plan.stderr.replace(/\s+/g, " ")).toMatch(
    /packagecloud-ops-dns: environment ops still holds this repository's placeholder values in aws\.accountId, application\.edgeLambdaRoleName, application\.cdnSetup\.keyAlias, network\.prometheusCidrs\.0, network\.prometheusCidrs\.1, vm\.amiId, vm\.packagecloudApt\.version, dns\.zoneId, monitoring\.offsiteBackups\.firstBackupDueBy, monitoring\.cloudSqlBackups\.firstBackupDueBy, monitoring\.notifications\.gcpChannels\.0, backupJob\.ageRecipient, backupJob\.kubernetes\.images\.backup, backupJob\.kubernetes\.images\.scratchMysql, backupJob\.kubernetes\.images\.cloudSqlProxy, backupJob\.kubernetes\.images\.pushgateway, adopt\.dnsRecord\.cloudflareRecordId\. Replace each/,
  );
}, 120_000);

it("lets plan through once no placeholder is left", () => {
  const guard = guardOf("packagecloud-pre-storage");
  const ws = workspace("none-left", { ...guard, locals: { placeholder_fields: [] } });
  const plan = terraform(["plan", "-input=false"], ws);
  expect(plan.stderr).toBe("");
  expect(plan.code).toBe(0);
}, 120_000);
