import { finding, type Rule } from "../engine";

export const gkePrivateNodes: Rule = {
  id: "PC_GKE_PRIVATE_NODES",
  maps: ["CKV_GCP_25", "CKV_GCP_64"],
  title: "GKE clusters have private nodes",
  fix: "Set private_cluster_config { enable_private_nodes = true } (GkeCluster does)",
  check(stack) {
    return stack.resources("google_container_cluster").flatMap((c) => {
      const config = [c.config.private_cluster_config].flat()[0];
      return config?.enable_private_nodes === true ? [] : [finding(this, c, "nodes have public addresses")];
    });
  },
};
