import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { GoogleBetaProvider } from "@cdktf/provider-google-beta/lib/provider";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { loadEnvironments } from "../../config";
import { CloudSqlMysql } from "../../constructs/cloud-sql-mysql";
import { GkeCluster, NODE_ROLES, POOL_LABEL, nodePoolName } from "../../constructs/gke-cluster";
import { GkeNetwork } from "../../constructs/gke-network";
import { GoogleKms, SERVICE_AGENTS } from "../../constructs/google-kms";
import { MemorystoreRedis } from "../../constructs/memorystore-redis";
import { APP_ROLES, WorkloadIdentity } from "../../constructs/workload-identity";
import { PackagecloudStack } from "../../stacks/base-stack";
import { synth, testApp } from "../support/synth";

const ops = loadEnvironments().ops;
const labels = { environment: "ops" };
const opsCluster = ops.gcp.cluster.mode === "dedicated" ? ops.gcp.cluster : (undefined as never);

/** The resources other than GkeNetwork's own (its Service Networking agent grant, which every googleStack has). */
const outside = (resources: Record<string, any>) => Object.fromEntries(Object.entries(resources).filter(([name]) => !name.startsWith("network_")));

function googleStack() {
  const stack = new PackagecloudStack(testApp(), "test", { enforcePolicy: false });
  new GoogleProvider(stack, "google", { project: ops.gcp.project, region: ops.gcp.region });
  new TimeProvider(stack, "time");
  const beta = new GoogleBetaProvider(stack, "google-beta", { project: ops.gcp.project });
  const network = new GkeNetwork(stack, "Network", { environment: "ops", region: ops.gcp.region, ranges: ops.gcp.network, project: ops.gcp.project, projectNumber: "123456789012", betaProvider: beta });
  return { stack, network, beta };
}

describe("GkeNetwork", () => {
  const { stack } = googleStack();
  const out = synth(stack);

  it("fails if the private service connection can start before the Service Networking agent exists, holds its role and has propagated (provider issue #14720)", () => {
    const identities = Object.entries(out.resources("google_project_service_identity"));
    expect(identities.map(([, i]) => i.service)).toEqual(["servicenetworking.googleapis.com"]);
    const [[identity]] = identities;
    const grants = Object.entries(out.resources("google_project_iam_member")).filter(([, g]) => g.role === "roles/servicenetworking.serviceAgent");
    expect(grants).toHaveLength(1);
    const [grantName, grant] = grants[0];
    expect(grant.member).toBe("serviceAccount:service-123456789012@service-networking.iam.gserviceaccount.com");
    expect(grant.depends_on).toContain(`google_project_service_identity.${identity}`);
    const sleeps = Object.entries(out.resources("time_sleep")).filter(([, s]) => (s.depends_on ?? []).includes(`google_project_iam_member.${grantName}`));
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0][1].triggers).toEqual({ grant: `\${google_project_iam_member.${grantName}.id}` });
    const [connection] = Object.values(out.resources("google_service_networking_connection"));
    expect(connection.depends_on).toContain(`time_sleep.${sleeps[0][0]}`);
  });

  it("gives the subnet secondary ranges for pods and services, and private Google access", () => {
    expect(out.resource("google_compute_subnetwork", "network_subnetwork")).toMatchObject({
      ip_cidr_range: ops.gcp.network.subnetCidr,
      private_ip_google_access: true,
      secondary_ip_range: [
        { range_name: "pods", ip_cidr_range: ops.gcp.network.podsCidr },
        { range_name: "services", ip_cidr_range: ops.gcp.network.servicesCidr },
      ],
    });
    expect(out.resource("google_compute_network", "network").auto_create_subnetworks).toBe(false);
  });

  it("lets private nodes out through Cloud NAT", () => {
    expect(out.resource("google_compute_router_nat", "network_nat")).toMatchObject({
      nat_ip_allocate_option: "AUTO_ONLY",
      source_subnetwork_ip_ranges_to_nat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
    });
  });

  it("reserves the private service range and peers it with Google, never deleting the peering", () => {
    const [address, prefix] = ops.gcp.network.privateServiceCidr.split("/");
    expect(out.resource("google_compute_global_address", "network_private_service_range")).toMatchObject({
      purpose: "VPC_PEERING",
      address_type: "INTERNAL",
      address,
      prefix_length: Number(prefix),
    });
    expect(out.resource("google_service_networking_connection", "network_private_service_access")).toMatchObject({
      service: "servicenetworking.googleapis.com",
      deletion_policy: "ABANDON",
    });
  });
});

