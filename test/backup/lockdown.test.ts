/**
 * Issue 29 §1: what runs in the cluster is locked down. The manifests are read as the cluster reads them (every
 * file synth writes under cdktf.out/kubernetes/<env>/, parsed with a YAML 1.1 resolver as kubectl's
 * sigs.k8s.io/yaml does), and judged by three models written here from the documentation, not from the code that
 * generates the manifests:
 *
 * - Which NetworkPolicies select a pod: Kubernetes' own rule (a policy selects the pods of its namespace that its
 *   `podSelector` matches; a label selector's `matchLabels` and `matchExpressions` are ANDed; In, NotIn, Exists,
 *   DoesNotExist as apimachinery's labels package defines them; an empty selector selects every pod), and which
 *   directions a policy governs (`policyTypes`, defaulting to Ingress, plus Egress when it has egress rules).
 * - What a container listens on, for the official MySQL image: the classic protocol on `bind-address` (default
 *   `*`) port `port` (3306) unless `--skip-networking`; the X Protocol on `mysqlx-bind-address` (default `*`) port
 *   `mysqlx-port` (33060) unless the plugin is off (`--mysqlx=OFF`); the admin interface only with
 *   `--admin-address` (MySQL 8.0 Reference Manual, "Server System Variables" and "X Plugin Options and Variables").
 *   And how its entrypoint makes root: `root@'%'` unless MYSQL_ROOT_HOST says otherwise (docker-library/mysql 8.0
 *   docker-entrypoint.sh: `file_env 'MYSQL_ROOT_HOST' '%'`).
 * - The Pod Security Standards' restricted profile, the fields this repository's pods set.
 *
 * Each model has a case that fails: the manifest as it was before issue 29 (X Protocol on, root@'%' with an empty
 * password), a workload without its policy, a selector that does not match.
 */
import { parseAllDocuments } from "yaml";
import { ENV_NAMES, loadEnvironments, type EnvironmentConfig } from "../../config";
import { kubernetesFiles } from "../../backup/manifests";

const envs = loadEnvironments();

// --- reading the manifests as the cluster does --------------------------------------------------------------

type Obj = Record<string, any>;
type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };

/** Every object of every file synth writes for the environment, read with YAML 1.1 (kubectl's resolver). */
function clusterObjects(env: EnvironmentConfig): Obj[] {
  return Object.values(kubernetesFiles([env])).flatMap((text) => parseAllDocuments(text, { version: "1.1" }).map((d) => d.toJSON() as Obj));
}

interface Workload {
  readonly id: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly spec: Obj;
}

/** The Pod templates objects run: a Pod, a Job, a CronJob's Job, a Deployment, StatefulSet, DaemonSet, ReplicaSet. */
function workloads(objects: Obj[]): Workload[] {
  return objects.flatMap((o) => {
    const template =
      o.kind === "Pod" ? { metadata: o.metadata, spec: o.spec }
      : o.kind === "CronJob" ? o.spec.jobTemplate.spec.template
      : ["Job", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(o.kind) ? o.spec.template
      : undefined;
    if (!template) return [];
    return [{ id: `${o.kind}/${o.metadata.name}`, namespace: o.metadata.namespace ?? "default", labels: template.metadata?.labels ?? {}, annotations: template.metadata?.annotations ?? {}, spec: template.spec }];
  });
}

/** apimachinery's label selector semantics (LabelSelectorAsSelector): every requirement must hold. */
function matches(selector: Selector | undefined, labels: Record<string, string>): boolean {
  if (selector === undefined) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case "In":
        return key in labels && values.includes(labels[key]);
      case "NotIn":
        return !(key in labels) || !values.includes(labels[key]);
      case "Exists":
        return key in labels;
      case "DoesNotExist":
        return !(key in labels);
      default:
        throw new Error(`unknown selector operator ${operator}`);
    }
  });
  return byLabels && byExpressions;
}

