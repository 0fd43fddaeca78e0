import { finding, type Rule } from "../engine";

export const gkeDeletionProtection: Rule = {
  id: "PC_GKE_DELETION_PROTECTION",
  maps: [],
  title: "GKE clusters have Terraform deletion protection",
  fix: "Set deletion_protection = true",
  check(stack) {
    return stack
      .resources("google_container_cluster")
      .filter((c) => c.config.deletion_protection !== true)
      .map((c) => finding(this, c, "deletion_protection is off"));
  },
};
