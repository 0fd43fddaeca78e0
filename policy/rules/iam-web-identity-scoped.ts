import { finding, parsePolicy, type Rule } from "../engine";

/**
 * A role that trusts an OIDC provider (web identity) names the one subject and the audience it accepts.
 *
 * IAM User Guide, "Create a role for OpenID Connect federation": without a condition on `<provider>:sub`, every
 * identity the provider issues tokens for can assume the role (for a Kubernetes cluster: any service account in
 * any namespace); `<provider>:aud` must be the audience the tokens are minted for (`sts.amazonaws.com`).
 * StringEquals, not StringLike: a wildcard subject is the same hole, narrowed.
 */
export const iamWebIdentityScoped: Rule = {
  id: "PC_IAM_WEB_IDENTITY_SCOPED",
  maps: [],
  title: "Roles trusting a web identity (OIDC) provider pin the subject and the audience with StringEquals",
  fix: "Add Condition.StringEquals { \"<provider>:sub\": \"system:serviceaccount:<ns>:<name>\", \"<provider>:aud\": \"sts.amazonaws.com\" } (GkeAwsFederation does)",
  check(stack) {
    return stack.resources("aws_iam_role").flatMap((role) =>
      (parsePolicy(role.config.assume_role_policy)?.Statement ?? [])
        .filter((s: any) => s.Effect === "Allow" && [s.Action].flat().includes("sts:AssumeRoleWithWebIdentity"))
        .flatMap((s: any) => {
          const equals: Record<string, unknown> = s.Condition?.StringEquals ?? {};
          const missing = [":sub", ":aud"].filter((claim) => !Object.keys(equals).some((key) => key.endsWith(claim) && typeof equals[key] === "string" && !String(equals[key]).includes("*")));
          return missing.length === 0 ? [] : [finding(this, role, `trusts web identities without a StringEquals condition on ${missing.map((m) => `<provider>${m}`).join(" and ")}`)];
        }),
    );
  },
};
