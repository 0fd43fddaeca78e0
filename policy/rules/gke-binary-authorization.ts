import { finding, type Rule } from "../engine";

export const gkeBinaryAuthorization: Rule = {
  id: "PC_GKE_BINARY_AUTHORIZATION",
  maps: ["CKV_GCP_66"],
  title: "GKE clusters evaluate the project Binary Authorization policy",
  fix: "Set binary_authorization { evaluation_mode = \"PROJECT_SINGLETON_POLICY_ENFORCE\" }",
  check(stack) {
    return stack.resources("google_container_cluster").flatMap((c) => {
      const mode = [c.config.binary_authorization].flat()[0]?.evaluation_mode;
      return mode === "PROJECT_SINGLETON_POLICY_ENFORCE" ? [] : [finding(this, c, "Binary Authorization is not enforced")];
    });
  },
};
