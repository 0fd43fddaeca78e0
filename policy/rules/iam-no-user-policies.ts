import { finding, type Rule } from "../engine";

/** Users get rights through groups only. */
export const iamNoUserPolicies: Rule = {
  id: "PC_IAM_NO_USER_POLICIES",
  maps: ["CKV_AWS_40", "AVD-AWS-0143"],
  title: "IAM policies attach to groups or roles, never directly to users",
  fix: "Attach the policy to a group the user belongs to",
  check(stack) {
    return [...stack.resources("aws_iam_user_policy"), ...stack.resources("aws_iam_user_policy_attachment"), ...stack.resources("aws_iam_policy_attachment").filter((a) => a.config.users)]
      .map((r) => finding(this, r, "attaches a policy directly to a user"));
  },
};