describe("GkeCluster", () => {
  const { stack, network } = googleStack();
  const gke = new GkeCluster(stack, "Cluster", {
    environment: "ops",
    project: ops.gcp.project,
    network,
    cluster: ops.gcp.cluster,
    masterCidr: ops.gcp.network.masterCidr,
    secretsKeyId: "projects/p/locations/us-east1/keyRings/r/cryptoKeys/gke-secrets",
    labels,
  });
  const out = synth(stack);
  const cluster = out.resource("google_container_cluster", "cluster");

  it("has private nodes and a control plane reachable only from the authorized networks", () => {
    expect(cluster.private_cluster_config).toEqual({ enable_private_nodes: true, enable_private_endpoint: false, master_ipv4_cidr_block: ops.gcp.network.masterCidr });
    expect(cluster.master_authorized_networks_config).toEqual({
      cidr_blocks: opsCluster.masterAuthorizedNetworks.map((n) => ({ display_name: n.name, cidr_block: n.cidr })),
      gcp_public_cidrs_access_enabled: false,
    });
  });

  it("uses Workload Identity, a release channel, shielded nodes and Dataplane V2", () => {
    expect(cluster).toMatchObject({
      workload_identity_config: { workload_pool: `${ops.gcp.project}.svc.id.goog` },
      release_channel: { channel: opsCluster.releaseChannel },
      enable_shielded_nodes: true,
      datapath_provider: "ADVANCED_DATAPATH",
      enable_intranode_visibility: true,
      enable_legacy_abac: false,
      master_auth: { client_certificate_config: { issue_client_certificate: false } },
      binary_authorization: { evaluation_mode: "PROJECT_SINGLETON_POLICY_ENFORCE" },
    });
    expect(cluster.network_policy).toBeUndefined();
  });

  it("removes the default pool, is protected from deletion twice, and encrypts secrets with the customer key", () => {
    expect(cluster).toMatchObject({
      remove_default_node_pool: true,
      deletion_protection: true,
      lifecycle: { prevent_destroy: true },
      database_encryption: { state: "ENCRYPTED", key_name: "projects/p/locations/us-east1/keyRings/r/cryptoKeys/gke-secrets" },
    });
  });

  it("has a recurring maintenance window from config, its end start + duration in RFC 3339", () => {
    const start = `2025-01-06T${opsCluster.maintenanceStartUtc}:00Z`;
    expect(cluster.maintenance_policy.recurring_window).toEqual({
      start_time: start,
      end_time: new Date(Date.parse(start) + opsCluster.maintenanceHours * 3600_000).toISOString().replace(".000Z", "Z"),
      recurrence: opsCluster.maintenanceRecurrence,
    });
  });

  it("is named so it cannot collide with the shared clusters, and opens the IAM-authorized DNS endpoint to CI", () => {
    expect(cluster.name).toBe("packagecloud-ops-gke");
    expect(cluster.control_plane_endpoints_config).toEqual({ dns_endpoint_config: { allow_external_traffic: true } });
  });

  it("runs a serving and a background pool, sized from config, self-repairing, shielded, COS, behind the GKE metadata server", () => {
    for (const pool of ["serving", "background"] as const) {
      const p = out.resource("google_container_node_pool", `cluster_pool_${pool}`);
      const size = ops.gcp.cluster.nodePools[pool];
      expect(p).toMatchObject({
        name: expect.stringMatching(new RegExp(`^packagecloud-${pool}-[0-9a-f]{8}$`)),
        // ops is regional: config's totals are written as totals, not per zone.
        autoscaling: { total_min_node_count: size.minNodes, total_max_node_count: size.maxNodes, location_policy: "BALANCED" },
        management: { auto_repair: true, auto_upgrade: true },
      });
      expect(p.node_config).toMatchObject({
        machine_type: size.machineType,
        image_type: "COS_CONTAINERD",
        service_account: "${google_service_account.cluster_node_service_account.email}",
        shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: true },
        workload_metadata_config: { mode: "GKE_METADATA" },
        labels: expect.objectContaining({ [POOL_LABEL]: pool }),
      });
    }
  });

  it("fails if a pool replacement can remove the only serving pool before its successor exists, or a new pool starts at 0 nodes (issue 22 item 8)", () => {
    for (const pool of ["serving", "background"] as const) {
      const p = out.resource("google_container_node_pool", `cluster_pool_${pool}`);
      expect(p.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ["initial_node_count"] });
      expect(p.initial_node_count).toBe(1);
      expect(p.name.length).toBeLessThanOrEqual(40);
    }
  });

  /**
   * What a change of each node_config field the pools set does to the pool, read by hand from google v6.50.0
   * (google/services/container/node_config.go at the tag; the pool's node_config is schemaNodeConfig()): "replaces"
   * where the field is ForceNew, "in place" where the provider updates it (UpdateNodePool and friends). A field the
   * pools set that is not listed here fails the completeness test below, so a new one gets a decision.
   */
  const NODE_CONFIG_FIELDS: Record<string, { change: unknown; effect: "replaces" | "in place"; source: string }> = {
    machine_type: { change: { machineType: "n2-standard-8" }, effect: "in place", source: "node_config.go:360 (no ForceNew), UpdateNodePool :2560" },
    disk_size_gb: { change: { diskSizeGb: 200 }, effect: "in place", source: "node_config.go:147, UpdateNodePool :2560" },
    disk_type: { change: { diskType: "pd-ssd" }, effect: "in place", source: "node_config.go:155, UpdateNodePool :2562" },
    image_type: { change: { imageType: "UBUNTU_CONTAINERD" }, effect: "in place", source: "node_config.go:237, :2861" },
    labels: { change: { labels: { team: "x" } }, effect: "in place", source: "node_config.go:245, :2823" },
    resource_labels: { change: { resourceLabels: { team: "x" } }, effect: "in place", source: "node_config.go:254, :2785" },
    workload_metadata_config: { change: { workloadMetadataConfig: { mode: "GCE_METADATA" } }, effect: "in place", source: "node_config.go:548, :2892" },
    metadata: { change: { metadata: { "disable-legacy-endpoints": "true", "enable-oslogin": "true" } }, effect: "replaces", source: "node_config.go:371 ForceNew" },
    oauth_scopes: { change: { oauthScopes: ["https://www.googleapis.com/auth/devstorage.read_only"] }, effect: "replaces", source: "node_config.go:388 ForceNew" },
    service_account: { change: { serviceAccount: "other-nodes@gitlab-ops.iam.gserviceaccount.com" }, effect: "replaces", source: "node_config.go:452 ForceNew" },
    shielded_instance_config: { change: { shieldedInstanceConfig: { enableSecureBoot: false, enableIntegrityMonitoring: true } }, effect: "replaces", source: "node_config.go:474, :482 ForceNew" },
  };

  it("every node_config field the pools set has a reviewed decision (replaces or in place) from the provider's source", () => {
    for (const pool of ["serving", "background"] as const) {
      const fields = Object.keys(out.resource("google_container_node_pool", `cluster_pool_${pool}`).node_config).sort();
      expect(fields).toEqual(Object.keys(NODE_CONFIG_FIELDS).sort());
    }
  });

  describe("a pool's name changes exactly when a change replaces the pool (issue 28 §3: GKE refuses a second pool of one name)", () => {
    const base = {
      machineType: "n2-standard-4",
      diskSizeGb: 100,
      diskType: "pd-balanced",
      imageType: "COS_CONTAINERD",
      serviceAccount: "packagecloud-ops-gke-nodes@gitlab-ops.iam.gserviceaccount.com",
      oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
      workloadMetadataConfig: { mode: "GKE_METADATA" },
      metadata: { "disable-legacy-endpoints": "true" },
      labels: { "packagecloud.io/pool": "serving" },
      resourceLabels: { environment: "ops" },
    };
    it.each(Object.entries(NODE_CONFIG_FIELDS))("%s", (_field, { change, effect }) => {
      const before = nodePoolName("serving", base);
      const after = nodePoolName("serving", { ...base, ...(change as object) });
      if (effect === "replaces") expect(after).not.toBe(before);
      else expect(after).toBe(before);
    });

    it("the synthesized pools are named from their own settings, the node service account by its literal address", () => {
      for (const pool of ["serving", "background"] as const) {
        const size = ops.gcp.cluster.nodePools[pool];
        expect(out.resource("google_container_node_pool", `cluster_pool_${pool}`).name).toBe(
          nodePoolName(pool, { ...base, machineType: size.machineType, diskSizeGb: size.diskGb }),
        );
      }
    });

    it("refuses to hash a Terraform reference (its token differs between synths)", () => {
      expect(() => nodePoolName("serving", { ...base, serviceAccount: gke.nodeServiceAccount.email })).toThrow(/Terraform reference/);
    });
  });

  it("enables Managed Service for Prometheus and keeps system metrics (an empty component list turns them off)", () => {
    expect(cluster.monitoring_config).toEqual({ enable_components: ["SYSTEM_COMPONENTS"], managed_prometheus: { enabled: true } });
  });

  it("gives the node service account exactly the roles nodes need", () => {
    const roles = Object.values(outside(out.resources("google_project_iam_member"))).map((m: any) => m.role).sort();
    expect(roles).toEqual([...NODE_ROLES].sort());
    for (const member of Object.values(outside(out.resources("google_project_iam_member"))) as any[]) {
      expect(member.member).toBe("serviceAccount:${google_service_account.cluster_node_service_account.email}");
    }
  });
});

