import { finding, type Rule } from "../engine";

export const gkeShieldedNodes: Rule = {
  id: "PC_GKE_SHIELDED_NODES",
  maps: ["CKV_GCP_71", "CKV_GCP_68", "CKV_GCP_72"],
  title: "GKE nodes are shielded, with secure boot and integrity monitoring",
  fix: "Set enable_shielded_nodes on the cluster and shielded_instance_config { enable_secure_boot, enable_integrity_monitoring } on every pool",
  check(stack) {
    const clusters = stack
      .resources("google_container_cluster")
      .filter((c) => c.config.enable_shielded_nodes !== true)
      .map((c) => finding(this, c, "shielded nodes are off"));
    const pools = stack.resources("google_container_node_pool").flatMap((p) => {
      const shielded = [[p.config.node_config].flat()[0]?.shielded_instance_config].flat()[0];
      const missing = ["enable_secure_boot", "enable_integrity_monitoring"].filter((k) => shielded?.[k] !== true);
      return missing.length === 0 ? [] : [finding(this, p, `${missing.join(" and ")} off`)];
    });
    return [...clusters, ...pools];
  },
};
