import { finding, type Rule } from "../engine";

/** Prefer roles (temporary credentials) to IAM users (long-lived keys). */
export const iamNoUsers: Rule = {
  id: "PC_IAM_NO_USERS",
  maps: ["CKV_AWS_273"],
  title: "No IAM users: access goes through roles and SSO",
  fix: "Use a role; if a workload outside AWS truly needs a user, add it to policy/suppressions.ts with the reason",
  check(stack) {
    return stack.resources("aws_iam_user").map((u) => finding(this, u, "is an IAM user with long-lived credentials"));
  },
};
