/**
 * A NetworkPolicy for every workload the manifests run (issue 29 §1): the offsite backup, the restore
 * verification (whose pod holds a plaintext copy of production for hours), the database grants Job, and in a
 * dedicated cluster the Pushgateway. Each denies all ingress (the Pushgateway admits only the jobs' pushes and the
 * managed collectors' scrapes) and allows egress only where its workload must go:
 *
 * | workload | DNS | GKE metadata server | Cloud SQL (private IP :3307) | public :443 | Pushgateway |
 * | --- | --- | --- | --- | --- | --- |
 * | backup | yes | yes (the proxy's Workload Identity token) | yes | Cloud SQL Admin API, S3, STS | yes |
 * | restore verification | yes | no | no | S3, STS | yes |
 * | database grants | yes | yes | yes | Cloud SQL Admin API | no |
 * | Pushgateway | no | no | no | no | (ingress only) |
 *
 * GKE enforces them with Dataplane V2 (`datapathProvider: ADVANCED_DATAPATH`, constructs/gke-cluster.ts). Policies
 * select pods by `app.kubernetes.io/name`; one per workload, never a namespace-wide default deny: the application's
 * Helm chart runs in the same namespace and is not this repository's to lock down.
 *
 * Sources for the destinations:
 * - DNS: kube-dns pods (`k8s-app: kube-dns` in kube-system); NodeLocal DNSCache answers on 169.254.20.10; with
 *   Cloud DNS for GKE the metadata server answers DNS on 169.254.169.254 (GKE docs, "Using NodeLocal DNSCache",
 *   "Using Cloud DNS for GKE").
 * - GKE metadata server (Workload Identity): 169.254.169.254:80, and 169.254.169.252:988 where Dataplane V2
 *   evaluates policy after the node redirects metadata traffic (GKE docs, "Workload Identity Federation for GKE",
 *   network policy note).
 * - Cloud SQL Auth Proxy: the instance's private IP on 3307 and sqladmin.googleapis.com on 443 ("About the Cloud SQL
 *   Auth Proxy"); the instance's private IP lies in gcp.network.privateServiceCidr.
 * - AWS (S3, STS) and Google APIs have no fixed addresses: TCP 443 to everything that is not a private, shared,
 *   link-local or cluster range.
 *
 * @example
 *   networkPolicies(env)   // [NetworkPolicy packagecloud-offsite-backup, …]
 */
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyEgressRule, INetworkPolicyIngressRule, INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1";
import type { EnvironmentConfig } from "../config";
import { isPrivateRange } from "../config/validators";
import { GRANT_JOB_NAME } from "./database-grants";
import { JOB_NAMES } from "./jobs";
import { MANAGED_PUSHGATEWAY, PUSHGATEWAY_POD_LABELS, pushgatewayTarget, runsOwnPushgateway } from "../monitoring/metrics-path";

/** The port a Cloud SQL instance accepts the connectors' TLS connections on. */
export const CLOUD_SQL_SERVER_PORT = 3307;
/** Ranges that are never "the internet" (RFC 1918, RFC 6598, link-local): the public-443 rule excludes them. */
export const NOT_PUBLIC = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"] as const;

const NAME_LABEL = "app.kubernetes.io/name";
const namespaceLabel = (namespace: string) => ({ "kubernetes.io/metadata.name": namespace });

const dns: INetworkPolicyEgressRule = {
  to: [
    { namespaceSelector: { matchLabels: namespaceLabel("kube-system") }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } },
    { ipBlock: { cidr: "169.254.20.10/32" } },
    { ipBlock: { cidr: "169.254.169.254/32" } },
  ],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

const metadataServer: INetworkPolicyEgressRule[] = [
  { to: [{ ipBlock: { cidr: "169.254.169.254/32" } }], ports: [{ protocol: "TCP", port: 80 }] },
  { to: [{ ipBlock: { cidr: "169.254.169.252/32" } }], ports: [{ protocol: "TCP", port: 988 }] },
];

