import { finding, type Rule } from "../engine";

export const gkeIntranodeVisibility: Rule = {
  id: "PC_GKE_INTRANODE_VISIBILITY",
  maps: ["CKV_GCP_61"],
  title: "GKE clusters have intranode visibility (pod-to-pod traffic in VPC flow logs)",
  fix: "Set enable_intranode_visibility = true",
  check(stack) {
    return stack
      .resources("google_container_cluster")
      .filter((c) => c.config.enable_intranode_visibility !== true)
      .map((c) => finding(this, c, "intranode visibility is off"));
  },
};
