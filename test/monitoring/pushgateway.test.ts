/**
 * Issue 29 §2: the metrics path. In a dedicated cluster this repository runs the Pushgateway the jobs push to, with
 * its groups on a persistent disk, scraped and evaluated by Google Cloud Managed Service for Prometheus (a
 * PodMonitoring and a Rules resource, monitoring.googleapis.com/v1); in a shared cluster the Pushgateway is a
 * prerequisite the configuration names. Expectations come from the sources cited, written out here: the
 * Pushgateway's flags at v1.11.3 (main.go), GMP's resource shapes at v0.17.2 (pkg/operator/apis/monitoring/v1), and
 * the URL.
 */
import { parseAllDocuments, parse } from "yaml";
import { ENV_NAMES, loadEnvironments, type EnvironmentConfig } from "../../config";
import { kubernetesObjects } from "../../backup/jobs";
import { kubernetesFiles } from "../../backup/manifests";
import { networkPolicies } from "../../backup/network-policies";
import { monitoringFiles } from "../../monitoring/from-config";
import { pushgatewayTarget, pushgatewayUrl } from "../../monitoring/metrics-path";
import { metricsObjects } from "../../monitoring/pushgateway";
import { rejection, variant } from "../support/config";
import { parseEnvironment } from "../../config";

const envs = loadEnvironments();

/** Every flag `pushgateway --help` lists at v1.11.3: main.go's own, and exporter-toolkit's web and log flags. */
const PUSHGATEWAY_FLAGS = [
  "web.listen-address", "web.systemd-socket", "web.config.file", "web.telemetry-path", "web.external-url", "web.route-prefix", "web.enable-lifecycle",
  "web.enable-admin-api", "persistence.file", "persistence.interval", "push.disable-consistency-check", "push.enable-utf8-names", "log.level", "log.format",
];

describe.each(ENV_NAMES)("the Pushgateway of %s's dedicated cluster", (name) => {
  const env = envs[name];
  const objects = metricsObjects(env).map((o) => JSON.parse(JSON.stringify("toJSON" in o ? o.toJSON() : o)));
  const of = (kind: string) => objects.find((o) => o.kind === kind)!;
  const deployment = of("Deployment");
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];

  it("is where the jobs push: http://prometheus-pushgateway.monitoring.svc:9091 (the issue's URL), the Service in front of the pod", () => {
    expect(pushgatewayUrl(env)).toBe("http://prometheus-pushgateway.monitoring.svc:9091");
    for (const job of kubernetesObjects(env)) {
      const main = job.spec!.jobTemplate.spec!.template.spec!.containers[0];
      expect(main.env!.find((e) => e.name === "PUSHGATEWAY_URL")!.value).toBe("http://prometheus-pushgateway.monitoring.svc:9091");
    }
    const service = of("Service");
    expect(service.metadata).toMatchObject({ name: "prometheus-pushgateway", namespace: "monitoring" });
    expect(service.spec.ports).toEqual([{ name: "metrics", port: 9091, targetPort: "metrics", protocol: "TCP" }]);
    // The Service's selector matches the pod (all its labels present with the same values).
    for (const [k, v] of Object.entries(service.spec.selector)) expect(pod.metadata.labels[k]).toBe(v);
    expect(container.ports).toEqual([{ name: "metrics", containerPort: 9091, protocol: "TCP" }]);
  });

  it("keeps its push groups on a persistent disk, written within a minute, and restarts without two pods on one disk", () => {
    expect(container.args).toEqual(["--web.listen-address=:9091", "--persistence.file=/data/pushgateway.metrics", "--persistence.interval=1m"]);
    for (const arg of container.args) expect(PUSHGATEWAY_FLAGS).toContain(/^--([a-z.-]+)=/.exec(arg)![1]);
    const mount = container.volumeMounts.find((m: any) => m.mountPath === "/data");
    const volume = pod.spec.volumes.find((v: any) => v.name === mount.name);
    expect(volume.persistentVolumeClaim.claimName).toBe(of("PersistentVolumeClaim").metadata.name);
    expect(of("PersistentVolumeClaim").spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "standard-rwo", resources: { requests: { storage: "10Gi" } } });
    expect(deployment.spec).toMatchObject({ replicas: 1, strategy: { type: "Recreate" } });
    expect(container.image).toBe(env.backupJob.kubernetes.images.pushgateway);
    expect(container.image).toMatch(/^quay\.io\/prometheus\/pushgateway@sha256:[0-9a-f]{64}$/);
    // The Pushgateway's own health endpoints (main.go: /-/healthy, /-/ready).
    expect([container.readinessProbe.httpGet.path, container.livenessProbe.httpGet.path]).toEqual(["/-/ready", "/-/healthy"]);
    // Neither the admin API (deleting groups) nor the lifecycle endpoints (shutting it down).
    expect(container.args.join(" ")).not.toMatch(/enable-admin-api|enable-lifecycle/);
  });

  it("is scraped by Managed Service for Prometheus: a PodMonitoring in its namespace that selects its pod, on the named port", () => {
    const pm = of("PodMonitoring");
    expect(pm.apiVersion).toBe("monitoring.googleapis.com/v1");
    expect(pm.metadata.namespace).toBe("monitoring");
    for (const [k, v] of Object.entries(pm.spec.selector.matchLabels)) expect(pod.metadata.labels[k]).toBe(v);
    // ScrapeEndpoint: port (name or number) and interval are required; the port names the container's port.
    expect(pm.spec.endpoints).toEqual([{ port: "metrics", interval: "30s" }]);
    expect(container.ports.map((p: any) => p.name)).toContain(pm.spec.endpoints[0].port);
  });

  it("has the rules evaluated where its series are: a Rules resource in its namespace holding prometheus-rules.yml's groups", () => {
    const rules = of("Rules");
    expect(rules).toMatchObject({ apiVersion: "monitoring.googleapis.com/v1", kind: "Rules", metadata: { namespace: "monitoring" } });
    const file = parse(monitoringFiles([env])[`monitoring/${name}/prometheus-rules.yml`]);
    expect(rules.spec.groups).toEqual(file.groups);
    // GMP's Rule: exactly one of record and alert; annotations only on alerts (rules_types.go validations).
    for (const rule of rules.spec.groups.flatMap((g: any) => g.rules)) {
      expect(("record" in rule ? 1 : 0) + ("alert" in rule ? 1 : 0)).toBe(1);
      if (!("alert" in rule)) expect(rule.annotations).toBeUndefined();
    }
  });
});

