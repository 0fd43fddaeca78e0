/**
 * Issue 11, item 11: a dedicated cluster whose name cannot collide with the shared ones, or an existing shared
 * cluster the stack reads and adds its node pools to. Both modes, both environments, synth-level.
 */
import { ENV_NAMES, loadEnvironments } from "../../config";
import { GkeStack, SERVICE_NETWORKING_GRANT_ADDRESSES } from "../../stacks/gke-stack";
import { sharedStack, synth, testApp, UNIT_TARGET } from "../support/synth";
import { existingClusterStack, SHARED_CLUSTERS } from "./gke-modes";

/**
 * A refactoring that renames the Service Networking agent's grant (its construct id) and forgets a `moved` block:
 * while `mockRename.grantId` is set, the grant is built under that id, so every reference to it names the new one.
 */
const mockRename: { grantId?: string } = {};
jest.mock("@cdktf/provider-google/lib/project-iam-member", () => {
  const actual = jest.requireActual("@cdktf/provider-google/lib/project-iam-member");
  class ProjectIamMember extends actual.ProjectIamMember {
    constructor(scope: any, id: string, config: any) {
      super(scope, id === "ServiceNetworkingAgent" && mockRename.grantId ? mockRename.grantId : id, config);
    }
  }
  return { ...actual, ProjectIamMember };
});

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

/**
 * Issue 28 §3: Google grants the Service Networking agent roles/servicenetworking.serviceAgent itself; the stack's
 * non-authoritative grant of the same binding would remove it on destroy. Leaving the configuration must forget the
 * grant (a Terraform `removed` block, destroy = false), never destroy it. test/engine/gke-rebuild.test.ts plans both
 * moves with Terraform against a deployed stack.
 */
describe("the Service Networking agent's grant is forgotten, never destroyed, when it leaves the configuration", () => {
  const GRANT = "google_project_iam_member.network_service_networking_agent";

  it.each(ENV_NAMES)("%s, dedicated: the grant is at its recorded address, and no removed block is written", (name) => {
    const out = sharedStack(name, "gke");
    const grants = Object.entries(out.resources("google_project_iam_member")).filter(([, g]) => g.role === "roles/servicenetworking.serviceAgent");
    expect(grants.map(([n]) => `google_project_iam_member.${n}`)).toEqual([GRANT]);
    expect(SERVICE_NETWORKING_GRANT_ADDRESSES).toContain(GRANT);
    expect(out.json.removed).toBeUndefined();
  });

  it.each(ENV_NAMES)("%s, existing shared cluster: a removed block forgets the grant the dedicated mode made", (name) => {
    const out = existingClusterStack(name);
    expect(Object.values(out.resources("google_project_iam_member")).filter((g: any) => g.role === "roles/servicenetworking.serviceAgent")).toEqual([]);
    expect(out.json.removed).toEqual([{ from: GRANT, lifecycle: { destroy: false } }]);
  });

  it("a renamed grant: the new address is configured and referenced, the old one forgotten", () => {
    mockRename.grantId = "ServiceNetworkingAgentGrant";
    try {
      const out = synth(new GkeStack(testApp(), { env: envs.pre, target: UNIT_TARGET }));
      const renamed = "google_project_iam_member.network_service_networking_agent_grant";
      expect(out.json.resource.google_project_iam_member.network_service_networking_agent_grant.role).toBe("roles/servicenetworking.serviceAgent");
      expect(out.json.resource.time_sleep.network_service_networking_agent_propagation).toMatchObject({ depends_on: [renamed], triggers: { grant: `\${${renamed}.id}` } });
      expect(out.json.removed).toEqual([{ from: GRANT, lifecycle: { destroy: false } }]);
    } finally {
      delete mockRename.grantId;
    }
  });
});
