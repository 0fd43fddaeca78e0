/**
 * The GKE cluster for the web, rainbows (uploads), resque (indexing) and toolbox workloads (seed 001), in one of two
 * modes (config `gcp.cluster.mode`):
 * - `dedicated`: a cluster of its own named packagecloud-<env>-gke (it cannot collide with the shared
 *   pre-gitlab-gke/ops-gitlab-gke): private nodes, the control plane reached through GKE's IAM-authorized DNS
 *   endpoint or from the authorized networks, Workload Identity, a release channel, shielded nodes, Dataplane V2
 *   (network policy enforced), Kubernetes secrets encrypted with a customer key, a maintenance window GKE accepts,
 *   and deletion protection (Terraform's and `prevent_destroy`). The default node pool is removed.
 * - `existing`: a shared cluster read with a data source (never managed here), checked at plan for Workload
 *   Identity on this project's pool; only packagecloud's node pools are added to it.
 * Either way the node pools run as a dedicated service account with only the roles nodes need.
 *
 * Two pools, not four and not one: `serving` for web and rainbows (latency-sensitive, scaled with traffic) and
 * `background` for resque and toolbox (indexing bursts must not starve package downloads; toolbox is idle). Pods
 * choose a pool with the node label `packagecloud.io/pool`. Pool sizes in config are totals; in a regional cluster
 * they are written as `total_min/max_node_count`, because `min/max_node_count` are per zone (google v6.50.0,
 * google/services/container/resource_container_node_pool.go:154-180).
 *
 * @example
 *   const gke = new GkeCluster(this, "Cluster", { environment: "ops", project, cluster: gcp.cluster, network, masterCidr, secretsKeyId, labels });
 *   gke.name; gke.networkId
 */
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { ContainerCluster } from "@cdktf/provider-google/lib/container-cluster";
import { ContainerNodePool, type ContainerNodePoolAutoscaling } from "@cdktf/provider-google/lib/container-node-pool";
import { DataGoogleContainerCluster } from "@cdktf/provider-google/lib/data-google-container-cluster";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import type { EnvName, EnvironmentConfig } from "../config";
import { recurringWindowTimes } from "../config/maintenance-window";
import { PODS_RANGE, SERVICES_RANGE, type GkeNetwork } from "./gke-network";
import { PROJECT, resourceName } from "../config/naming";

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
export type PoolName = keyof typeof POOL_WORKLOADS;

/** A location without a zone suffix is a region: the cluster and its pools span the region's zones. */
export function isRegional(location: string): boolean {
  return /^[a-z]+-[a-z]+\d$/.test(location);
}

/** Pool sizes are totals in config; per-zone fields would multiply them by the zone count in a regional cluster. */
export function poolAutoscaling(location: string, size: { minNodes: number; maxNodes: number }): ContainerNodePoolAutoscaling {
  return isRegional(location)
    ? { totalMinNodeCount: size.minNodes, totalMaxNodeCount: size.maxNodes, locationPolicy: "BALANCED" }
    : { minNodeCount: size.minNodes, maxNodeCount: size.maxNodes };
}

type ClusterConfig = EnvironmentConfig["gcp"]["cluster"];

export interface GkeClusterProps {
  readonly environment: EnvName;
  readonly project: string;
  readonly cluster: ClusterConfig;
  /** Dedicated mode: the network the cluster is created in. */
  readonly network?: GkeNetwork;
  /** Dedicated mode: the control plane's private /28. */
  readonly masterCidr?: string;
  /** Dedicated mode: the customer key for Kubernetes secrets (application-layer encryption). */
  readonly secretsKeyId?: string;
  /** What must exist before the cluster is created (the key grant's propagation wait). */
  readonly dependsOn?: ITerraformDependable[];
  readonly labels: Record<string, string>;
}

export class GkeCluster extends Construct {
  /** The cluster this stack manages (dedicated mode). */
  readonly cluster?: ContainerCluster;
  /** The shared cluster this stack reads (existing mode). */
  readonly existing?: DataGoogleContainerCluster;
  /** The resource or data source that makes the cluster (and its Workload Identity pool) exist. */
  readonly dependable: ITerraformDependable;
  readonly name: string;
  readonly location: string;
  /** The VPC network the cluster's nodes live in (SQL and Redis must be reachable on it). */
  readonly networkId: string;
  readonly nodeServiceAccount: ServiceAccount;
  readonly nodePools: Record<PoolName, ContainerNodePool>;

  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    const c = props.cluster;
    this.location = c.location;
    const workloadPool = `${props.project}.svc.id.goog`;