const policiesOf = (objects: Obj[]) => objects.filter((o) => o.kind === "NetworkPolicy");
const selecting = (objects: Obj[], w: Workload) => policiesOf(objects).filter((p) => p.metadata.namespace === w.namespace && matches(p.spec.podSelector, w.labels));
/** `policyTypes` as the API server defaults it: Ingress always, Egress when the policy has egress rules. */
const typesOf = (policy: Obj): string[] => policy.spec.policyTypes ?? ["Ingress", ...(policy.spec.egress ? ["Egress"] : [])];

/** One line per allowed destination (egress) or source (ingress), for comparison with hand-written expectations. */
function describeRules(rules: Obj[], side: "to" | "from"): string[] {
  return rules.flatMap((rule) => {
    const ports = (rule.ports ?? [{ protocol: "any", port: "any" }]).map((p: Obj) => `${p.protocol ?? "TCP"}/${p.port ?? "any"}`).join(",");
    const peers: Obj[] = rule[side] ?? [{ everything: true }];
    return peers.map((peer) => {
      if (peer.everything) return `anywhere ${ports}`;
      if (peer.ipBlock) return `${peer.ipBlock.cidr}${peer.ipBlock.except ? ` except ${peer.ipBlock.except.join(" ")}` : ""} ${ports}`;
      const ns = peer.namespaceSelector ? `ns(${JSON.stringify(peer.namespaceSelector)})` : "same-ns";
      const pods = peer.podSelector ? `pods(${JSON.stringify(peer.podSelector)})` : "all-pods";
      return `${ns} ${pods} ${ports}`;
    });
  });
}

// --- listeners of the official MySQL image ------------------------------------------------------------------

/** `--name=value` / `--name` / `--skip-name` of mysqld's command line, with - and _ alike (mysqld accepts both). */
function mysqldOptions(args: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (const arg of args) {
    const m = /^--(?:loose-)?([a-z0-9_-]+)(?:=(.*))?$/.exec(arg);
    if (!m) continue;
    const name = m[1].replace(/_/g, "-");
    if (name.startsWith("skip-")) options.set(name.slice(5), "OFF");
    else if (name.startsWith("disable-")) options.set(name.slice(8), "OFF");
    else if (name.startsWith("enable-")) options.set(name.slice(7), "ON");
    else options.set(name, m[2] ?? "ON");
  }
  return options;
}
const off = (value: string | undefined) => value !== undefined && /^(OFF|0|FALSE)$/i.test(value);

/** What a container of the official MySQL image listens on: "address:port" per listener. */
function mysqlListeners(container: Obj): string[] {
  const o = mysqldOptions([...(container.command ?? []), ...(container.args ?? [])]);
  const listeners: string[] = [];
  // skip-networking: "the server permits only local (non-TCP/IP) connections" (no classic TCP listener).
  if (!(o.get("networking") === "OFF")) listeners.push(`${o.get("bind-address") ?? "*"}:${o.get("port") ?? "3306"}`);
  // X Plugin: loaded and listening by default in 8.0 on mysqlx_bind_address (default *) and mysqlx_port (33060).
  // Counted even with skip-networking: only turning the plugin off is taken as closing it.
  if (!off(o.get("mysqlx"))) listeners.push(`${o.get("mysqlx-bind-address") ?? "*"}:${o.get("mysqlx-port") ?? "33060"}`);
  if (o.has("admin-address")) listeners.push(`${o.get("admin-address")}:${o.get("admin-port") ?? "33062"}`);
  return listeners;
}
const LOOPBACK = /^(127\.0\.0\.1|::1|localhost)(:\d+)?$/;

