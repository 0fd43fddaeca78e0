/**
 * operator/ci/run-grants.sh with stand-in gcloud and kubectl: it refuses a manifest with placeholders before either
 * runs, and otherwise copies the admin password from Secret Manager into the Job's Kubernetes Secret (through a pipe),
 * replaces the Job and waits for it. The Job's statements against a real server: test/engine/database-grants.test.ts.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadEnvironments, parseEnvironment } from "../../config";
import { variant } from "../support/config";
import { GRANT_JOB_FILE, grantFiles } from "../../backup/database-grants";
import { PLACEHOLDER_HEADER } from "../../backup/jobs";

const envs = loadEnvironments();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-run-grants-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(text: string) {
  const root = fs.mkdtempSync(path.join(dir, "root-"));
  fs.mkdirSync(path.join(root, "operator", "ci"), { recursive: true });
  fs.copyFileSync(path.join(__dirname, "../../operator/ci/run-grants.sh"), path.join(root, "operator", "ci", "run-grants.sh"));
  const file = path.join(root, "cdktf.out", GRANT_JOB_FILE("ops"));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  fs.mkdirSync(path.join(root, "bin"));
  const log = path.join(root, "calls.log");
  // Stand-ins that log their arguments (and what reached their stdin) and answer as the real ones would here.
  fs.writeFileSync(path.join(root, "bin", "gcloud"), `#!/bin/sh\necho "gcloud $*" >> ${log}\nprintf s3cret\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(root, "bin", "kubectl"), `#!/bin/sh\necho "kubectl $*" >> ${log}\ncase "$*" in *"create secret"*) echo "stdin: $(cat)" >> ${log};; esac\n`, { mode: 0o755 });
  const result = spawnSync("bash", [path.join(root, "operator", "ci", "run-grants.sh"), "ops"], { encoding: "utf8", env: { PATH: `${path.join(root, "bin")}:/usr/bin:/bin` } });
  return { ...result, calls: fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [] };
}

describe("operator/ci/run-grants.sh", () => {
  const text = grantFiles([envs.ops])[GRANT_JOB_FILE("ops")];

  it("fails if: the manifest still holds placeholders (exit 4, before gcloud or kubectl)", () => {
    const result = run(text);
    expect(result.stderr).toMatch(/refusing to run cdktf\.out\/kubernetes\/ops\/run-once\/database-grants\.yaml: placeholder values in backupJob\.kubernetes\.images\.scratchMysql/);
    expect(result.calls).toEqual([]);
    expect(result.status).toBe(4);
  });

  it("syncs the Secret from Secret Manager through a pipe, replaces the Job and waits for it", () => {
    const clean = text.replace(/^# placeholder-fields: .*$/m, `${PLACEHOLDER_HEADER} none`);
    const result = run(clean);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    // The pipe's three members run at once: their lines come in any order.
    expect([...result.calls.slice(0, 4)].sort()).toEqual([
      "gcloud secrets versions access latest --secret=packagecloud-ops-sql-admin --project=gitlab-ops",
      "kubectl -n packagecloud create secret generic packagecloud-sql-admin --from-file=password=/dev/stdin --dry-run=client -o yaml",
      "kubectl apply -f -",
      "stdin: s3cret",
    ]);
    expect(result.calls.slice(4).map((c) => c.replace(/ \/\S+\/cdktf\.out\//, " cdktf.out/"))).toEqual([
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
    const text = grantFiles([rebuilt])[GRANT_JOB_FILE("ops")].replace(/^# placeholder-fields: .*$/m, `${PLACEHOLDER_HEADER} none`);
    expect(text).toMatch(/^ +- gitlab-ops:us-east1:packagecloud-ops-mysql-2$/m);
    const result = run(text);
    expect(result.status).toBe(0);
    expect(result.calls).toContain("gcloud secrets versions access latest --secret=packagecloud-ops-sql-admin --project=gitlab-ops");
  });
});