const cloudSql = (env: EnvironmentConfig): INetworkPolicyEgressRule => ({
  to: [{ ipBlock: { cidr: env.gcp.network.privateServiceCidr } }],
  ports: [{ protocol: "TCP", port: CLOUD_SQL_SERVER_PORT }],
});

/** TCP 443 to the internet: every range but the non-public ones and the cluster's own (should any be public). */
export function publicHttps(env: EnvironmentConfig): INetworkPolicyEgressRule {
  const n = env.gcp.network;
  const own = [n.subnetCidr, n.podsCidr, n.servicesCidr, n.masterCidr, n.privateServiceCidr].filter((cidr) => !isPrivateRange(cidr));
  return { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...NOT_PUBLIC, ...own] } }], ports: [{ protocol: "TCP", port: 443 }] };
}

function pushgateway(env: EnvironmentConfig): INetworkPolicyEgressRule {
  const target = pushgatewayTarget(env);
  const peer: INetworkPolicyPeer = { namespaceSelector: { matchLabels: namespaceLabel(target.namespace) } };
  return { to: [target.podLabels ? { ...peer, podSelector: { matchLabels: { ...target.podLabels } } } : peer], ports: [{ protocol: "TCP", port: target.port }] };
}

function policy(env: EnvironmentConfig, namespace: string, workload: string, rules: { ingress?: INetworkPolicyIngressRule[]; egress: INetworkPolicyEgressRule[] }): NetworkPolicy {
  return new NetworkPolicy({
    metadata: { name: workload, namespace, labels: { "app.kubernetes.io/part-of": "packagecloud", "packagecloud.io/environment": env.name } },
    spec: {
      podSelector: { matchLabels: { [NAME_LABEL]: workload } },
      // Both directions governed: with Ingress listed and no ingress rule, nothing may connect in; with Egress
      // listed, only the rules below go out (Kubernetes "Network Policies": policyTypes).
      policyTypes: ["Ingress", "Egress"],
      ...(rules.ingress ? { ingress: rules.ingress } : {}),
      egress: rules.egress,
    },
  });
}

/** The NetworkPolicies of an environment: the jobs' in their namespace, the Pushgateway's where it runs here. */
export function networkPolicies(env: EnvironmentConfig): NetworkPolicy[] {
  const ns = env.backupJob.kubernetes.namespace;
  const policies = [
    policy(env, ns, JOB_NAMES.backup, { egress: [dns, ...metadataServer, cloudSql(env), publicHttps(env), pushgateway(env)] }),
    policy(env, ns, JOB_NAMES.restore, { egress: [dns, publicHttps(env), pushgateway(env)] }),
    policy(env, ns, GRANT_JOB_NAME, { egress: [dns, ...metadataServer, cloudSql(env), publicHttps(env)] }),
  ];
  if (runsOwnPushgateway(env)) {
    policies.push(
      policy(env, MANAGED_PUSHGATEWAY.namespace, PUSHGATEWAY_POD_LABELS[NAME_LABEL], {
        ingress: [
          {
            from: [
              // The two jobs push.
              { namespaceSelector: { matchLabels: namespaceLabel(ns) }, podSelector: { matchExpressions: [{ key: NAME_LABEL, operator: "In", values: [JOB_NAMES.backup, JOB_NAMES.restore] }] } },
              // Managed Service for Prometheus scrapes: its collectors (DaemonSet `collector` in gmp-system, pods
              // labelled app.kubernetes.io/name: collector, not on the host network: manifests/operator.yaml at v0.17.2).
              { namespaceSelector: { matchLabels: namespaceLabel("gmp-system") }, podSelector: { matchLabels: { [NAME_LABEL]: "collector" } } },
            ],
            ports: [{ protocol: "TCP", port: MANAGED_PUSHGATEWAY.port }],
          },
        ],
        // It calls nobody.
        egress: [],
      }),
    );
  }
  return policies;
}
