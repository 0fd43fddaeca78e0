import { finding, type Rule } from "../engine";

export const gkeGroupsRbac: Rule = {
  id: "PC_GKE_GROUPS_RBAC",
  maps: ["CKV_GCP_65"],
  title: "GKE RBAC users are managed with Google Groups",
  fix: "Set authenticator_groups_config { security_group = \"gke-security-groups@<domain>\" }, or suppress with the reason",
  check(stack) {
    return stack
      .resources("google_container_cluster")
      .filter((c) => ![c.config.authenticator_groups_config].flat()[0]?.security_group)
      .map((c) => finding(this, c, "has no Google Groups for RBAC"));
  },
};
