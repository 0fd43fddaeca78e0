/**
 * A MODEL of a Kubernetes API server, for the steps of the runbook that use kubectl: no API server can run here
 * (no Debian or npm package ships kube-apiserver; REFERENCE.md §6). It keeps a ledger of the objects created so far
 * and refuses what the API server refuses:
 * - a namespaced object whose Namespace does not exist (`namespaces "x" not found`);
 * - a kind it does not serve (`no matches for kind`: PodMonitoring and Rules exist only with Managed Service for
 *   Prometheus' managed collection on);
 * - pod admission: a Pod whose ServiceAccount does not exist (a Job's or Deployment's pods are created at once, a
 *   CronJob's when it runs); and a Pod mounting a Secret nobody created never starts (ContainerCreating).
 * It does not run containers; a Job completes when its pods could start, unless a runner is registered for it
 * (the runbook test runs the grants Job's script against MariaDB that way).
 */
import * as fs from "node:fs";

export type Obj = Record<string, any>;

const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "StorageClass", "PersistentVolume", "CustomResourceDefinition"]);

/** What a Job's pods did: started (with what they printed), or why they never started. */
export interface JobOutcome {
  readonly complete: boolean;
  readonly reason?: string;
  readonly logs?: Record<string, string>;
}

export interface LedgerState {
  /** Whether the cluster serves monitoring.googleapis.com (managed collection on). */
  servesGmp: boolean;
  namespaces: string[];
  objects: Record<string, Obj>;
  /** Job key → what its pods did. */
  jobs: Record<string, JobOutcome>;
  /** Everything refused, in order, as the API server or the kubelet would say it. */
  refusals: string[];
}

export class Ledger {
  constructor(readonly state: LedgerState) {}

  static empty(servesGmp: boolean): Ledger {
    const namespaces = ["default", "kube-system", "kube-public", ...(servesGmp ? ["gmp-system", "gmp-public"] : [])];
    return new Ledger({ servesGmp, namespaces, objects: {}, jobs: {}, refusals: [] });
  }

  static load(file: string): Ledger {
    return new Ledger(JSON.parse(fs.readFileSync(file, "utf8")) as LedgerState);
  }

  save(file: string): void {
    fs.writeFileSync(file, JSON.stringify(this.state));
  }

  static key(kind: string, ns: string | undefined, name: string): string {
    return `${kind}/${ns ?? ""}/${name}`;
  }

  namespaceOf(o: Obj, defaultNamespace = "default"): string | undefined {
    return CLUSTER_SCOPED.has(o.kind) ? undefined : (o.metadata?.namespace ?? defaultNamespace);
  }

  get(kind: string, ns: string | undefined, name: string): Obj | undefined {
    return this.state.objects[Ledger.key(kind, ns, name)];
  }

  /** Creates or updates one object; returns the refusal, or undefined when accepted. */
  apply(o: Obj, defaultNamespace = "default"): string | undefined {
    const ns = this.namespaceOf(o, defaultNamespace);
    const refuse = (message: string) => (this.state.refusals.push(message), message);
    if (String(o.apiVersion).startsWith("monitoring.googleapis.com/") && !this.state.servesGmp) {
      return refuse(`error: resource mapping not found for name: "${o.metadata?.name}": no matches for kind "${o.kind}" in version "${o.apiVersion}"`);
    }
    if (ns !== undefined && !this.state.namespaces.includes(ns)) return refuse(`Error from server (NotFound): namespaces "${ns}" not found`);
    if (o.kind === "Namespace" && !this.state.namespaces.includes(o.metadata.name)) this.state.namespaces.push(o.metadata.name);
    const stored = { ...o, metadata: { ...o.metadata, ...(ns !== undefined ? { namespace: ns } : {}) } };
    this.state.objects[Ledger.key(o.kind, ns, o.metadata.name)] = stored;
    if (o.kind === "Job") this.startJob(stored);
    return undefined;
  }

  delete(kind: string, ns: string | undefined, name: string): boolean {
    const key = Ledger.key(kind, ns, name);
    const existed = key in this.state.objects;
    delete this.state.objects[key];
    delete this.state.jobs[key];
    return existed;
  }

  /** Pod admission and the kubelet, for a pod of this template: why it cannot start, or undefined. */
  podProblem(spec: Obj, ns: string): string | undefined {
    const sa = spec.serviceAccountName ?? "default";
    if (sa !== "default" && !this.get("ServiceAccount", ns, sa)) return `pods is forbidden: error looking up service account ${ns}/${sa}: serviceaccount "${sa}" not found`;
    for (const v of spec.volumes ?? []) {
      if (v.secret && !this.get("Secret", ns, v.secret.secretName) && v.secret.optional !== true) {
        return `ContainerCreating: MountVolume.SetUp failed for volume "${v.name}": secret "${v.secret.secretName}" not found`;
      }
    }
    return undefined;
  }

  private startJob(job: Obj): void {
    const ns = job.metadata.namespace as string;
    const problem = this.podProblem(job.spec.template.spec, ns);
    const key = Ledger.key("Job", ns, job.metadata.name);
    if (problem) {
      this.state.jobs[key] = { complete: false, reason: problem };
      if (problem.startsWith("pods is forbidden")) this.state.refusals.push(`Job ${ns}/${job.metadata.name}: ${problem}`);
    } else {
      this.state.jobs[key] = { complete: true };
    }
  }
}
