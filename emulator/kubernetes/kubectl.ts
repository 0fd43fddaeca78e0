/**
 * `kubectl`, as a MODEL (emulator/kubernetes/ledger.ts says what it refuses and why a model): the subcommands the
 * runbook (docs/first-deploy.md) and operator/ci/kubectl-apply.sh and run-grants.sh use, against a ledger file.
 *
 *   KUBECTL_MODEL_LEDGER  the ledger (JSON); made by the test with the cluster's managed-collection setting
 *   KUBECONFIG            must name a file with a current-context, as `gcloud container clusters get-credentials`
 *                         writes it; without one kubectl cannot reach a cluster
 *   KUBECTL_MODEL_RUNNERS a directory of executables named after Jobs: run when the Job is waited for, with the
 *                         ledger's path as their argument; what they print is the Job's log
 *
 * Manifests are read as kubectl reads them: YAML 1.1 (sigs.k8s.io/yaml), a directory's *.yaml files in lexical order
 * (filepath.Walk), not its subdirectories.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { Ledger, type Obj } from "./ledger";

const RESOURCES: Record<string, string> = {
  cronjobs: "CronJob",
  cronjob: "CronJob",
  jobs: "Job",
  job: "Job",
  serviceaccounts: "ServiceAccount",
  networkpolicies: "NetworkPolicy",
  secrets: "Secret",
  secret: "Secret",
  namespaces: "Namespace",
  services: "Service",
  deployments: "Deployment",
  persistentvolumeclaims: "PersistentVolumeClaim",
  podmonitorings: "PodMonitoring",
  rules: "Rules",
};

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Splits global flags (-n/--namespace) from the rest. */
function parse(argv: string[]): { namespace: string; args: string[]; flags: Map<string, string[]> } {
  let namespace = "default";
  const args: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === "-n" || a === "--namespace") namespace = argv[++i];
    else if (a.startsWith("--namespace=")) namespace = a.slice("--namespace=".length);
    else if (a === "-f" || a === "-o" || a === "-c") flags.set(a, [...(flags.get(a) ?? []), argv[++i]]);
    else if (a.startsWith("--") && a.includes("=")) {
      const [k, ...v] = a.split("=");
      flags.set(k, [...(flags.get(k) ?? []), v.join("=")]);
    } else if (a.startsWith("--")) flags.set(a, [...(flags.get(a) ?? []), "true"]);
    else args.push(a);
  }
  return { namespace, args, flags };
}

function documents(source: string): Obj[] {
  const read = (text: string) => parseAllDocuments(text, { version: "1.1" }).map((d) => d.toJSON() as Obj).filter((o) => o && o.kind);
  if (source === "-") return read(fs.readFileSync(0, "utf8"));
  if (fs.statSync(source).isDirectory()) {
    return fs.readdirSync(source).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().flatMap((f) => read(fs.readFileSync(path.join(source, f), "utf8")));
  }
  return read(fs.readFileSync(source, "utf8"));
}

const resourceName = (o: Obj) => `${String(o.kind).toLowerCase()}${o.apiVersion?.includes("/") ? `.${o.apiVersion.split("/")[0]}` : ""}/${o.metadata.name}`;

