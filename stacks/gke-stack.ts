/**
 * `packagecloud-<env>-gke`: the GKE variant (seed 001), which pre and ops run today: network, GKE cluster and
 * node pools, the application's Workload Identity, Cloud SQL for MySQL, Memorystore for Redis, customer keys,
 * and the ingress's reserved global address.
 *
 * The ingress contract (the routing belongs to the application's Helm chart): a GCE Ingress on the global
 * address named in the `ingress_address_name` output routes `/*` to the web service and `/api/*` to rainbows.
 */
import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address";
import { ProjectService } from "@cdktf/provider-google/lib/project-service";
import type { EnvironmentConfig } from "../config";
import { CloudSqlBackupAlerts } from "../constructs/cloud-sql-backup-alerts";
import { CloudSqlMysql } from "../constructs/cloud-sql-mysql";
import { GkeCluster } from "../constructs/gke-cluster";
import { GkeNetwork } from "../constructs/gke-network";
import { GoogleKms } from "../constructs/google-kms";
import { MemorystoreRedis } from "../constructs/memorystore-redis";
import { googleLabels, resourceName, stackName } from "../constructs/naming";
import { WorkloadIdentity } from "../constructs/workload-identity";
import { configureBackend } from "./backend";
import { PackagecloudStack } from "./base-stack";
import { googleProvider } from "./google-provider";
import type { DeployTarget } from "./target";

/** APIs the stack uses; enabled here so that a rebuild into an empty project needs nothing by hand. */
export const GOOGLE_APIS = [
  "compute.googleapis.com",
  "container.googleapis.com",
  "sqladmin.googleapis.com",
  "redis.googleapis.com",
  "servicenetworking.googleapis.com",
  "cloudkms.googleapis.com",
  "iam.googleapis.com",
  "monitoring.googleapis.com",
  "logging.googleapis.com",
] as const;

/** The name of the ingress's global address: the DNS stack looks it up by this name. */
export function ingressAddressName(env: EnvironmentConfig): string {
  return resourceName(env.name, "ingress");
}

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
    super(scope, name);
    configureBackend(this, env, name, target, "gcs");
    googleProvider(this, env, "gke");
    const gcp = env.gcp;
    const labels = googleLabels(env.name, "gke");

    const apis = GOOGLE_APIS.map(
      (api) => new ProjectService(this, `api-${api.split(".")[0]}`, { service: api, disableOnDestroy: false, disableDependentServices: false }),
    );
    const network = new GkeNetwork(this, "Network", { environment: env.name, region: gcp.region, ranges: gcp.network });
    network.node.addDependency(...apis);
    const kms = new GoogleKms(this, "Kms", {
      environment: env.name,
      region: gcp.region,
      projectNumber: gcp.projectNumber,
      services: ["cloudsql", "redis", "gke-secrets"],
    });
    kms.node.addDependency(...apis);

    this.cluster = new GkeCluster(this, "Cluster", {
      environment: env.name,
      project: gcp.project,
      network,
      cluster: gcp.cluster,
      masterCidr: gcp.network.masterCidr,
      secretsKeyId: kms.keyId("gke-secrets"),
      labels,
    });
    this.app = new WorkloadIdentity(this, "App", {
      environment: env.name,
      project: gcp.project,
      namespace: gcp.workload.namespace,
      serviceAccount: gcp.workload.serviceAccount,
    });
    // The Workload Identity pool exists once the cluster does.
    this.app.node.addDependency(this.cluster.cluster);
    // Issue 13: the offsite backup CronJob dumps Cloud SQL as its own IAM database user (backup/jobs.ts).
    this.backupIdentity = new WorkloadIdentity(this, "OffsiteBackup", {
      environment: env.name,
      project: gcp.project,
      namespace: env.backupJob.kubernetes.namespace,
      serviceAccount: env.backupJob.kubernetes.backupServiceAccount,
      component: "backup",
    });
    this.backupIdentity.node.addDependency(this.cluster.cluster);

    this.database = new CloudSqlMysql(this, "Database", {
      environment: env.name,
      region: gcp.region,
      networkId: network.networkId,
      sql: gcp.sql,
      encryptionKeyId: kms.keyId("cloudsql"),
      iamServiceAccounts: { app: this.app.email, backup: this.backupIdentity.email },
      labels,
      dependsOn: [network.privateServiceAccess],
    });
    new CloudSqlBackupAlerts(this, "DatabaseBackupAlerts", {
      environment: env.name,
      project: gcp.project,
      instanceName: this.database.instance.name,
      maxAgeHours: env.monitoring.cloudSqlBackups.maxAgeHours,
      channels: env.monitoring.notifications.gcpChannels,
      runbookUrl: env.monitoring.runbookUrl,
    });
    this.redis = new MemorystoreRedis(this, "Redis", {
      environment: env.name,
      region: gcp.region,
      networkId: network.networkId,
      redis: gcp.redis,
      encryptionKeyId: kms.keyId("redis"),
      labels,
      dependsOn: [network.privateServiceAccess],
    });
    this.ingressAddress = new ComputeGlobalAddress(this, "IngressAddress", {
      name: ingressAddressName(env),
      addressType: "EXTERNAL",
      ipVersion: "IPV4",
      description: "packagecloud ingress: /* to web, /api/* to rainbows",
    });

    const outputs: Record<string, string> = {
      cluster_name: this.cluster.cluster.name,
      cluster_location: this.cluster.cluster.location,
      network_id: network.networkId,
      sql_instance_name: this.database.instance.name,
      sql_connection_name: this.database.connectionName,
      sql_private_ip: this.database.instance.privateIpAddress,
      redis_host: this.redis.instance.host,
      redis_port: this.redis.instance.port.toString(),
      app_service_account: this.app.email,
      ingress_address_name: this.ingressAddress.name,
      ingress_ip: this.ingressAddress.address,
    };
    for (const [id, value] of Object.entries(outputs)) new TerraformOutput(this, id, { value });
  }
}