/** The problems of a pod that holds restored data: listeners beyond loopback, root beyond loopback, weak passwords. */
function restoredDataProblems(w: Workload, mysqlImage: string): string[] {
  const problems: string[] = [];
  const containers: Obj[] = [...(w.spec.initContainers ?? []), ...w.spec.containers];
  for (const c of containers) {
    for (const p of c.ports ?? []) problems.push(`${w.id}/${c.name}: declares containerPort ${p.containerPort} (reachable from the pod network)`);
    if (c.image !== mysqlImage) continue;
    for (const l of mysqlListeners(c)) if (!LOOPBACK.test(l)) problems.push(`${w.id}/${c.name}: listens on ${l}`);
    const env = Object.fromEntries((c.env ?? []).map((e: Obj) => [e.name, e]));
    const rootHost = env.MYSQL_ROOT_HOST?.value ?? "%";
    if (!/^(localhost|127\.0\.0\.1|::1)$/.test(rootHost)) problems.push(`${w.id}/${c.name}: root@'${rootHost}'`);
    for (const name of ["MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD", "MYSQL_ROOT_PASSWORD"]) {
      if (env[name]) problems.push(`${w.id}/${c.name}: sets ${name}`);
    }
    const options = mysqldOptions(c.args ?? []);
    if (!off(options.get("log-bin"))) problems.push(`${w.id}/${c.name}: binary log on`);
  }
  return problems;
}

// --- the tests ----------------------------------------------------------------------------------------------

