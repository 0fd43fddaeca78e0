/**
 * `packagecloud-<env>-gke`: the GKE variant (seed 001), which pre and ops run today: network, GKE cluster (its own,
 * or a shared one it reads) and node pools, the application's Workload Identity, Cloud SQL for MySQL, Memorystore
 * for Redis, customer keys, and the ingress's reserved global address. Every resource waits for the APIs it calls
 * (enableGoogleApis, last).
 *
 * The ingress contract (the routing belongs to the application's Helm chart): a GCE Ingress on the global
 * address named in the `ingress_address_name` output routes `/*` to the web service and `/api/*` to rainbows.
 */
import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import type { EnvironmentConfig } from "../config";
import { CloudSqlBackupAlerts } from "../constructs/cloud-sql-backup-alerts";
import { CloudSqlMysql } from "../constructs/cloud-sql-mysql";
import { GkeCluster } from "../constructs/gke-cluster";
import { GkeNetwork } from "../constructs/gke-network";
import { enableGoogleApis } from "../constructs/google-apis";
import { GoogleKms } from "../constructs/google-kms";
import { MemorystoreRedis } from "../constructs/memorystore-redis";
import { googleLabels, resourceName, stackName } from "../config/naming";
import { WorkloadIdentity } from "../constructs/workload-identity";
import { configureBackend } from "./backend";
import { forgetOnRemoval } from "./forget-on-removal";
import { PackagecloudStack } from "./base-stack";
import { googleBetaProvider, googleProvider } from "./google-provider";
import type { DeployTarget } from "./target";

/** The name of the ingress's global address: the DNS stack looks it up by this name. */
export function ingressAddressName(env: EnvironmentConfig): string {
  return resourceName(env.name, "ingress");
}

/**
 * Every Terraform address the Service Networking agent's grant (GkeNetwork, dedicated mode) has had in this stack.
 * Google grants its agent roles/servicenetworking.serviceAgent itself when the API creates it; the stack grants it
 * too, because an agent created on request gets no role (Google's "Create and grant roles to service agents": "service
 * agents that are created at a user's request aren't automatically granted roles"). A google_project_iam_member's
 * destroy removes that member from the role's binding whoever added it, so the grant leaving the configuration
 * (a move to `existing` mode, a renamed construct id) would take Google's own grant with it and break private
 * service access for every peering in the project: it is forgotten instead (stacks/forget-on-removal.ts).
 * Append the new address when the grant's address changes; never remove one.
 */
export const SERVICE_NETWORKING_GRANT_ADDRESSES: readonly string[] = ["google_project_iam_member.network_service_networking_agent"];

export interface GkeStackProps {
  readonly env: EnvironmentConfig;
  readonly target: DeployTarget;
}

export class GkeStack extends PackagecloudStack {
  readonly cluster: GkeCluster;
  readonly database: CloudSqlMysql;
  readonly redis: MemorystoreRedis;
  readonly app: WorkloadIdentity;
  readonly backupIdentity: WorkloadIdentity;
  readonly ingressAddress: ComputeGlobalAddress;

