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
import { ENV_NAMES, loadEnvironments } from "../../config";
import { kubernetesFiles } from "../../backup/manifests";

type Obj = Record<string, any>;
const envs = loadEnvironments();

const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "StorageClass", "PersistentVolume"]);

class Ledger {
  readonly namespaces = new Set(["default", "kube-system", "kube-public"]);
  readonly objects = new Map<string, Obj>();
  readonly refusals: string[] = [];
  /** Secrets a Pod mounts that did not exist when its first Pod was created. */
  readonly missingSecrets: string[] = [];

  constructor(readonly servesGmp: boolean) {
    if (servesGmp) for (const ns of ["gmp-system", "gmp-public"]) this.namespaces.add(ns);
  }

  private key = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ""}/${name}`;
  has = (kind: string, ns: string, name: string) => this.objects.has(this.key(kind, ns, name));

  apply(o: Obj, where: string): void {
    const ns = CLUSTER_SCOPED.has(o.kind) ? undefined : (o.metadata.namespace ?? "default");
    if (o.apiVersion === "monitoring.googleapis.com/v1" && !this.servesGmp) {
      this.refusals.push(`${where}: no matches for kind "${o.kind}" in version "monitoring.googleapis.com/v1"`);
      return;
    }
    if (ns !== undefined && !this.namespaces.has(ns)) {
      this.refusals.push(`${where}: ${o.kind}/${o.metadata.name}: namespaces "${ns}" not found`);
      return;
    }
    if (o.kind === "Namespace") this.namespaces.add(o.metadata.name);
    this.objects.set(this.key(o.kind, ns, o.metadata.name), o);
    // Controllers create these workloads' Pods at once.
    if (o.kind === "Deployment" || o.kind === "Job") this.createPod(o.spec.template.spec, ns!, `${where}: ${o.kind}/${o.metadata.name}`);
  }

  /** A Pod of the template, as pod admission and the kubelet see it. */
  createPod(spec: Obj, ns: string, what: string): void {
    const sa = spec.serviceAccountName ?? "default";
    if (sa !== "default" && !this.has("ServiceAccount", ns, sa)) this.refusals.push(`${what}: pods are forbidden: error looking up service account ${ns}/${sa}`);
    for (const v of spec.volumes ?? []) {
      if (v.secret && !this.has("Secret", ns, v.secret.secretName)) this.missingSecrets.push(`${what}: Secret ${ns}/${v.secret.secretName}`);
    }
  }
}

/** kubectl apply -f <dir>: the directory's *.yaml files in lexical order (filepath.Walk), not its subdirectories. */
function kubectlApplyDir(ledger: Ledger, files: Record<string, string>, dir: string): void {
  const names = Object.keys(files).filter((f) => f.startsWith(`${dir}/`) && !f.slice(dir.length + 1).includes("/")).sort();
  for (const name of names) for (const doc of parseAllDocuments(files[name], { version: "1.1" })) ledger.apply(doc.toJSON(), name);
}

describe.each(ENV_NAMES)("%s: the manifests in the order the tools apply them (a model of the API server)", (name) => {
  const files = kubernetesFiles([envs[name]]);
  const dir = `kubernetes/${name}`;
  const docs = (file: string) => parseAllDocuments(files[`${dir}/${file}`], { version: "1.1" }).map((d) => d.toJSON() as Obj);

  it("kubectl-apply.sh: every object finds its namespace and kind; every Pod created at once finds its ServiceAccount", () => {
    const ledger = new Ledger(true);
    kubectlApplyDir(ledger, files, dir);
    expect(ledger.refusals).toEqual([]);
    expect(ledger.missingSecrets).toEqual([]);
  });

  it("the CronJobs' first run finds its ServiceAccounts; it needs one Secret the documented step creates (the age identity)", () => {
    const ledger = new Ledger(true);
    kubectlApplyDir(ledger, files, dir);
    for (const job of docs("backup-jobs.yaml")) ledger.createPod(job.spec.jobTemplate.spec.template.spec, job.metadata.namespace, `CronJob/${job.metadata.name}`);
    expect(ledger.refusals).toEqual([]);
    expect(ledger.missingSecrets).toEqual(["CronJob/packagecloud-restore-verify: Secret packagecloud/packagecloud-backup-age-identity"]);
  });

  it("run-grants.sh on a cluster where nothing was applied yet: the Job finds its namespace, ServiceAccount, policy and Secret", () => {
    const ledger = new Ledger(true);
    for (const file of ["00-namespace.yaml", "10-network-policies.yaml"]) for (const o of docs(file)) ledger.apply(o, file);
    ledger.apply({ apiVersion: "v1", kind: "Secret", metadata: { name: "packagecloud-sql-admin", namespace: "packagecloud" } }, "kubectl create secret");
    for (const o of docs("run-once/database-grants.yaml")) ledger.apply(o, "run-once/database-grants.yaml");
    expect(ledger.refusals).toEqual([]);
    expect(ledger.missingSecrets).toEqual([]);
    expect(ledger.has("NetworkPolicy", "packagecloud", "packagecloud-database-grants")).toBe(true);
  });

  it("fails if: the cluster has no managed Prometheus (PodMonitoring, Rules refused; kubectl-apply.sh checks this first)", () => {
    const ledger = new Ledger(false);
    kubectlApplyDir(ledger, files, dir);
    expect(ledger.refusals).toEqual([
      `${dir}/20-metrics.yaml: no matches for kind "PodMonitoring" in version "monitoring.googleapis.com/v1"`,
      `${dir}/20-metrics.yaml: no matches for kind "Rules" in version "monitoring.googleapis.com/v1"`,
    ]);
  });

  it("fails if: the namespace's file did not sort first (the model refuses what the API server refuses)", () => {
    const renamed = Object.fromEntries(Object.entries(files).map(([f, t]) => [f.replace("/00-namespace.yaml", "/namespace.yaml"), t]));
    const ledger = new Ledger(true);
    kubectlApplyDir(ledger, renamed, dir);
    expect(ledger.refusals[0]).toMatch(/^kubernetes\/\w+\/10-network-policies\.yaml: NetworkPolicy\/packagecloud-offsite-backup: namespaces "packagecloud" not found$/);
  });
});