describe.each(ENV_NAMES)("the manifests of %s, as the cluster reads them", (name) => {
  const env = envs[name];
  const objects = clusterObjects(env);
  const all = workloads(objects);
  const byId = (id: string) => all.find((w) => w.id === id)!;

  it("run these workloads (a new one needs its own policy, and a line here)", () => {
    expect(all.map((w) => `${w.namespace}/${w.id}`).sort()).toEqual([
      "monitoring/Deployment/prometheus-pushgateway",
      "packagecloud/CronJob/packagecloud-offsite-backup",
      "packagecloud/CronJob/packagecloud-restore-verify",
      "packagecloud/Job/packagecloud-database-grants",
    ]);
  });

  it("select every workload with a NetworkPolicy that governs both directions", () => {
    const unguarded = all.filter((w) => {
      const types = selecting(objects, w).flatMap(typesOf);
      return !types.includes("Ingress") || !types.includes("Egress");
    });
    expect(unguarded.map((w) => w.id)).toEqual([]);
  });

  it("deny all ingress to the jobs; admit only the jobs' pushes and the managed collectors' scrapes to the Pushgateway", () => {
    for (const id of ["CronJob/packagecloud-offsite-backup", "CronJob/packagecloud-restore-verify", "Job/packagecloud-database-grants"]) {
      expect([id, describeRules(selecting(objects, byId(id)).flatMap((p) => p.spec.ingress ?? []), "from")]).toEqual([id, []]);
    }
    expect(describeRules(selecting(objects, byId("Deployment/prometheus-pushgateway")).flatMap((p) => p.spec.ingress ?? []), "from")).toEqual([
      'ns({"matchLabels":{"kubernetes.io/metadata.name":"packagecloud"}}) pods({"matchExpressions":[{"key":"app.kubernetes.io/name","operator":"In","values":["packagecloud-offsite-backup","packagecloud-restore-verify"]}]}) TCP/9091',
      'ns({"matchLabels":{"kubernetes.io/metadata.name":"gmp-system"}}) pods({"matchLabels":{"app.kubernetes.io/name":"collector"}}) TCP/9091',
    ]);
  });

  it("let each workload out only where it must go (hand-written from the issue: DNS, the metadata server, Cloud SQL, AWS over 443, the Pushgateway)", () => {
    const egress = (id: string) => describeRules(selecting(objects, byId(id)).flatMap((p) => p.spec.egress ?? []), "to");
    const dns = [
      'ns({"matchLabels":{"kubernetes.io/metadata.name":"kube-system"}}) pods({"matchLabels":{"k8s-app":"kube-dns"}}) UDP/53,TCP/53',
      "169.254.20.10/32 UDP/53,TCP/53",
      "169.254.169.254/32 UDP/53,TCP/53",
    ];
    const metadata = ["169.254.169.254/32 TCP/80", "169.254.169.252/32 TCP/988"];
    const cloudSql = [`${env.gcp.network.privateServiceCidr} TCP/3307`];
    const https = ["0.0.0.0/0 except 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 100.64.0.0/10 169.254.0.0/16 TCP/443"];
    const pushgateway = ['ns({"matchLabels":{"kubernetes.io/metadata.name":"monitoring"}}) pods({"matchLabels":{"app.kubernetes.io/name":"prometheus-pushgateway"}}) TCP/9091'];
    expect(egress("CronJob/packagecloud-offsite-backup")).toEqual([...dns, ...metadata, ...cloudSql, ...https, ...pushgateway]);
    expect(egress("CronJob/packagecloud-restore-verify")).toEqual([...dns, ...https, ...pushgateway]);
    expect(egress("Job/packagecloud-database-grants")).toEqual([...dns, ...metadata, ...cloudSql, ...https]);
    expect(egress("Deployment/prometheus-pushgateway")).toEqual([]);
  });

  it("keep the pod that holds restored data at loopback: no listener beyond it, root only on loopback, a password made per run, no binary log", () => {
    const restore = byId("CronJob/packagecloud-restore-verify");
    // The pod that decrypts backups (it mounts the age identity) is the one that holds restored data.
    const holders = all.filter((w) => (w.spec.volumes ?? []).some((v: Obj) => v.secret?.secretName === env.backupJob.kubernetes.ageIdentitySecret));
    expect(holders.map((w) => w.id)).toEqual([restore.id]);
    expect(restoredDataProblems(restore, env.backupJob.kubernetes.images.scratchMysql)).toEqual([]);
  });

  it("make the scratch server's password in the pod, before the server starts, on a memory volume only the pod reads", () => {
    const spec = byId("CronJob/packagecloud-restore-verify").spec;
    const mysql = spec.initContainers.find((c: Obj) => c.image === env.backupJob.kubernetes.images.scratchMysql);
    const file = mysql.env.find((e: Obj) => e.name === "MYSQL_ROOT_PASSWORD_FILE").value as string;
    const volume = (c: Obj) => c.volumeMounts.find((m: Obj) => file.startsWith(`${m.mountPath}/`))?.name;
    const writerIndex = spec.initContainers.findIndex((c: Obj) => c.restartPolicy !== "Always" && (c.command ?? []).join(" ").includes(file));
    // A plain init container runs to completion before the native sidecars after it start.
    expect(writerIndex).toBeGreaterThanOrEqual(0);
    expect(writerIndex).toBeLessThan(spec.initContainers.indexOf(mysql));
    expect(spec.initContainers[writerIndex].command.join(" ")).toMatch(/\/dev\/urandom/);
    const source = spec.volumes.find((v: Obj) => v.name === volume(mysql));
    expect(source).toEqual({ name: volume(mysql), emptyDir: { medium: "Memory", sizeLimit: expect.any(String) } });
    // The check reads the same file.
    const verify = spec.containers.find((c: Obj) => c.name === "verify");
    expect(Object.fromEntries(verify.env.map((e: Obj) => [e.name, e.value]))).toMatchObject({ RESTORE_DB_AUTH: "password-file", RESTORE_DB_PASSWORD_FILE: file, RESTORE_DB_USER: "root" });
    expect(volume(verify)).toBe(volume(mysql));
  });

  it("keep the backup and the verification from the autoscaler's evictions", () => {
    for (const id of ["CronJob/packagecloud-offsite-backup", "CronJob/packagecloud-restore-verify"]) {
      expect([id, byId(id).annotations["cluster-autoscaler.kubernetes.io/safe-to-evict"]]).toEqual([id, "false"]);
    }
  });

  it("run every container under the restricted Pod Security profile's settings", () => {
    for (const w of all) {
      expect([w.id, w.spec.securityContext?.runAsNonRoot, w.spec.securityContext?.seccompProfile?.type]).toEqual([w.id, true, "RuntimeDefault"]);
      for (const c of [...(w.spec.initContainers ?? []), ...w.spec.containers]) {
        expect([`${w.id}/${c.name}`, c.securityContext]).toEqual([
          `${w.id}/${c.name}`,
          expect.objectContaining({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true, readOnlyRootFilesystem: true }),
        ]);
      }
    }
  });
});