    if (c.mode === "dedicated") {
      if (!props.network || !props.masterCidr || !props.secretsKeyId) {
        throw new Error(`GkeCluster ${this.node.path}: a dedicated cluster needs network, masterCidr and secretsKeyId`);
      }
      const window = recurringWindowTimes(c.maintenanceStartUtc, c.maintenanceHours);
      if (!(Date.parse(window.endTime) > Date.parse(window.startTime))) {
        throw new Error(`GkeCluster ${this.node.path}: maintenance window ends (${window.endTime}) before it starts (${window.startTime})`);
      }
      this.cluster = new ContainerCluster(this, "Default", {
        name: resourceName(props.environment, "gke"),
        location: c.location,
        network: props.network.networkId,
        subnetwork: props.network.subnetworkId,
        // The default pool cannot be configured as the others; it is created and removed at once.
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        deletionProtection: true,
        lifecycle: { preventDestroy: true },
        dependsOn: props.dependsOn,
        resourceLabels: props.labels,
        releaseChannel: { channel: c.releaseChannel },
        ipAllocationPolicy: { clusterSecondaryRangeName: PODS_RANGE, servicesSecondaryRangeName: SERVICES_RANGE },
        privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false, masterIpv4CidrBlock: props.masterCidr },
        // The DNS-based endpoint authorizes every request with IAM before the API server sees it; with
        // allow_external_traffic CI reaches it from anywhere (google v6.50.0, resource_container_cluster.go:1709-1737).
        controlPlaneEndpointsConfig: { dnsEndpointConfig: { allowExternalTraffic: c.controlPlaneAccess === "dns-endpoint" } },
        masterAuthorizedNetworksConfig: {
          cidrBlocks: c.masterAuthorizedNetworks.map((n) => ({ displayName: n.name, cidrBlock: n.cidr })),
          gcpPublicCidrsAccessEnabled: false,
        },
        workloadIdentityConfig: { workloadPool },
        // Dataplane V2 enforces Kubernetes NetworkPolicy itself (the separate network_policy addon must stay off).
        datapathProvider: "ADVANCED_DATAPATH",
        enableShieldedNodes: true,
        enableIntranodeVisibility: true,
        enableLegacyAbac: false,
        masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
        // Evaluate the project's Binary Authorization policy (its default admits every image: tighten it there).
        binaryAuthorization: { evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE" },
        databaseEncryption: { state: "ENCRYPTED", keyName: props.secretsKeyId },
        maintenancePolicy: { recurringWindow: { ...window, recurrence: c.maintenanceRecurrence } },
      });
      this.dependable = this.cluster;
      this.name = this.cluster.name;
      this.networkId = props.network.networkId;
    } else {
      this.existing = new DataGoogleContainerCluster(this, "Default", {
        name: c.name,
        location: c.location,
        lifecycle: {
          postcondition: [
            {
              condition: `\${length(self.workload_identity_config) > 0 && self.workload_identity_config[0].workload_pool == "${workloadPool}"}`,
              errorMessage: `GKE cluster ${c.name} (gcp.cluster, mode existing) must have Workload Identity enabled with the pool ${workloadPool}: packagecloud's pods get their Google credentials from it`,
            },
          ],
        },
      });
      this.dependable = this.existing;
      this.name = c.name;
      this.networkId = this.existing.network;
    }

    this.nodeServiceAccount = new ServiceAccount(this, "NodeServiceAccount", {
      accountId: resourceName(props.environment, "gke-nodes"),
      displayName: `GKE nodes of packagecloud (${props.environment})`,
    });
    for (const role of NODE_ROLES) {
      new ProjectIamMember(this, `node-${role.replace(/^roles\//, "").replace(/\./g, "-")}`, {
        project: props.project,
        role,
        member: `serviceAccount:${this.nodeServiceAccount.email}`,
      });
    }

    const pools = {} as Record<PoolName, ContainerNodePool>;
    for (const pool of Object.keys(POOL_WORKLOADS) as PoolName[]) {
      const size = c.nodePools[pool];
      // The settings whose change replaces the pool (ForceNew under node_config in google 6.50.0
      // resource_container_node_pool.go / node_config.go). Their hash is part of the name, so a replacement gets a
      // new name and create_before_destroy can create it while the old pool still serves (with a fixed name the
      // new pool could not exist beside the old one: Terraform would destroy the only serving pool first).
      // `name_prefix` would do the same, but its 26-character unique suffix plus "packagecloud-background-" exceeds
      // GKE's 40-character pool name limit.
      const replacing = { machineType: size.machineType, diskSizeGb: size.diskGb, diskType: "pd-balanced", imageType: "COS_CONTAINERD" };
      pools[pool] = new ContainerNodePool(this, `pool-${pool}`, {
        // Prefixed: in a shared cluster the pools sit beside other teams' pools.
        name: nodePoolName(pool, replacing),
        cluster: this.name,
        location: c.location,
        dependsOn: [this.dependable],
        // A new pool starts with nodes (per zone; initial_node_count is ForceNew and the autoscaler owns the
        // count afterwards, hence ignored): without it a pool with autoscaling starts at 0 nodes and nothing
        // schedules until the autoscaler reacts. The serving pool's minimum is at least 1 (config refuses 0).
        initialNodeCount: 1,
        lifecycle: { createBeforeDestroy: true, ignoreChanges: ["initial_node_count"] },
        autoscaling: poolAutoscaling(c.location, size),
        management: { autoRepair: true, autoUpgrade: true },
        upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
        nodeConfig: {
          ...replacing,
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

/** `packagecloud-<pool>-<8 hex>`: the hash of the settings that replace the pool, so a replacement has a new name. */
export function nodePoolName(pool: string, replacing: Readonly<Record<string, string | number>>): string {
  const hash = createHash("sha256").update(JSON.stringify(replacing)).digest("hex").slice(0, 8);
  return `${PROJECT}-${pool}-${hash}`;
}
