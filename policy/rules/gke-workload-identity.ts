import { finding, type Rule } from "../engine";

export const gkeWorkloadIdentity: Rule = {
  id: "PC_GKE_WORKLOAD_IDENTITY",
  maps: ["CKV_GCP_69"],
  title: "GKE uses Workload Identity: pools expose the GKE metadata server, never node credentials",
  fix: "Set workload_identity_config on the cluster and workload_metadata_config { mode = \"GKE_METADATA\" } on every pool",
  check(stack) {
    const clusters = stack
      .resources("google_container_cluster")
      .filter((c) => ![c.config.workload_identity_config].flat()[0]?.workload_pool)
      .map((c) => finding(this, c, "Workload Identity is off"));
    const pools = stack
      .resources("google_container_node_pool")
      .filter((p) => [[p.config.node_config].flat()[0]?.workload_metadata_config].flat()[0]?.mode !== "GKE_METADATA")
      .map((p) => finding(this, p, "pods can reach the node's metadata and credentials"));
    return [...clusters, ...pools];
  },
};