function main(): void {
  const ledgerFile = process.env.KUBECTL_MODEL_LEDGER;
  if (!ledgerFile) fail("kubectl model: KUBECTL_MODEL_LEDGER is not set");
  const { namespace, args, flags } = parse(process.argv.slice(2));
  const [verb, ...rest] = args;
  const kubeconfig = process.env.KUBECONFIG ?? "";
  if (verb !== "version" && !(kubeconfig && fs.existsSync(kubeconfig) && /current-context: \S+/.test(fs.readFileSync(kubeconfig, "utf8")))) {
    fail("The connection to the server localhost:8080 was refused - did you specify the right host or port?");
  }
  const ledger = Ledger.load(ledgerFile);
  const save = () => ledger.save(ledgerFile);
  const dryRun = flags.get("--dry-run")?.[0] === "client";

  switch (verb) {
    case "api-resources": {
      const group = flags.get("--api-group")?.[0];
      if (group === "monitoring.googleapis.com" && ledger.state.servesGmp) {
        process.stdout.write(["clusterpodmonitorings", "clusterrules", "globalrules", "operatorconfigs", "podmonitorings", "rules"].map((r) => `${r}.monitoring.googleapis.com`).join("\n") + "\n");
      }
      return;
    }
    case "apply":
    case "create": {
      if (verb === "create" && rest[0] === "secret" && rest[1] === "generic") return createSecret(ledger, rest[2], namespace, flags, dryRun, save);
      if (verb === "create" && rest[0] === "job") return createJobFromCronJob(ledger, rest[1], namespace, flags, save);
      let refused = 0;
      for (const source of flags.get("-f") ?? []) {
        for (const o of documents(source)) {
          const ns = ledger.namespaceOf(o, namespace);
          const existed = ledger.get(o.kind, ns, o.metadata.name) !== undefined;
          if (verb === "create" && existed) {
            process.stderr.write(`Error from server (AlreadyExists): error when creating "${source}": ${o.kind} "${o.metadata.name}" already exists\n`);
            refused += 1;
            continue;
          }
          const refusal = ledger.apply(o, namespace);
          if (refusal) {
            process.stderr.write(`${refusal}\n`);
            refused += 1;
          } else process.stdout.write(`${resourceName(o)} ${existed ? "configured" : "created"}\n`);
        }
      }
      save();
      if (refused > 0) process.exit(1);
      return;
    }
    case "delete": {
      const ignore = flags.get("--ignore-not-found")?.[0] === "true";
      const targets: Array<[string, string | undefined, string]> = [];
      for (const source of flags.get("-f") ?? []) for (const o of documents(source)) targets.push([o.kind, ledger.namespaceOf(o, namespace), o.metadata.name]);
      if (rest.length >= 2) targets.push([RESOURCES[rest[0]] ?? rest[0], namespace, rest[1]]);
      for (const [kind, ns, name] of targets) {
        if (ledger.delete(kind, ns, name)) process.stdout.write(`${kind.toLowerCase()} "${name}" deleted\n`);
        else if (!ignore) fail(`Error from server (NotFound): ${kind.toLowerCase()}s "${name}" not found`);
      }
      save();
      return;
    }
    case "get": {
      const kinds = (rest[0] ?? "").split(",").map((r) => RESOURCES[r] ?? fail(`kubectl model: resource ${r} is not modelled`));
      const found = Object.values(ledger.state.objects).filter((o) => kinds.includes(o.kind) && (o.metadata.namespace ?? undefined) === namespace);
      if (found.length === 0) process.stderr.write(`No resources found in ${namespace} namespace.\n`);
      for (const o of found) process.stdout.write(`${resourceName(o)}\n`);
      return;
    }
    case "wait": {
      const target = rest[0] ?? "";
      const [, name] = target.split("/");
      const condition = flags.get("--for")?.[0];
      if (condition !== "condition=complete" || !target.startsWith("job/")) fail(`kubectl model: wait ${flags.get("--for")?.[0]} ${target} is not modelled`);
      const key = Ledger.key("Job", namespace, name);
      const outcome = ledger.state.jobs[key];
      if (!outcome) fail(`Error from server (NotFound): jobs.batch "${name}" not found`);
      if (!outcome.complete) fail(`error: timed out waiting for the condition on jobs/${name}\n(model: ${outcome.reason})`);
      runRunner(ledger, ledgerFile, key, name);
      save();
      const after = ledger.state.jobs[key];
      if (!after.complete) fail(`error: timed out waiting for the condition on jobs/${name}\n(model: ${after.reason})`);
      process.stdout.write(`job.batch/${name} condition met\n`);
      return;
    }
    case "logs": {
      const [, name] = (rest[0] ?? "").split("/");
      const outcome = ledger.state.jobs[Ledger.key("Job", namespace, name)];
      if (!outcome) fail(`Error from server (NotFound): jobs.batch "${name}" not found`);
      const container = flags.get("-c")?.[0] ?? "";
      const log = outcome.logs?.[container] ?? outcome.logs?.[""] ?? `(kubectl model: the ${container || "job"} container's log; this model runs no container for job ${name})\n`;
      const tail = Number(flags.get("--tail")?.[0] ?? "-1");
      const lines = log.replace(/\n$/, "").split("\n");
      process.stdout.write(`${(tail > 0 ? lines.slice(-tail) : lines).join("\n")}\n`);
      return;
    }
    default:
      fail(`kubectl model: ${args.join(" ")} is not modelled`);
  }
}

function createSecret(ledger: Ledger, name: string, namespace: string, flags: Map<string, string[]>, dryRun: boolean, save: () => void): void {
  const data: Record<string, string> = {};
  for (const spec of flags.get("--from-file") ?? []) {
    const [key, file] = spec.includes("=") ? spec.split(/=(.*)/s) : [path.basename(spec), spec];
    data[key] = fs.readFileSync(file === "/dev/stdin" ? 0 : file).toString("base64");
  }
  for (const spec of flags.get("--from-literal") ?? []) {
    const [key, value] = spec.split(/=(.*)/s);
    data[key] = Buffer.from(value).toString("base64");
  }
  const secret = { apiVersion: "v1", kind: "Secret", metadata: { name, namespace }, data };
  if (dryRun) {
    if (flags.get("-o")?.[0] !== "yaml") fail("kubectl model: create secret --dry-run=client is modelled with -o yaml only");
    process.stdout.write(stringify(secret));
    return;
  }
  const refusal = ledger.apply(secret, namespace);
  if (refusal) fail(refusal);
  save();
  process.stdout.write(`secret/${name} created\n`);
}

function createJobFromCronJob(ledger: Ledger, name: string, namespace: string, flags: Map<string, string[]>, save: () => void): void {
  const from = flags.get("--from")?.[0] ?? "";
  if (!from.startsWith("cronjob/")) fail("kubectl model: create job is modelled with --from=cronjob/<name> only");
  const cronJob = ledger.get("CronJob", namespace, from.slice("cronjob/".length));
  if (!cronJob) fail(`Error from server (NotFound): cronjobs.batch "${from.slice("cronjob/".length)}" not found`);
  const job = { apiVersion: "batch/v1", kind: "Job", metadata: { name, namespace, annotations: { "cronjob.kubernetes.io/instantiate": "manual" } }, spec: cronJob.spec.jobTemplate.spec };
  const refusal = ledger.apply(job, namespace);
  if (refusal) fail(refusal);
  save();
  process.stdout.write(`job.batch/${name} created\n`);
}

/** A registered runner stands for the Job's containers: it runs once, and its output is the Job's log. */
function runRunner(ledger: Ledger, ledgerFile: string, key: string, name: string): void {
  const dir = process.env.KUBECTL_MODEL_RUNNERS;
  const outcome = ledger.state.jobs[key];
  if (!dir || outcome.logs) return;
  const runner = path.join(dir, name);
  if (!fs.existsSync(runner)) return;
  ledger.save(ledgerFile);
  const result = spawnSync(runner, [ledgerFile, key], { encoding: "utf8" });
  const log = `${result.stdout}${result.stderr}`;
  ledger.state.jobs[key] = result.status === 0 ? { complete: true, logs: { "": log } } : { complete: false, reason: `its container exited ${result.status}: ${log.trim().split("\n").slice(-3).join(" | ")}`, logs: { "": log } };
}

main();
