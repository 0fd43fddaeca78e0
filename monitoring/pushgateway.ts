/**
 * The metrics path of a dedicated cluster (issue 29 §2; seed 002: alerts that reach no one are no alerts). The GKE
 * backup jobs push their metrics to a Pushgateway; in the cluster this repository creates, nothing else would run
 * one, so this module does, and has Google Cloud Managed Service for Prometheus (which GKE runs: managed
 * collection) scrape it and evaluate the backup rules:
 *
 * - the Pushgateway (prometheus/pushgateway v1.11.3) in namespace `monitoring`, one replica, its metrics persisted
 *   to a persistent disk (`--persistence.file`), so that a restart (a node drained in the weekend's maintenance
 *   window) brings every push group back; on SIGTERM it writes the file before exiting (storage/diskmetricstore.go,
 *   `loop`: the drain case persists), and between pushes at most every `--persistence.interval`;
 * - a `PodMonitoring` (monitoring.googleapis.com/v1) that has the managed collectors scrape it;
 * - a `Rules` resource (monitoring.googleapis.com/v1) holding the same rule groups as
 *   cdktf.out/monitoring/<env>/prometheus-rules.yml, evaluated by the managed rule-evaluator. Its alerts go to the
 *   managed Alertmanager, configured by the Secret `alertmanager` in `gmp-public` (docs/first-deploy.md).
 *
 * GMP's `Rules` are scoped to their own namespace: every selector gets project_id, location, cluster and
 * namespace="monitoring" added (GMP docs, "Managed rule evaluation and alerting"), which is where the Pushgateway's
 * series live. GMP's scrape has no honor_labels (ScrapeEndpoint in pkg/operator/apis/monitoring/v1/pod_types.go at
 * v0.17.2 has no such field, and `job`/`instance` are protected target labels): the pushed `job` label arrives as
 * `exported_job`. The rules select by `backup` only, so nothing depends on it.
 *
 * The managed collection must be enabled on the cluster (`monitoring_config.managed_prometheus.enabled` of
 * google_container_cluster), or the API server does not know these kinds: operator/ci/kubectl-apply.sh checks first.
 *
 * @example
 *   metricsObjects(env)   // [PersistentVolumeClaim, Deployment, Service, PodMonitoring, Rules], dedicated clusters only
 */
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { EnvironmentConfig } from "../config";
import { restricted, SCRATCH_STORAGE_CLASS } from "../backup/jobs";
import { monitoringDefinitions } from "./from-config";
import { MANAGED_PUSHGATEWAY, PUSHGATEWAY_POD_LABELS } from "./metrics-path";
import { prometheusRules, type RuleGroup } from "./prometheus-rules";

/** The release whose flags the Deployment uses; pin its digest in backupJob.kubernetes.images.pushgateway. */
export const PUSHGATEWAY_VERSION = "1.11.3";

/** The image's user: `USER 65534` (nobody) in its Dockerfile at the tag. */
const PUSHGATEWAY_UID = 65534;
const DATA_DIR = "/data";

/** GMP's API group and version for PodMonitoring and Rules (pkg/operator/apis/monitoring/v1). */
export const GMP_API_VERSION = "monitoring.googleapis.com/v1";

/**
 * The Pushgateway's arguments (flags of main.go at v1.11.3).
 * `--persistence.interval=1m`: the file is written at most a minute after a push (default 5m), so a crash (not a
 * drain: SIGTERM persists at once) loses at most a minute of pushes. The admin API (DELETE of groups) and the
 * lifecycle endpoints stay off, their default.
 */
export const PUSHGATEWAY_ARGS = [`--web.listen-address=:${MANAGED_PUSHGATEWAY.port}`, `--persistence.file=${DATA_DIR}/pushgateway.metrics`, "--persistence.interval=1m"] as const;

/** How often the managed collectors scrape it. */
export const SCRAPE_INTERVAL = "30s";

/** A custom resource of Managed Service for Prometheus (no typed model exists for it in kubernetes-models). */
export interface GmpResource {
  readonly apiVersion: typeof GMP_API_VERSION;
  readonly kind: "PodMonitoring" | "Rules";
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
  readonly spec: Record<string, unknown>;
}

const labels = (env: EnvironmentConfig) => ({ ...PUSHGATEWAY_POD_LABELS, "app.kubernetes.io/part-of": "packagecloud", "packagecloud.io/environment": env.name });

