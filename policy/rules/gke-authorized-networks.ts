import { finding, type Rule } from "../engine";

export const gkeAuthorizedNetworks: Rule = {
  id: "PC_GKE_AUTHORIZED_NETWORKS",
  maps: ["CKV_GCP_18", "CKV_GCP_20"],
  title: "GKE control planes accept only authorized networks, never the whole internet",
  fix: "List the admin networks in gcp.cluster.masterAuthorizedNetworks",
  check(stack) {
    return stack.resources("google_container_cluster").flatMap((c) => {
      const config = [c.config.master_authorized_networks_config].flat()[0];
      if (!config) return [finding(this, c, "has no master authorized networks")];
      const blocks = [config.cidr_blocks ?? []].flat();
      if (blocks.some((b: any) => b?.cidr_block === "0.0.0.0/0")) return [finding(this, c, "authorizes 0.0.0.0/0 to reach the control plane")];
      return config.gcp_public_cidrs_access_enabled === true ? [finding(this, c, "lets every Google Cloud public address reach the control plane")] : [];
    });
  },
};
