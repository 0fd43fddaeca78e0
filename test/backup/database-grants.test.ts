/**
 * operator/ci/run-grants.sh with stand-in gcloud and kubectl: it refuses a manifest with placeholders before either
 * runs, and otherwise applies what the Job needs (its Namespace and ServiceAccount, its NetworkPolicy), copies the
 * admin password from Secret Manager into the Job's Kubernetes Secret (through a pipe), replaces the Job and waits
 * for it. The Job's statements against a real server: test/engine/database-grants.test.ts.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadEnvironments, parseEnvironment } from "../../config";
import { variant } from "../support/config";
import { GRANT_JOB_FILE } from "../../backup/database-grants";
import { PLACEHOLDER_HEADER } from "../../backup/jobs";
import { kubernetesFiles } from "../../backup/manifests";

const envs = loadEnvironments();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-run-grants-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The synth output's files, each with or without its placeholder header replaced by "none". */
const synthesized = (clean: boolean) =>
  Object.fromEntries(Object.entries(kubernetesFiles([envs.ops])).map(([file, text]) => [file, clean ? text.replace(/^# placeholder-fields: .*$/m, `${PLACEHOLDER_HEADER} none`) : text]));

function run(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(dir, "root-"));
  fs.mkdirSync(path.join(root, "operator", "ci"), { recursive: true });
  fs.copyFileSync(path.join(__dirname, "../../operator/ci/run-grants.sh"), path.join(root, "operator", "ci", "run-grants.sh"));
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, "cdktf.out", name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  fs.mkdirSync(path.join(root, "bin"));
  const log = path.join(root, "calls.log");
  // Stand-ins that log their arguments (and what reached their stdin) and answer as the real ones would here.
  fs.writeFileSync(path.join(root, "bin", "gcloud"), `#!/bin/sh\necho "gcloud $*" >> ${log}\nprintf s3cret\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(root, "bin", "kubectl"), `#!/bin/sh\necho "kubectl $*" >> ${log}\ncase "$*" in *"create secret"*) echo "stdin: $(cat)" >> ${log};; esac\n`, { mode: 0o755 });
  const result = spawnSync("bash", [path.join(root, "operator", "ci", "run-grants.sh"), "ops"], { encoding: "utf8", env: { PATH: `${path.join(root, "bin")}:/usr/bin:/bin` } });
  return { ...result, calls: fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [] };
}

describe("operator/ci/run-grants.sh", () => {
  it("fails if: the manifest still holds placeholders (exit 4, before gcloud or kubectl)", () => {
    const result = run(synthesized(false));
    expect(result.stderr).toMatch(
      /refusing to run cdktf\.out\/kubernetes\/ops\/run-once\/database-grants\.yaml: placeholder values in cdktf\.out\/kubernetes\/ops\/run-once\/database-grants\.yaml: backupJob\.kubernetes\.images\.scratchMysql/,
    );
    expect(result.calls).toEqual([]);
    expect(result.status).toBe(4);
  });

  it("fails if: what the Job needs was not synthesized (no 00-namespace.yaml: exit 1, before gcloud or kubectl)", () => {
    const { "kubernetes/ops/00-namespace.yaml": _gone, ...rest } = synthesized(true);
    const result = run(rest);
    expect(result.stderr).toMatch(/cdktf\.out\/kubernetes\/ops\/00-namespace\.yaml not found/);
    expect(result.calls).toEqual([]);
    expect(result.status).toBe(1);
  });

  it("applies the Job's Namespace, ServiceAccount and NetworkPolicy first, syncs the Secret from Secret Manager through a pipe, replaces the Job and waits for it", () => {
    const result = run(synthesized(true));
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    // Before anything lands in the namespace, the namespace (and the Job's ServiceAccount and policy).
    expect(result.calls[0].replace(/ \/\S+\/cdktf\.out\//g, " cdktf.out/")).toBe("kubectl apply -f cdktf.out/kubernetes/ops/00-namespace.yaml -f cdktf.out/kubernetes/ops/10-network-policies.yaml");
    // The pipe's three members run at once: their lines come in any order.
    expect([...result.calls.slice(1, 5)].sort()).toEqual([
      "gcloud secrets versions access latest --secret=packagecloud-ops-sql-admin --project=gitlab-ops",
      "kubectl -n packagecloud create secret generic packagecloud-sql-admin --from-file=password=/dev/stdin --dry-run=client -o yaml",
      "kubectl apply -f -",
      "stdin: s3cret",
    ]);
    expect(result.calls.slice(5).map((c) => c.replace(/ \/\S+\/cdktf\.out\//, " cdktf.out/"))).toEqual([
      "kubectl delete -f cdktf.out/kubernetes/ops/run-once/database-grants.yaml --ignore-not-found --wait=true",
      "kubectl create -f cdktf.out/kubernetes/ops/run-once/database-grants.yaml",
      "kubectl -n packagecloud wait --for=condition=complete --timeout=600s job/packagecloud-database-grants",
      "kubectl -n packagecloud logs job/packagecloud-database-grants -c grants",
    ]);
  });
});

describe("operator/ci/run-grants.sh after a Cloud SQL rebuild (gcp.sql.instanceGeneration 2: packagecloud-ops-mysql-2)", () => {
  it("reads the project from the proxy's connection name of the rebuilt instance", () => {
    const rebuilt = parseEnvironment("ops", variant("ops", (e) => (e.gcp.sql.instanceGeneration = 2)));
    const files = Object.fromEntries(Object.entries(kubernetesFiles([rebuilt])).map(([file, text]) => [file, text.replace(/^# placeholder-fields: .*$/m, `${PLACEHOLDER_HEADER} none`)]));
    expect(files[GRANT_JOB_FILE("ops")]).toMatch(/^ +- gitlab-ops:us-east1:packagecloud-ops-mysql-2$/m);
    const result = run(files);
    expect(result.status).toBe(0);
    expect(result.calls).toContain("gcloud secrets versions access latest --secret=packagecloud-ops-sql-admin --project=gitlab-ops");
  });
});