  constructor(scope: Construct, props: GkeStackProps) {
    const { env, target } = props;
    const name = stackName(env.name, "gke");
    super(scope, name, { environment: env });
    configureBackend(this, env, name, target, "gcs");
    googleProvider(this, env, "gke");
    const beta = googleBetaProvider(this, env, "gke");
    new TimeProvider(this, "time");
    const gcp = env.gcp;
    const labels = googleLabels(env.name, "gke");
    const dedicated = gcp.cluster.mode === "dedicated";

    // The project's number names the service agents; read from the project, so config cannot disagree with it.
    const project = new DataGoogleProject(this, "Project", { projectId: gcp.project });
    const network = dedicated ? new GkeNetwork(this, "Network", { environment: env.name, region: gcp.region, ranges: gcp.network, project: gcp.project, projectNumber: project.number, betaProvider: beta }) : undefined;
    const kms = new GoogleKms(this, "Kms", {
      environment: env.name,
      region: gcp.region,
      projectNumber: project.number,
      services: dedicated ? ["cloudsql", "redis", "gke-secrets"] : ["cloudsql", "redis"],
      betaProvider: beta,
      rotationDays: gcp.kmsRotationDays,
    });

    this.cluster = new GkeCluster(this, "Cluster", {
      environment: env.name,
      project: gcp.project,
      cluster: gcp.cluster,
      network,
      masterCidr: gcp.network.masterCidr,
      secretsKeyId: dedicated ? kms.keyId("gke-secrets") : undefined,
      dependsOn: [kms.ready],
      labels,
    });
    this.app = new WorkloadIdentity(this, "App", {
      environment: env.name,
      project: gcp.project,
      namespace: gcp.workload.namespace,
      serviceAccount: gcp.workload.serviceAccount,
      cluster: this.cluster.dependable,
    });
    // Issue 13: the offsite backup CronJob dumps Cloud SQL as its own IAM database user (backup/jobs.ts).
    this.backupIdentity = new WorkloadIdentity(this, "OffsiteBackup", {
      environment: env.name,
      project: gcp.project,
      namespace: env.backupJob.kubernetes.namespace,
      serviceAccount: env.backupJob.kubernetes.backupServiceAccount,
      component: "backup",
      cluster: this.cluster.dependable,
    });

    // In a shared cluster's network, private service access is the network owner's (docs/gke-and-dns.md, "Cluster, two modes").
    const privateServices = network ? [network.privateServiceAccess] : [];
    this.database = new CloudSqlMysql(this, "Database", {
      environment: env.name,
      region: gcp.region,
      networkId: this.cluster.networkId,
      sql: gcp.sql,
      encryptionKeyId: kms.keyId("cloudsql"),
      iamServiceAccounts: { app: this.app.email, backup: this.backupIdentity.email },
      labels,
      dependsOn: [...privateServices, kms.ready],
    });
    new CloudSqlBackupAlerts(this, "DatabaseBackupAlerts", {
      environment: env.name,
      project: gcp.project,
      instanceName: this.database.instance.name,
      instanceTitle: this.database.name,
      maxAgeHours: env.monitoring.cloudSqlBackups.maxAgeHours,
      firstBackupPending: env.monitoring.cloudSqlBackups.firstBackupPending,
      notifyFrom: env.monitoring.cloudSqlBackups.firstBackupDueBy,
      channels: env.monitoring.notifications.gcpChannels,
      runbookUrl: env.monitoring.runbookUrl,
    });
    this.redis = new MemorystoreRedis(this, "Redis", {
      environment: env.name,
      region: gcp.region,
      networkId: this.cluster.networkId,
      redis: gcp.redis,
      encryptionKeyId: kms.keyId("redis"),
      labels,
      dependsOn: [...privateServices, kms.ready],
    });
    this.ingressAddress = new ComputeGlobalAddress(this, "IngressAddress", {
      name: ingressAddressName(env),
      addressType: "EXTERNAL",
      ipVersion: "IPV4",
      description: "packagecloud ingress: /* to web, /api/* to rainbows",
    });

    const outputs: Record<string, string> = {
      cluster_name: this.cluster.name,
      cluster_location: this.cluster.location,
      network_id: this.cluster.networkId,
      sql_instance_name: this.database.instance.name,
      sql_connection_name: this.database.connectionName,
      sql_private_ip: this.database.instance.privateIpAddress,
      redis_host: this.redis.instance.host,
      redis_port: this.redis.instance.port.toString(),
      app_service_account: this.app.email,
      ingress_address_name: this.ingressAddress.name,
      ingress_ip: this.ingressAddress.address,
    };
    // CI reaches the control plane here (`gcloud container clusters get-credentials --dns-endpoint`).
    if (this.cluster.cluster) outputs.control_plane_dns_endpoint = this.cluster.cluster.controlPlaneEndpointsConfig.dnsEndpointConfig.endpoint;
    for (const [id, value] of Object.entries(outputs)) new TerraformOutput(this, id, { value });
    forgetOnRemoval(this, "ForgetServiceNetworkingGrant", SERVICE_NETWORKING_GRANT_ADDRESSES);

    enableGoogleApis(this);
  }
}
