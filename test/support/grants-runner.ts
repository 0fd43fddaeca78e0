/**
 * Stands for the grants Job's containers in the kubectl model (emulator/kubernetes/kubectl.ts runs it when the Job is
 * waited for): the Job's own `grants` script, read from the Job in the ledger as the cluster would run it, against a
 * MariaDB on loopback that stands for Cloud SQL behind its Auth Proxy sidecar, with the admin password from the
 * Kubernetes Secret the Job mounts (whatever the runbook's steps put there).
 *
 *   node -r ./tooling/register-swc.js test/support/grants-runner.ts <ledger.json> <job key>
 *   GRANTS_RUNNER_PORT  the MariaDB's port (the proxy's, CLOUD_SQL_PROXY_PORT, in the pod)
 *   GRANTS_RUNNER_DIR   a scratch directory for the pod's /tmp and its Secret volume
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CLOUD_SQL_PROXY_PORT } from "../../backup/jobs";
import { Ledger } from "../../emulator/kubernetes/ledger";

const [ledgerFile, key] = process.argv.slice(2);
const ledger = Ledger.load(ledgerFile);
const job = ledger.state.objects[key];
const spec = job.spec.template.spec;
const container = spec.containers.find((c: { name: string }) => c.name === "grants");
const scratch = process.env.GRANTS_RUNNER_DIR!;
const tmp = path.join(scratch, "tmp");
fs.mkdirSync(tmp, { recursive: true });
// The pod's /tmp first (an emptyDir): the directories put in below may themselves lie under this machine's /tmp.
let script: string = container.command[2].replaceAll("/tmp/", `${tmp}/`);
// Each Secret volume the container mounts, with the data the ledger holds for it.
for (const mount of container.volumeMounts ?? []) {
  const volume = spec.volumes.find((v: { name: string }) => v.name === mount.name);
  if (!volume?.secret) continue;
  const secret = ledger.get("Secret", job.metadata.namespace, volume.secret.secretName);
  const dir = path.join(scratch, "volumes", mount.name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, value] of Object.entries(secret?.data ?? {})) fs.writeFileSync(path.join(dir, name), Buffer.from(String(value), "base64"), { mode: 0o400 });
  script = script.replaceAll(mount.mountPath, dir);
}
script = script.replace(`--port=${CLOUD_SQL_PROXY_PORT}`, `--port=${process.env.GRANTS_RUNNER_PORT}`);
const vars = Object.fromEntries((container.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value]));
const result = spawnSync("sh", ["-c", script], { encoding: "utf8", env: { PATH: process.env.PATH, ...vars } });
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exit(result.status ?? 1);
