import { finding, type Rule } from "../engine";

export const gkeReleaseChannel: Rule = {
  id: "PC_GKE_RELEASE_CHANNEL",
  maps: ["CKV_GCP_70"],
  title: "GKE clusters follow a release channel",
  fix: "Set release_channel { channel = \"REGULAR\" or \"STABLE\" }",
  check(stack) {
    return stack.resources("google_container_cluster").flatMap((c) => {
      const channel = [c.config.release_channel].flat()[0]?.channel;
      return channel && channel !== "UNSPECIFIED" ? [] : [finding(this, c, "follows no release channel")];
    });
  },
};
