/**
 * Issue 11, item 11: a dedicated cluster whose name cannot collide with the shared ones, or an existing shared
 * cluster the stack reads and adds its node pools to. Both modes, both environments, synth-level.
 */
import { ENV_NAMES, loadEnvironments } from "../../config";
import { sharedStack } from "../support/synth";
import { existingClusterStack, SHARED_CLUSTERS } from "./gke-modes";

const envs = loadEnvironments();

describe.each(ENV_NAMES)("%s: dedicated cluster (as configured)", (name) => {
  const out = sharedStack(name, "gke");

  it("creates a cluster named packagecloud-<env>-gke, never the shared cluster's name", () => {
    const cluster = out.resource("google_container_cluster", "cluster");
    expect(cluster.name).toBe(`packagecloud-${name}-gke`);
    expect(Object.values(SHARED_CLUSTERS).map((c) => c.name)).not.toContain(cluster.name);
    expect(out.json.data?.google_container_cluster).toBeUndefined();
  });

  it("tells CI where the DNS-based control-plane endpoint is", () => {
    expect(out.json.output.control_plane_dns_endpoint.value).toBe("${google_container_cluster.cluster.control_plane_endpoints_config[0].dns_endpoint_config[0].endpoint}");
  });

  it("puts its pools, Cloud SQL and Redis on its own network", () => {
    expect(out.resource("google_container_node_pool", "cluster_pool_serving").cluster).toBe("${google_container_cluster.cluster.name}");
    expect(out.resource("google_sql_database_instance", "database").settings.ip_configuration.private_network).toBe("${google_compute_network.network.id}");
  });
});

describe.each(ENV_NAMES)("%s: existing shared cluster", (name) => {
  const out = existingClusterStack(name);
  const shared = SHARED_CLUSTERS[name];

  it("reads the shared cluster and manages no cluster, network or cluster key", () => {
    expect(out.json.resource.google_container_cluster).toBeUndefined();
    expect(out.json.resource.google_compute_network).toBeUndefined();
    expect(Object.keys(out.resources("google_kms_crypto_key")).sort()).toEqual(["kms_cloudsql", "kms_redis"]);
    expect(out.json.data.google_container_cluster.cluster).toMatchObject({ name: shared.name, location: shared.location });
  });

  it("checks at plan that the shared cluster has Workload Identity on this project's pool", () => {
    const [check] = out.json.data.google_container_cluster.cluster.lifecycle.postcondition;
    expect(check.condition).toContain(`self.workload_identity_config[0].workload_pool == "${envs[name].gcp.project}.svc.id.goog"`);
    expect(check.error_message).toMatch(/must have Workload Identity enabled/);
  });

  it("adds only its own, prefixed node pools to the shared cluster, sized from config", () => {
    for (const pool of ["serving", "background"] as const) {
      const p = out.resource("google_container_node_pool", `cluster_pool_${pool}`);
      // The name carries a hash of the settings that force replacement (create_before_destroy needs a new name).
      expect(p).toMatchObject({ name: expect.stringMatching(new RegExp(`^packagecloud-${pool}-[0-9a-f]{8}$`)), cluster: shared.name, location: shared.location });
      expect(p.depends_on).toContain("data.google_container_cluster.cluster");
    }
  });

  it("puts Cloud SQL and Redis on the shared cluster's network", () => {
    expect(out.resource("google_sql_database_instance", "database").settings.ip_configuration.private_network).toBe("${data.google_container_cluster.cluster.network}");
    expect(out.resource("google_redis_instance", "redis").authorized_network).toBe("${data.google_container_cluster.cluster.network}");
  });
});
