import { finding, type Rule } from "../engine";

export const gkeNodePoolManagement: Rule = {
  id: "PC_GKE_NODE_POOL_MANAGEMENT",
  maps: ["CKV_GCP_9", "CKV_GCP_10", "CKV_GCP_22"],
  title: "GKE node pools repair and upgrade themselves and run Container-Optimized OS",
  fix: "Set management { auto_repair = true, auto_upgrade = true } and node_config { image_type = \"COS_CONTAINERD\" }",
  check(stack) {
    return stack.resources("google_container_node_pool").flatMap((p) => {
      const management = [p.config.management].flat()[0];
      const image = String([p.config.node_config].flat()[0]?.image_type ?? "");
      const problems: string[] = [];
      if (management?.auto_repair !== true) problems.push("auto-repair is off");
      if (management?.auto_upgrade !== true) problems.push("auto-upgrade is off");
      if (!image.startsWith("COS")) problems.push(`image ${image || "(default)"} is not Container-Optimized OS`);
      return problems.map((x) => finding(this, p, x));
    });
  },
};
