/**
 * Issue 27 §2: the repository creates what its workloads need, in an order `kubectl apply` accepts. No Kubernetes
 * API server can run here (REFERENCE.md §6), so this is a MODEL of one: a ledger of the objects created so far that
 * refuses what the API server refuses, fed in the order the operator's tools feed it.
 *
 * - `operator/ci/kubectl-apply.sh <env>` runs `kubectl apply -f cdktf.out/kubernetes/<env>`: kubectl expands a
 *   directory with Go's filepath.Walk (lexical order, no recursion without -R) and applies each file's documents in
 *   order, one request each.
 * - The API server refuses a namespaced object whose Namespace does not exist (`namespaces "x" not found`) and a
 *   kind it does not serve (`no matches for kind`: PodMonitoring and Rules exist only with managed collection on).
 * - Pod admission refuses a Pod whose ServiceAccount does not exist (a Deployment's or Job's pods are created at
 *   once, a CronJob's at its schedule); a Pod mounting a Secret nobody created stays in ContainerCreating.
 * - `operator/ci/run-grants.sh <env>` applies 00-namespace.yaml and 10-network-policies.yaml, creates the Secret
 *   packagecloud-sql-admin, then creates the Job.
 */
import { parseAllDocuments } from "yaml";
import { Ledger, type Obj } from "../../emulator/kubernetes/ledger";
import { ENV_NAMES, loadEnvironments } from "../../config";
import { kubernetesFiles } from "../../backup/manifests";

const envs = loadEnvironments();

/** The model's ledger, with what this test reads of it: refusals and the pods that cannot start. */
class Model {
  readonly ledger: Ledger;
  readonly refusals: string[] = [];
  readonly missingSecrets: string[] = [];
  constructor(servesGmp: boolean) {
    this.ledger = Ledger.empty(servesGmp);
  }
  apply(o: Obj, where: string): void {
    const refusal = this.ledger.apply(o);
    if (refusal) this.refusals.push(`${where}: ${o.kind}/${o.metadata.name}: ${refusal}`);
    else if (o.kind === "Job" || o.kind === "Deployment") this.createPod(o.spec.template.spec, this.ledger.namespaceOf(o)!, `${where}: ${o.kind}/${o.metadata.name}`);
  }
  createPod(spec: Obj, ns: string, what: string): void {
    const problem = this.ledger.podProblem(spec, ns);
    if (problem?.startsWith("pods is forbidden")) this.refusals.push(`${what}: ${problem}`);
    else if (problem) this.missingSecrets.push(`${what}: ${problem}`);
  }
  has(kind: string, ns: string, name: string): boolean {
    return this.ledger.get(kind, ns, name) !== undefined;
  }
}

/** kubectl apply -f <dir>: the directory's *.yaml files in lexical order (filepath.Walk), not its subdirectories. */
function kubectlApplyDir(ledger: Model, files: Record<string, string>, dir: string): void {
  const names = Object.keys(files).filter((f) => f.startsWith(`${dir}/`) && !f.slice(dir.length + 1).includes("/")).sort();
  for (const name of names) for (const doc of parseAllDocuments(files[name], { version: "1.1" })) ledger.apply(doc.toJSON(), name);
}

describe.each(ENV_NAMES)("%s: the manifests in the order the tools apply them (a model of the API server)", (name) => {
  const files = kubernetesFiles([envs[name]]);
  const dir = `kubernetes/${name}`;
  const docs = (file: string) => parseAllDocuments(files[`${dir}/${file}`], { version: "1.1" }).map((d) => d.toJSON() as Obj);

  it("kubectl-apply.sh: every object finds its namespace and kind; every Pod created at once finds its ServiceAccount", () => {
    const ledger = new Model(true);
    kubectlApplyDir(ledger, files, dir);
    expect(ledger.refusals).toEqual([]);
    expect(ledger.missingSecrets).toEqual([]);
  });

  it("the CronJobs' first run finds its ServiceAccounts; it needs one Secret the documented step creates (the age identity)", () => {
    const ledger = new Model(true);
    kubectlApplyDir(ledger, files, dir);
    for (const job of docs("backup-jobs.yaml")) ledger.createPod(job.spec.jobTemplate.spec.template.spec, job.metadata.namespace, `CronJob/${job.metadata.name}`);
    expect(ledger.refusals).toEqual([]);
    expect(ledger.missingSecrets).toEqual([expect.stringMatching(/^CronJob\/packagecloud-restore-verify: ContainerCreating: MountVolume\.SetUp failed for volume "[^"]+": secret "packagecloud-backup-age-identity" not found$/)]);
  });

  it("run-grants.sh on a cluster where nothing was applied yet: the Job finds its namespace, ServiceAccount, policy and Secret", () => {
    const ledger = new Model(true);
    for (const file of ["00-namespace.yaml", "10-network-policies.yaml"]) for (const o of docs(file)) ledger.apply(o, file);
    ledger.apply({ apiVersion: "v1", kind: "Secret", metadata: { name: "packagecloud-sql-admin", namespace: "packagecloud" } }, "kubectl create secret");
    for (const o of docs("run-once/database-grants.yaml")) ledger.apply(o, "run-once/database-grants.yaml");
    expect(ledger.refusals).toEqual([]);
    expect(ledger.missingSecrets).toEqual([]);
    expect(ledger.has("NetworkPolicy", "packagecloud", "packagecloud-database-grants")).toBe(true);
  });

  it("fails if: the cluster has no managed Prometheus (PodMonitoring, Rules refused; kubectl-apply.sh checks this first)", () => {
    const ledger = new Model(false);
    kubectlApplyDir(ledger, files, dir);
    expect(ledger.refusals).toEqual([
      expect.stringMatching(new RegExp(`^${dir}/20-metrics\\.yaml: PodMonitoring/[^:]+: error: resource mapping not found for name: "[^"]+": no matches for kind "PodMonitoring" in version "monitoring\\.googleapis\\.com/v1"$`)),
      expect.stringMatching(new RegExp(`^${dir}/20-metrics\\.yaml: Rules/[^:]+: error: resource mapping not found for name: "[^"]+": no matches for kind "Rules" in version "monitoring\\.googleapis\\.com/v1"$`)),
    ]);
  });

  it("fails if: the namespace's file did not sort first (the model refuses what the API server refuses)", () => {
    const renamed = Object.fromEntries(Object.entries(files).map(([f, t]) => [f.replace("/00-namespace.yaml", "/namespace.yaml"), t]));
    const ledger = new Model(true);
    kubectlApplyDir(ledger, renamed, dir);
    expect(ledger.refusals[0]).toMatch(/^kubernetes\/\w+\/10-network-policies\.yaml: NetworkPolicy\/packagecloud-offsite-backup: Error from server \(NotFound\): namespaces "packagecloud" not found$/);
  });
});