describe("a shared cluster (gcp.cluster.mode existing): the Pushgateway is a prerequisite named in config", () => {
  const existing = (change: (e: any) => void = () => undefined) =>
    variant("ops", (e) => {
      e.gcp.cluster = { mode: "existing", name: "ops-gitlab-gke", location: "us-east1", nodePools: e.gcp.cluster.nodePools };
      e.backupJob.kubernetes.pushgatewayUrl = "http://pushgateway.observability.svc.cluster.local:9091";
      change(e);
    });

  it("points the jobs at the named URL, lets them reach that namespace and port, and runs no Pushgateway of its own", () => {
    const env: EnvironmentConfig = parseEnvironment("ops", existing());
    expect(pushgatewayUrl(env)).toBe("http://pushgateway.observability.svc.cluster.local:9091");
    expect(pushgatewayTarget(env)).toEqual({ namespace: "observability", port: 9091 });
    const backup = networkPolicies(env).find((p) => p.metadata!.name === "packagecloud-offsite-backup")!;
    expect(backup.spec!.egress).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observability" } } }], ports: [{ protocol: "TCP", port: 9091 }] });
    const files = kubernetesFiles([env]);
    expect(Object.keys(files)).toEqual([
      "kubernetes/ops/00-namespace.yaml",
      "kubernetes/ops/10-network-policies.yaml",
      "kubernetes/ops/backup-jobs.yaml",
      "kubernetes/ops/run-once/database-grants.yaml",
    ]);
    const kinds = Object.values(files).flatMap((t) => parseAllDocuments(t).map((d) => `${d.toJSON().kind}/${d.toJSON().metadata.name}`));
    expect(kinds.filter((k) => /pushgateway|monitoring|PodMonitoring|Rules/.test(k))).toEqual([]);
  });

  it("fails if: the shared cluster's Pushgateway URL is missing, naming the field and the prerequisite", () => {
    expect(rejection("ops", (e) => (e.gcp.cluster = { mode: "existing", name: "ops-gitlab-gke", location: "us-east1", nodePools: e.gcp.cluster.nodePools }))).toMatch(
      /backupJob\.kubernetes\.pushgatewayUrl[\s\S]*is required when gcp\.cluster\.mode is "existing": the shared cluster ops-gitlab-gke must already run a Pushgateway that its Prometheus scrapes/,
    );
  });

  it("fails if: the URL is not an in-cluster Service (an IP, credentials in it) or a dedicated cluster names one", () => {
    for (const url of ["http://10.0.0.5:9091", "http://user:s3cret@pushgateway.monitoring.svc:9091", "http://pushgateway.monitoring.svc"]) {
      expect(() => parseEnvironment("ops", existing((e) => (e.backupJob.kubernetes.pushgatewayUrl = url)))).toThrow(/pushgatewayUrl[\s\S]*must be the Pushgateway's in-cluster Service URL/);
      // The refusal never repeats a credential (config/redact.ts).
      expect(() => parseEnvironment("ops", existing((e) => (e.backupJob.kubernetes.pushgatewayUrl = url)))).not.toThrow(/s3cret/);
    }
    expect(rejection("ops", (e) => (e.backupJob.kubernetes.pushgatewayUrl = "http://prometheus-pushgateway.monitoring.svc:9091"))).toMatch(
      /backupJob\.kubernetes\.pushgatewayUrl[\s\S]*must be left out when gcp\.cluster\.mode is "dedicated"/,
    );
  });

  it("fails if: the Pushgateway's image is a tag, not a digest", () => {
    expect(rejection("ops", (e) => (e.backupJob.kubernetes.images.pushgateway = "quay.io/prometheus/pushgateway:v1.11.3"))).toMatch(
      /backupJob\.kubernetes\.images\.pushgateway[\s\S]*must be an image pinned by digest/,
    );
  });
});

describe("the restore verification's datadir size", () => {
  it("fails if: it is smaller than the source instance's disk (gcp.sql.diskGb), naming both", () => {
    expect(rejection("ops", (e) => (e.backupJob.kubernetes.restoreDataDiskGiB = 200))).toMatch(
      /backupJob\.kubernetes\.restoreDataDiskGiB[\s\S]*must be at least gcp\.sql\.diskGb \(500\)/,
    );
    expect(rejection("ops", (e) => (e.backupJob.kubernetes.restoreDataDiskGiB = 1.5))).toMatch(/restoreDataDiskGiB must be whole GiB/);
    expect(() => parseEnvironment("ops", variant("ops", (e) => (e.backupJob.kubernetes.restoreDataDiskGiB = 800)))).not.toThrow();
  });
});
