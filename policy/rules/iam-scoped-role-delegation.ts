import { finding, parsePolicy, type Rule, type TfResource } from "../engine";

const POLICY_TYPES = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"];

/** Actions that create or empower a role or policy: each must name the role (or policy) by a name prefix. */
const ROLE_WRITES = ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PassRole"];
const POLICY_WRITES = ["iam:CreatePolicy", "iam:CreatePolicyVersion"];

/** `arn:aws:iam::<account>:role/<name or prefix*>` with at least one character before any wildcard. */
const NAMED = (kind: "role" | "policy") => new RegExp(`^arn:aws:iam::(\\d{12}|\\$\\{[^}]+\\}):${kind}/[\\w+=,.@-]+[\\w+=,.@*/-]*$`);

/**
 * Whoever may create, empower or pass a role can act with that role's rights, so those rights are delegated
 * only by name (IAM User Guide, "Grant a user permissions to pass a role to an AWS service":
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html, and the condition keys
 * iam:PassedToService, iam:PolicyARN and iam:PermissionsBoundary in the Service Authorization Reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html):
 * - iam:PassRole names its roles (no `*` role name) and says to which service (`iam:PassedToService`);
 * - iam:CreateRole, PutRolePolicy, AttachRolePolicy, UpdateAssumeRolePolicy and PutRolePermissionsBoundary name
 *   a role or a role-name prefix, never `role/*` or `*`;
 * - iam:AttachRolePolicy says which policies (`iam:PolicyARN`) or which boundary the role must carry
 *   (`iam:PermissionsBoundary`);
 * - iam:CreatePolicy and CreatePolicyVersion name a policy-name prefix.
 * No scanner checks this beyond "no iam:*".
 */
export const iamScopedRoleDelegation: Rule = {
  id: "PC_IAM_SCOPED_ROLE_DELEGATION",
  maps: [],
  title: "Role creation, role policies and iam:PassRole are granted only for named roles, to named services, with named policies",
  fix:
    "Name the role (arn:aws:iam::<account>:role/<name or prefix>*), add iam:PassedToService to iam:PassRole and iam:PolicyARN or " +
    "iam:PermissionsBoundary to iam:AttachRolePolicy (IAM User Guide id_roles_use_passrole; Service Authorization Reference for IAM)",
  check(stack) {
    const policies: TfResource[] = stack.all.filter((r) => POLICY_TYPES.includes(r.type));
    return policies.flatMap((policy) =>
      (parsePolicy(policy.config.policy)?.Statement ?? [])
        .filter((s: any) => s.Effect === "Allow")
        .flatMap((s: any) => {
          const sid = s.Sid ?? "(no Sid)";
          const actions: string[] = [s.Action ?? []].flat();
          const resources: string[] = [s.Resource ?? []].flat();
          const conditionKeys = Object.values(s.Condition ?? {}).flatMap((byKey: any) => Object.keys(byKey));
          const problems: string[] = [];
          const roleActions = actions.filter((a) => ROLE_WRITES.includes(a));
          const policyActions = actions.filter((a) => POLICY_WRITES.includes(a));
          const unnamed = (kind: "role" | "policy") => resources.filter((r) => !NAMED(kind).test(r) || /:(role|policy)\/\*/.test(r));
          if (roleActions.length > 0 && unnamed("role").length > 0) {
            problems.push(`statement ${sid} allows ${roleActions.join(", ")} on ${unnamed("role").join(", ")}, not a named role or role-name prefix`);
          }
          if (policyActions.length > 0 && unnamed("policy").length > 0) {
            problems.push(`statement ${sid} allows ${policyActions.join(", ")} on ${unnamed("policy").join(", ")}, not a policy-name prefix`);
          }
          if (actions.includes("iam:PassRole") && !conditionKeys.includes("iam:PassedToService")) {
            problems.push(`statement ${sid} allows iam:PassRole without an iam:PassedToService condition`);
          }
          if (actions.includes("iam:PassRole") && resources.some((r) => r.includes("*"))) {
            problems.push(`statement ${sid} allows iam:PassRole on a wildcard role (${resources.filter((r) => r.includes("*")).join(", ")})`);
          }
          if (actions.includes("iam:AttachRolePolicy") && !conditionKeys.some((k) => k === "iam:PolicyARN" || k === "iam:PermissionsBoundary")) {
            problems.push(`statement ${sid} allows iam:AttachRolePolicy without an iam:PolicyARN or iam:PermissionsBoundary condition`);
          }
          return problems.map((p) => finding(this, policy, p));
        }),
    );
  },
};
