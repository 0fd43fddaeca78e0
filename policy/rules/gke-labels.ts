import { finding, type Rule } from "../engine";

export const gkeLabels: Rule = {
  id: "PC_GKE_LABELS",
  maps: ["CKV_GCP_21"],
  title: "GKE clusters carry resource labels",
  fix: "Pass the environment labels (googleLabels) as resource_labels",
  check(stack) {
    return stack
      .resources("google_container_cluster")
      .filter((c) => Object.keys(c.config.resource_labels ?? {}).length === 0)
      .map((c) => finding(this, c, "has no resource labels"));
  },
};
