/**
 * The monitoring files a real synth writes: generated from each environment's config and accepted by promtool.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { parse, parseAllDocuments, stringify } from "yaml";
import { ENV_NAMES } from "../../config";
import { promtoolPath } from "../../operator/lib/tools";

// The project root, not imported from operator/lib/terraform: this job needs promtool, not Terraform.
const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-monitoring-"));

beforeAll(() => {
  const run = spawnSync(process.execPath, ["-r", "./tooling/register-swc.js", "main.ts"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: outdir },
  });
  if (run.status !== 0) throw new Error(`synth failed:\n${run.stderr}`);
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

it.each(ENV_NAMES)("the %s rules written by synth pass promtool check rules", (env) => {
  const file = path.join(outdir, "monitoring", env, "prometheus-rules.yml");
  const run = spawnSync(promtoolPath(), ["check", "rules", file], { encoding: "utf8" });
  expect(`${run.stdout}${run.stderr}`).toMatch(/SUCCESS: \d+ rules found/);
  expect(run.status).toBe(0);
});

it.each(ENV_NAMES)("the %s dashboard written by synth is a Grafana dashboard", (env) => {
  const dashboard = JSON.parse(fs.readFileSync(path.join(outdir, "monitoring", env, "grafana-dashboard.json"), "utf8"));
  expect(dashboard.uid).toBe(`packagecloud-backups-${env}`);
  expect(dashboard.panels.length).toBeGreaterThan(0);
});

it.each(ENV_NAMES)("the %s Rules resource written by synth (Managed Service for Prometheus) holds rule groups promtool accepts, the same as prometheus-rules.yml's", (env) => {
  const metrics = parseAllDocuments(fs.readFileSync(path.join(outdir, "kubernetes", env, "20-metrics.yaml"), "utf8"), { version: "1.1" }).map((d) => d.toJSON());
  const rules = metrics.find((d) => d.kind === "Rules");
  expect(rules.apiVersion).toBe("monitoring.googleapis.com/v1");
  const file = path.join(outdir, `gmp-rules-${env}.yml`);
  fs.writeFileSync(file, stringify({ groups: rules.spec.groups }, { lineWidth: 0 }));
  const run = spawnSync(promtoolPath(), ["check", "rules", file], { encoding: "utf8" });
  expect(`${run.stdout}${run.stderr}`).toMatch(/SUCCESS: \d+ rules found/);
  expect(run.status).toBe(0);
  expect(rules.spec.groups).toEqual(parse(fs.readFileSync(path.join(outdir, "monitoring", env, "prometheus-rules.yml"), "utf8")).groups);
});

it.each(ENV_NAMES)("the %s backup CronJobs written by synth parse back into objects valid against the Kubernetes schema", (env) => {
  const file = path.join(outdir, "kubernetes", env, "backup-jobs.yaml");
  const docs = parseAllDocuments(fs.readFileSync(file, "utf8")).map((d) => d.toJSON());
  expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(
    expect.arrayContaining(["CronJob/packagecloud-offsite-backup", "CronJob/packagecloud-restore-verify"]),
  );
  for (const doc of docs) {
    const model = doc.kind === "CronJob" ? new CronJob(doc) : new ServiceAccount(doc);
    expect(() => model.validate()).not.toThrow();
  }
});