describe("CloudSqlMysql", () => {
  function build(sql = ops.gcp.sql) {
    const { stack, network } = googleStack();
    new CloudSqlMysql(stack, "Database", {
      environment: "ops",
      region: ops.gcp.region,
      networkId: network.networkId,
      sql,
      encryptionKeyId: "projects/p/locations/us-east1/keyRings/r/cryptoKeys/cloudsql",
      iamServiceAccounts: { app: "packagecloud-ops-app@gitlab-ops.iam.gserviceaccount.com" },
      labels,
      dependsOn: [network.privateServiceAccess],
    });
    return synth(stack);
  }
  const out = build();
  const instance = out.resource("google_sql_database_instance", "database");
  const settings = instance.settings;

  it("runs MySQL 8.0 with the configured tier and availability, encrypted with the customer key", () => {
    expect(instance).toMatchObject({ database_version: "MYSQL_8_0", encryption_key_name: "projects/p/locations/us-east1/keyRings/r/cryptoKeys/cloudsql" });
    expect(settings).toMatchObject({ tier: ops.gcp.sql.tier, availability_type: ops.gcp.sql.availability });
    expect(instance.depends_on).toEqual(["google_service_networking_connection.network_private_service_access"]);
  });

  it("keeps 30 daily backups by count, with binary logs for point-in-time recovery", () => {
    expect(settings.backup_configuration).toEqual({
      enabled: true,
      binary_log_enabled: true,
      start_time: ops.gcp.sql.backupStartUtc,
      transaction_log_retention_days: ops.gcp.sql.transactionLogRetentionDays,
      backup_retention_settings: { retained_backups: 30, retention_unit: "COUNT" },
    });
  });

  it("is protected from deletion by Terraform, by the API and by prevent_destroy, and keeps its backups if deleted", () => {
    expect(instance.deletion_protection).toBe(true);
    expect(instance.lifecycle).toMatchObject({ prevent_destroy: true });
    expect(settings.deletion_protection_enabled).toBe(true);
    expect(settings.retain_backups_on_delete).toBe(true);
  });

  it("lets disk_autoresize grow the disk without a later plan replacing the instance (provider docs: ignore_changes on disk_size)", () => {
    expect(settings).toMatchObject({ disk_size: ops.gcp.sql.diskGb, disk_autoresize: true });
    expect(instance.lifecycle.ignore_changes).toEqual(["settings[0].disk_size"]);
  });

  it("has a private IP only and accepts encrypted connections only", () => {
    expect(settings.ip_configuration).toMatchObject({ ipv4_enabled: false, ssl_mode: "ENCRYPTED_ONLY", private_network: "${google_compute_network.network.id}" });
  });

  it("sets the hardening flags and IAM authentication explicitly", () => {
    // Written by hand from their sources, not from the construct's table: CIS Google Cloud Platform Foundation
    // Benchmark 6.1.2 (skip_show_database on) and 6.1.3 (local_infile off); Cloud SQL's IAM database
    // authentication needs cloudsql_iam_authentication on (cloud.google.com/sql/docs/mysql/iam-authentication).
    expect(settings.database_flags).toEqual([
      { name: "local_infile", value: "off" },
      { name: "skip_show_database", value: "on" },
      { name: "cloudsql_iam_authentication", value: "on" },
    ]);
  });

  it("is maintained on the stable track in the configured window", () => {
    expect(settings.maintenance_window).toEqual({ day: ops.gcp.sql.maintenanceDay, hour: ops.gcp.sql.maintenanceHourUtc, update_track: "stable" });
  });

  it("creates the packagecloud database and an IAM user for the application, with no password anywhere", () => {
    expect(out.resource("google_sql_database", "database_packagecloud").name).toBe("packagecloud");
    expect(out.resource("google_sql_user", "database_iam_app")).toMatchObject({ type: "CLOUD_IAM_SERVICE_ACCOUNT" });
    expect(out.resource("google_sql_user", "database_iam_app").name).toMatch(/trimsuffix\(/);
    expect(JSON.stringify(out.json)).not.toMatch(/"(password|root_password)"/);
  });

  it("fails if binary logs would be kept as long as the backups", () => {
    expect(() => build({ ...ops.gcp.sql, retainedBackups: 7, transactionLogRetentionDays: 7 })).toThrow(
      /CloudSqlMysql test\/Database: transactionLogRetentionDays \(7\) must be fewer than retainedBackups \(7\)/,
    );
  });
});

describe("MemorystoreRedis", () => {
  const { stack, network } = googleStack();
  new MemorystoreRedis(stack, "Redis", {
    environment: "ops",
    region: ops.gcp.region,
    networkId: network.networkId,
    redis: ops.gcp.redis,
    encryptionKeyId: "projects/p/locations/us-east1/keyRings/r/cryptoKeys/redis",
    labels,
    dependsOn: [network.privateServiceAccess],
  });
  const redis = synth(stack).resource("google_redis_instance", "redis");

  it("requires AUTH and TLS, is reachable only through private service access, and persists to RDB", () => {
    expect(redis).toMatchObject({
      tier: ops.gcp.redis.tier,
      memory_size_gb: ops.gcp.redis.memoryGb,
      auth_enabled: true,
      transit_encryption_mode: "SERVER_AUTHENTICATION",
      connect_mode: "PRIVATE_SERVICE_ACCESS",
      authorized_network: "${google_compute_network.network.id}",
      persistence_config: { persistence_mode: "RDB", rdb_snapshot_period: "ONE_HOUR" },
      customer_managed_key: "projects/p/locations/us-east1/keyRings/r/cryptoKeys/redis",
      lifecycle: { prevent_destroy: true },
    });
    expect(redis.maintenance_policy.weekly_maintenance_window).toHaveLength(1);
  });
});

describe("WorkloadIdentity and GoogleKms", () => {
  const { stack, network, beta } = googleStack();
  new WorkloadIdentity(stack, "App", { environment: "ops", project: ops.gcp.project, namespace: "packagecloud", serviceAccount: "packagecloud", cluster: network.network });
  const kms = new GoogleKms(stack, "Kms", { environment: "ops", region: ops.gcp.region, projectNumber: "123456789012", services: ["cloudsql", "gke-secrets"], betaProvider: beta });
  const out = synth(stack);

  it("binds the Google service account to exactly the application's Kubernetes service account", () => {
    expect(out.resource("google_service_account_iam_member", "app_workload_identity_binding")).toMatchObject({
      role: "roles/iam.workloadIdentityUser",
      member: `serviceAccount:${ops.gcp.project}.svc.id.goog[packagecloud/packagecloud]`,
    });
    expect(Object.values(outside(out.resources("google_project_iam_member"))).map((m: any) => m.role).sort()).toEqual([...APP_ROLES].sort());
  });

  it("rotates keys every 90 days, protects them from destroy, and lets only the service agent use them", () => {
    expect(out.resource("google_kms_crypto_key", "kms_cloudsql")).toMatchObject({ rotation_period: "7776000s", lifecycle: { prevent_destroy: true } });
    expect(out.resource("google_kms_crypto_key_iam_member", "kms_cloudsql_agent")).toMatchObject({
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: `serviceAccount:${SERVICE_AGENTS.cloudsql.email("123456789012")}`,
    });
  });

  it("requests every service agent with google-beta before granting to it (APIs are enabled in batches: no order comes with the API)", () => {
    expect(out.resource("google_project_service_identity", "kms_cloudsql_agent_identity")).toMatchObject({ provider: "google-beta", service: "sqladmin.googleapis.com" });
    expect(out.resource("google_project_service_identity", "kms_gke_secrets_agent_identity")).toMatchObject({ provider: "google-beta", service: "container.googleapis.com" });
    expect(out.resource("google_kms_crypto_key_iam_member", "kms_cloudsql_agent").depends_on).toEqual(["google_project_service_identity.kms_cloudsql_agent_identity"]);
    expect(out.resource("google_kms_crypto_key_iam_member", "kms_gke_secrets_agent").depends_on).toEqual(["google_project_service_identity.kms_gke_secrets_agent_identity"]);
    expect(Object.keys(outside(out.resources("google_project_service_identity"))).sort()).toEqual(["kms_cloudsql_agent_identity", "kms_gke_secrets_agent_identity"]);
  });

  it("waits Google's documented IAM propagation time after the grants, again whenever a grant is new or replaced", () => {
    expect(out.resource("time_sleep", "kms_grant_propagation")).toEqual({
      create_duration: "120s",
      triggers: {
        cloudsql: "${google_kms_crypto_key_iam_member.kms_cloudsql_agent.id}",
        "gke-secrets": "${google_kms_crypto_key_iam_member.kms_gke_secrets_agent.id}",
      },
      depends_on: ["google_kms_crypto_key_iam_member.kms_cloudsql_agent", "google_kms_crypto_key_iam_member.kms_gke_secrets_agent"],
    });
  });

  it("fails if asked for a key it was not given", () => {
    expect(() => kms.keyId("redis")).toThrow(/GoogleKms test\/Kms: no key for redis; add it to services/);
  });
});
