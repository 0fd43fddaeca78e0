/**
 * The GKE cluster for the web, rainbows (uploads), resque (indexing) and toolbox workloads (seed 001): private
 * nodes, control plane reachable only from the authorized networks, Workload Identity, a release channel,
 * shielded nodes, Dataplane V2 (network policy enforced), Kubernetes secrets encrypted with a customer key, a
 * maintenance window, and deletion protection (Terraform's and `prevent_destroy`). The default node pool is
 * removed; the node pools run as a dedicated service account with only the roles nodes need.
 *
 * Two pools, not four and not one: `serving` for web and rainbows (latency-sensitive, scaled with traffic) and
 * `background` for resque and toolbox (indexing bursts must not starve package downloads; toolbox is idle). Pods
 * choose a pool with the node label `packagecloud.io/pool`.
 *
 * @example
 *   const cluster = new GkeCluster(this, "Cluster", { environment: "ops", project, location, network, config, secretsKeyId });
 */
import { Construct } from "constructs";
import { ContainerCluster } from "@cdktf/provider-google/lib/container-cluster";
import { ContainerNodePool } from "@cdktf/provider-google/lib/container-node-pool";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import type { EnvName, EnvironmentConfig } from "../config";
import { PODS_RANGE, SERVICES_RANGE, type GkeNetwork } from "./gke-network";
import { resourceName } from "./naming";

/** What a GKE node needs and nothing more (GKE hardening guide: least-privilege node service account). */
export const NODE_ROLES = [
  "roles/logging.logWriter",
  "roles/monitoring.metricWriter",
  "roles/monitoring.viewer",
  "roles/stackdriver.resourceMetadata.writer",
  "roles/autoscaling.metricsWriter",
  "roles/artifactregistry.reader",
] as const;

export const POOL_LABEL = "packagecloud.io/pool";

/** Which workloads each pool runs (the Helm chart's nodeSelectors follow this). */
export const POOL_WORKLOADS = { serving: ["web", "rainbows"], background: ["resque", "toolbox"] } as const;

export interface GkeClusterProps {
  readonly environment: EnvName;
  readonly project: string;
  readonly network: GkeNetwork;
  readonly cluster: EnvironmentConfig["gcp"]["cluster"];
  readonly masterCidr: string;
  /** Customer key for Kubernetes secrets (application-layer encryption). */
  readonly secretsKeyId: string;
  readonly labels: Record<string, string>;
}

export class GkeCluster extends Construct {
  readonly cluster: ContainerCluster;
  readonly nodeServiceAccount: ServiceAccount;
  readonly nodePools: Record<keyof typeof POOL_WORKLOADS, ContainerNodePool>;

  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    const c = props.cluster;
    this.nodeServiceAccount = new ServiceAccount(this, "NodeServiceAccount", {
      accountId: resourceName(props.environment, "gke-nodes"),
      displayName: `GKE nodes of ${c.name}`,
    });
    for (const role of NODE_ROLES) {
      new ProjectIamMember(this, `node-${role.replace(/^roles\//, "").replace(/\./g, "-")}`, {
        project: props.project,
        role,
        member: `serviceAccount:${this.nodeServiceAccount.email}`,
      });
    }

    this.cluster = new ContainerCluster(this, "Default", {
      name: c.name,
      location: c.location,
      network: props.network.networkId,
      subnetwork: props.network.subnetworkId,
      // The default pool cannot be configured as the others; it is created and removed at once.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      deletionProtection: true,
      lifecycle: { preventDestroy: true },
      resourceLabels: props.labels,
      releaseChannel: { channel: c.releaseChannel },
      ipAllocationPolicy: { clusterSecondaryRangeName: PODS_RANGE, servicesSecondaryRangeName: SERVICES_RANGE },
      privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false, masterIpv4CidrBlock: props.masterCidr },
      masterAuthorizedNetworksConfig: {
        cidrBlocks: c.masterAuthorizedNetworks.map((n) => ({ displayName: n.name, cidrBlock: n.cidr })),
        gcpPublicCidrsAccessEnabled: false,
      },
      workloadIdentityConfig: { workloadPool: `${props.project}.svc.id.goog` },
      // Dataplane V2 enforces Kubernetes NetworkPolicy itself (the separate network_policy addon must stay off).
      datapathProvider: "ADVANCED_DATAPATH",
      enableShieldedNodes: true,
      enableIntranodeVisibility: true,
      enableLegacyAbac: false,
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      // Evaluate the project's Binary Authorization policy (its default admits every image: tighten it there).
      binaryAuthorization: { evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE" },
      databaseEncryption: { state: "ENCRYPTED", keyName: props.secretsKeyId },
      maintenancePolicy: {
        recurringWindow: {
          startTime: `2025-01-04T${c.maintenanceStartUtc}:00Z`,
          endTime: `2025-01-04T${c.maintenanceEndUtc}:00Z`,
          recurrence: c.maintenanceRecurrence,
        },
      },
    });

    const pools = {} as Record<keyof typeof POOL_WORKLOADS, ContainerNodePool>;
    for (const pool of Object.keys(POOL_WORKLOADS) as Array<keyof typeof POOL_WORKLOADS>) {
      const size = c.nodePools[pool];
      pools[pool] = new ContainerNodePool(this, `pool-${pool}`, {
        name: pool,
        cluster: this.cluster.id,
        location: c.location,
        autoscaling: { minNodeCount: size.minNodes, maxNodeCount: size.maxNodes },
        management: { autoRepair: true, autoUpgrade: true },
        upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
        nodeConfig: {
          machineType: size.machineType,
          diskSizeGb: size.diskGb,
          diskType: "pd-balanced",
          imageType: "COS_CONTAINERD",
          serviceAccount: this.nodeServiceAccount.email,
          oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
          shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
          // Pods see the GKE metadata server: Workload Identity, never the node's own credentials.
          workloadMetadataConfig: { mode: "GKE_METADATA" },
          metadata: { "disable-legacy-endpoints": "true" },
          labels: { [POOL_LABEL]: pool, ...props.labels },
          resourceLabels: props.labels,
        },
      });
    }
    this.nodePools = pools;
  }
}