/** The `monitoring` Namespace: only this repository's Pushgateway runs there, so the restricted profile is enforced. */
export function monitoringNamespace(): Namespace {
  return new Namespace({
    metadata: {
      name: MANAGED_PUSHGATEWAY.namespace,
      labels: { "app.kubernetes.io/part-of": "packagecloud", "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/warn": "restricted" },
    },
  });
}

export function pushgatewayServiceAccount(env: EnvironmentConfig): ServiceAccount {
  return new ServiceAccount({ metadata: { name: MANAGED_PUSHGATEWAY.name, namespace: MANAGED_PUSHGATEWAY.namespace, labels: labels(env) }, automountServiceAccountToken: false });
}

/** The rule groups GMP evaluates: the same as prometheus-rules.yml's, from the same definitions. */
export function gmpRuleGroups(env: EnvironmentConfig): readonly RuleGroup[] {
  return prometheusRules(monitoringDefinitions(env)).groups;
}

/** The Pushgateway, its disk and Service, its scrape and the rules: for a dedicated cluster (runsOwnPushgateway). */
export function metricsObjects(env: EnvironmentConfig): Array<PersistentVolumeClaim | Deployment | Service | GmpResource> {
  const namespace = MANAGED_PUSHGATEWAY.namespace;
  const name = MANAGED_PUSHGATEWAY.name;
  const meta = { name, namespace, labels: labels(env) };
  const disk = new PersistentVolumeClaim({
    metadata: meta,
    spec: {
      accessModes: ["ReadWriteOnce"],
      storageClassName: SCRATCH_STORAGE_CLASS,
      // The file is kilobytes; 10 GiB is pd-balanced's smallest disk (the CSI driver would round up to it anyway).
      resources: { requests: { storage: "10Gi" } },
    },
  });
  const deployment = new Deployment({
    metadata: meta,
    spec: {
      replicas: 1,
      // One ReadWriteOnce disk: the old pod lets go of it before the new one starts.
      strategy: { type: "Recreate" },
      selector: { matchLabels: { ...PUSHGATEWAY_POD_LABELS } },
      template: {
        metadata: { labels: labels(env) },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, fsGroup: PUSHGATEWAY_UID, seccompProfile: { type: "RuntimeDefault" } },
          nodeSelector: { "packagecloud.io/pool": "background" },
          // SIGTERM persists the metrics before exit; the default 30 s is ample for a file of kilobytes.
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: "pushgateway",
              image: env.backupJob.kubernetes.images.pushgateway,
              args: [...PUSHGATEWAY_ARGS],
              ports: [{ name: "metrics", containerPort: MANAGED_PUSHGATEWAY.port, protocol: "TCP" }],
              // /-/ready and /-/healthy: the Pushgateway's own endpoints (web/handler). The kubelet's probes come
              // from the node, which NetworkPolicy always admits.
              readinessProbe: { httpGet: { path: "/-/ready", port: "metrics" }, periodSeconds: 10 },
              livenessProbe: { httpGet: { path: "/-/healthy", port: "metrics" }, periodSeconds: 30, failureThreshold: 4 },
              volumeMounts: [{ name: "data", mountPath: DATA_DIR }],
              resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
              securityContext: restricted(PUSHGATEWAY_UID),
            },
          ],
          volumes: [{ name: "data", persistentVolumeClaim: { claimName: name } }],
        },
      },
    },
  });
  const service = new Service({
    metadata: meta,
    spec: { type: "ClusterIP", selector: { ...PUSHGATEWAY_POD_LABELS }, ports: [{ name: "metrics", port: MANAGED_PUSHGATEWAY.port, targetPort: "metrics", protocol: "TCP" }] },
  });
  // PodMonitoringSpec: selector, endpoints[] (port by name or number, interval required), pod_types.go at v0.17.2.
  const podMonitoring: GmpResource = {
    apiVersion: GMP_API_VERSION,
    kind: "PodMonitoring",
    metadata: meta,
    spec: { selector: { matchLabels: { ...PUSHGATEWAY_POD_LABELS } }, endpoints: [{ port: "metrics", interval: SCRAPE_INTERVAL }] },
  };
  // RulesSpec: groups, "identical to the upstream Prometheus rule_group array" (GMP docs; rules_types.go at v0.17.2).
  const rules: GmpResource = {
    apiVersion: GMP_API_VERSION,
    kind: "Rules",
    metadata: { name: "packagecloud-backups", namespace, labels: labels(env) },
    spec: { groups: JSON.parse(JSON.stringify(gmpRuleGroups(env))) },
  };
  return [disk, deployment, service, podMonitoring, rules];
}
