import { finding, type Rule } from "../engine";

export const gkeLegacyAuthOff: Rule = {
  id: "PC_GKE_LEGACY_AUTH_OFF",
  maps: ["CKV_GCP_7", "CKV_GCP_13"],
  title: "GKE clusters have legacy ABAC and client certificates off",
  fix: "Set enable_legacy_abac = false and master_auth { client_certificate_config { issue_client_certificate = false } }",
  check(stack) {
    return stack.resources("google_container_cluster").flatMap((c) => {
      const problems: string[] = [];
      if (c.config.enable_legacy_abac === true) problems.push("legacy ABAC is on");
      const cert = [[c.config.master_auth].flat()[0]?.client_certificate_config].flat()[0];
      if (cert?.issue_client_certificate !== false) problems.push("client certificate issuance is not explicitly off");
      return problems.map((p) => finding(this, c, p));
    });
  },
};
