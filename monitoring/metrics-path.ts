/**
 * Where the GKE backup jobs' metrics go (issue 29 §2): the Pushgateway they push to, and who provides it.
 *
 * - `gcp.cluster.mode` "dedicated": this repository runs the Pushgateway in the cluster it creates
 *   (monitoring/pushgateway.ts: namespace `monitoring`, Service `prometheus-pushgateway`, port 9091, a persistent
 *   disk) and Google Cloud Managed Service for Prometheus scrapes it (a PodMonitoring) and evaluates the rules (a
 *   Rules resource).
 * - "existing": the shared cluster's own Pushgateway and the Prometheus that scrapes it are a prerequisite, named by
 *   `backupJob.kubernetes.pushgatewayUrl` (required there: config/schema.ts), an in-cluster Service URL.
 *
 * A leaf module: the jobs (backup/jobs.ts), the Pushgateway's objects and the NetworkPolicies all read it.
 *
 * @example
 *   pushgatewayUrl(env)      // "http://prometheus-pushgateway.monitoring.svc:9091"
 *   pushgatewayTarget(env)   // { namespace: "monitoring", port: 9091, podLabels: { "app.kubernetes.io/name": "prometheus-pushgateway" } }
 */
import type { EnvironmentConfig } from "../config";

/** The Pushgateway this repository runs in a dedicated cluster. */
export const MANAGED_PUSHGATEWAY = {
  namespace: "monitoring",
  name: "prometheus-pushgateway",
  /** The Pushgateway's default listen port (`--web.listen-address=:9091`). */
  port: 9091,
} as const;

/** The label every object of the managed Pushgateway carries; its pods are selected by it. */
export const PUSHGATEWAY_POD_LABELS = { "app.kubernetes.io/name": MANAGED_PUSHGATEWAY.name } as const;

/** True where this repository runs the Pushgateway (and the Managed Service for Prometheus objects). */
export const runsOwnPushgateway = (env: EnvironmentConfig): boolean => env.gcp.cluster.mode === "dedicated";

/** The base URL the jobs push to (PUSHGATEWAY_URL). */
export function pushgatewayUrl(env: EnvironmentConfig): string {
  if (runsOwnPushgateway(env)) return `http://${MANAGED_PUSHGATEWAY.name}.${MANAGED_PUSHGATEWAY.namespace}.svc:${MANAGED_PUSHGATEWAY.port}`;
  const url = env.backupJob.kubernetes.pushgatewayUrl;
  // The schema refuses an existing cluster without it; a direct caller with unchecked data gets the same fix.
  if (url === undefined) throw new Error(`backupJob.kubernetes.pushgatewayUrl is required when gcp.cluster.mode is "existing" (${env.name})`);
  return url.replace(/\/$/, "");
}

/**
 * What the jobs' egress NetworkPolicy may reach: the managed Pushgateway's pods by their label, or, in a shared
 * cluster, every pod of the URL's namespace on the URL's port (its pods' labels are the other team's to choose).
 */
export function pushgatewayTarget(env: EnvironmentConfig): { readonly namespace: string; readonly port: number; readonly podLabels?: Readonly<Record<string, string>> } {
  if (runsOwnPushgateway(env)) return { namespace: MANAGED_PUSHGATEWAY.namespace, port: MANAGED_PUSHGATEWAY.port, podLabels: PUSHGATEWAY_POD_LABELS };
  const match = /^https?:\/\/[^.]+\.([^.]+)\.svc(?:\.cluster\.local)?:(\d+)\/?$/.exec(pushgatewayUrl(env));
  if (!match) throw new Error(`backupJob.kubernetes.pushgatewayUrl (${env.name}) must be an in-cluster Service URL http://<service>.<namespace>.svc:<port>`);
  return { namespace: match[1]!, port: Number(match[2]) };
}
