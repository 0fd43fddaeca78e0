import { finding, type Rule } from "../engine";

export const gkeNetworkPolicy: Rule = {
  id: "PC_GKE_NETWORK_POLICY",
  maps: ["CKV_GCP_12"],
  title: "GKE clusters enforce Kubernetes NetworkPolicy (Dataplane V2 or the network policy addon)",
  fix: "Set datapath_provider = \"ADVANCED_DATAPATH\" (or network_policy { enabled = true })",
  check(stack) {
    return stack.resources("google_container_cluster").flatMap((c) => {
      const dataplaneV2 = c.config.datapath_provider === "ADVANCED_DATAPATH";
      const addon = [c.config.network_policy].flat()[0]?.enabled === true;
      return dataplaneV2 || addon ? [] : [finding(this, c, "does not enforce NetworkPolicy")];
    });
  },
};