describe("the models can fail", () => {
  const env = envs.ops;
  const objects = clusterObjects(env);
  const restoreOf = (objs: Obj[]) => workloads(objs).find((w) => w.id === "CronJob/packagecloud-restore-verify")!;

  it("fails if: the scratch MySQL is configured as before issue 29 (--bind-address only, MYSQL_ALLOW_EMPTY_PASSWORD)", () => {
    const old = structuredClone(objects);
    const restore = restoreOf(old);
    const mysql = restore.spec.initContainers.find((c: Obj) => c.name === "scratch-mysql");
    mysql.args = ["--bind-address=127.0.0.1", "--skip-name-resolve", "--innodb-buffer-pool-size=512M"];
    mysql.env = [{ name: "MYSQL_ALLOW_EMPTY_PASSWORD", value: "yes" }];
    expect(restoredDataProblems(restore, env.backupJob.kubernetes.images.scratchMysql)).toEqual([
      "CronJob/packagecloud-restore-verify/scratch-mysql: listens on *:33060",
      "CronJob/packagecloud-restore-verify/scratch-mysql: root@'%'",
      "CronJob/packagecloud-restore-verify/scratch-mysql: sets MYSQL_ALLOW_EMPTY_PASSWORD",
      "CronJob/packagecloud-restore-verify/scratch-mysql: binary log on",
    ]);
  });

  it("fails if: a MySQL container keeps its default listeners, or declares a port", () => {
    expect(mysqlListeners({ args: [] })).toEqual(["*:3306", "*:33060"]);
    expect(mysqlListeners({ args: ["--skip_networking", "--mysqlx=0", "--admin-address=0.0.0.0"] })).toEqual(["0.0.0.0:33062"]);
    const declared = structuredClone(restoreOf(objects));
    declared.spec.initContainers.find((c: Obj) => c.name === "scratch-mysql").ports = [{ containerPort: 3306 }];
    expect(restoredDataProblems(declared, env.backupJob.kubernetes.images.scratchMysql)).toEqual(["CronJob/packagecloud-restore-verify/scratch-mysql: declares containerPort 3306 (reachable from the pod network)"]);
  });

  it("fails if: a workload's policy is missing, or selects by a label the pod does not carry", () => {
    const without = objects.filter((o) => !(o.kind === "NetworkPolicy" && o.metadata.name === "packagecloud-restore-verify"));
    expect(workloads(without).filter((w) => selecting(without, w).length === 0).map((w) => w.id)).toEqual(["CronJob/packagecloud-restore-verify"]);
    const w = restoreOf(objects);
    expect(matches({ matchLabels: { "app.kubernetes.io/name": "packagecloud-restore-verify" } }, w.labels)).toBe(true);
    expect(matches({ matchLabels: { "app.kubernetes.io/name": "packagecloud-restore" } }, w.labels)).toBe(false);
    expect(matches({ matchExpressions: [{ key: "app.kubernetes.io/name", operator: "NotIn", values: ["packagecloud-restore-verify"] }] }, w.labels)).toBe(false);
    expect(matches({ matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] }, w.labels)).toBe(true);
    expect(matches({ matchExpressions: [{ key: "tier", operator: "Exists" }] }, w.labels)).toBe(false);
    expect(matches({}, w.labels)).toBe(true); // an empty selector selects every pod of its namespace
    // Namespaces count: the same policy in another namespace selects nothing here.
    const elsewhere = objects.map((o) => (o.kind === "NetworkPolicy" ? { ...o, metadata: { ...o.metadata, namespace: "other" } } : o));
    expect(selecting(elsewhere, w)).toEqual([]);
  });

  it("fails if: a policy lists only Ingress (egress then stays open), by the API server's default for policyTypes", () => {
    expect(typesOf({ spec: { podSelector: {}, ingress: [] } })).toEqual(["Ingress"]);
    expect(typesOf({ spec: { podSelector: {}, egress: [] } })).toEqual(["Ingress", "Egress"]);
    expect(describeRules([{}], "to")).toEqual(["anywhere any/any"]);
  });
});
