/**
 * The GKE cluster for the web, rainbows (uploads), resque (indexing) and toolbox workloads (seed 001), in one of two
 * modes (config `gcp.cluster.mode`):
 * - `dedicated`: a cluster of its own named packagecloud-<env>-gke (it cannot collide with the shared
 *   pre-gitlab-gke/ops-gitlab-gke): private nodes, the control plane reached through GKE's IAM-authorized DNS
 *   endpoint or from the authorized networks, Workload Identity, a release channel, shielded nodes, Dataplane V2
 *   (network policy enforced), Kubernetes secrets encrypted with a customer key, a maintenance window GKE accepts,
 *   Managed Service for Prometheus with system metrics, and deletion protection (Terraform's and `prevent_destroy`).
 *   The default node pool is removed.
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
import { Token, type ITerraformDependable } from "cdktf";
import { ContainerCluster } from "@cdktf/provider-google/lib/container-cluster";
import { ContainerNodePool, type ContainerNodePoolAutoscaling, type ContainerNodePoolNodeConfig } from "@cdktf/provider-google/lib/container-node-pool";
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
        // Google Cloud Managed Service for Prometheus's managed collection (PodMonitoring, Rules: the backup jobs'
        // alerts run there), said explicitly rather than left to GKE's version-dependent default (google v6.50.0,
        // resource_container_cluster.go:1181-1230, Optional and Computed). System metrics are named beside it:
        // expandMonitoringConfig (:6125-6140) sends `enable_components` whenever the block is set, so a block with
        // only managed_prometheus would send an empty component list and turn system metrics off
        // (terraform-google-modules/terraform-google-kubernetes-engine#1786).
        monitoringConfig: { enableComponents: ["SYSTEM_COMPONENTS"], managedPrometheus: { enabled: true } },
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

    const nodeAccountId = resourceName(props.environment, "gke-nodes");
    this.nodeServiceAccount = new ServiceAccount(this, "NodeServiceAccount", {
      accountId: nodeAccountId,
      displayName: `GKE nodes of packagecloud (${props.environment})`,
    });
    for (const role of NODE_ROLES) {
      new ProjectIamMember(this, `node-${role.replace(/^roles\//, "").replace(/\./g, "-")}`, {
        project: props.project,
        role,
        member: `serviceAccount:${this.nodeServiceAccount.email}`,
      });
    }

    // The node service account's address, as Google forms it from the account id (a literal, unlike the resource's
    // `email` reference, so the pool names can hash it at synth).
    const nodeServiceAccountEmail = `${nodeAccountId}@${props.project}.iam.gserviceaccount.com`;
    const pools = {} as Record<PoolName, ContainerNodePool>;
    for (const pool of Object.keys(POOL_WORKLOADS) as PoolName[]) {
      const size = c.nodePools[pool];
      const nodeConfig: ContainerNodePoolNodeConfig = {
        // Updated in place (google 6.50.0 node_config.go:147-160, 237, 360; UpdateNodePool at :2560-2632): GKE
        // recreates the nodes a few at a time under upgrade_settings, the pool and its name stay.
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
      };
      pools[pool] = new ContainerNodePool(this, `pool-${pool}`, {
        // Prefixed: in a shared cluster the pools sit beside other teams' pools. The suffix hashes the settings
        // whose change replaces the pool (nodePoolName), so a replacement has a new name and create_before_destroy
        // can create it while the old pool still serves: GKE refuses a second pool of the same name in a cluster,
        // and with one name Terraform would have to destroy the only serving pool first. `name_prefix` would do
        // the same, but its 26-character unique suffix plus "packagecloud-background-" exceeds GKE's 40-character
        // pool name limit.
        name: nodePoolName(pool, { ...nodeConfig, serviceAccount: nodeServiceAccountEmail }),
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
        nodeConfig,
      });
    }
    this.nodePools = pools;
  }
}

/**
 * The `node_config` fields the pools set whose change replaces the pool: ForceNew in google v6.50.0
 * (google/services/container/node_config.go; the pool's node_config is schemaNodeConfig(),
 * resource_container_node_pool.go:355):
 * - `metadata` (node_config.go:367-373, ForceNew at :371)
 * - `oauth_scopes` (:384-399, ForceNew at :388)
 * - `service_account` (:448-454, ForceNew at :452)
 * - `shielded_instance_config` (:470-493, ForceNew at :474; `enable_secure_boot` :482, `enable_integrity_monitoring` :489)
 * The other fields they set change in place: `machine_type` (:360), `disk_size_gb` (:147), `disk_type` (:155) through
 * UpdateNodePool (:2560-2632), `image_type` (:237; :2861), `labels` (:245; :2823), `resource_labels` (:254; :2785),
 * `workload_metadata_config` (:548; :2892). The block's own ForceNew (:141) applies only when it appears or goes.
 * Not hashed, though ForceNew on the pool: `cluster` and `location` (resource_container_node_pool.go:78-90; a change
 * moves the pool to another cluster, where its name cannot collide), `initial_node_count` (:292-298; in
 * ignore_changes, so never planned), and `name` itself (:339-345).
 */
export const POOL_REPLACING_FIELDS = ["metadata", "oauthScopes", "serviceAccount", "shieldedInstanceConfig"] as const satisfies ReadonlyArray<keyof ContainerNodePoolNodeConfig>;

/** JSON with sorted keys and sorted string sets: the same settings hash the same whatever their order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * `packagecloud-<pool>-<8 hex>`: the hash of the pool's replacing settings (POOL_REPLACING_FIELDS), so a change that
 * replaces the pool gives it a new name, and a change made in place keeps it. The values must be known at synth: a
 * Terraform reference (the service account's `email`) would hash its token, which differs between synths.
 */
export function nodePoolName(pool: string, nodeConfig: ContainerNodePoolNodeConfig): string {
  const replacing = Object.fromEntries(POOL_REPLACING_FIELDS.map((field) => [field, nodeConfig[field]]));
  const text = canonical(replacing);
  if (Token.isUnresolved(text)) {
    throw new Error(`nodePoolName(${pool}): the settings that name the pool hold a Terraform reference (${text}); pass their literal values`);
  }
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 8);
  return `${PROJECT}-${pool}-${hash}`;
}
