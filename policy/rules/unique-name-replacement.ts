import { finding, type Rule } from "../engine";

/**
 * Resource types whose name AWS requires to be unique (per VPC, account or region), with the argument that
 * holds the name. A fixed name plus `create_before_destroy` means every replacement creates the new object
 * under the old object's name while the old one still exists, and AWS refuses it half-way through the apply.
 */
export const UNIQUE_NAME_ARGUMENTS: Readonly<Record<string, string>> = {
  // EC2: "InvalidGroup.Duplicate" (a group name is unique per VPC).
  aws_security_group: "name",
  // IAM: "EntityAlreadyExists" (names are unique per account).
  aws_iam_role: "name",
  aws_iam_policy: "name",
  aws_iam_instance_profile: "name",
  aws_iam_user: "name",
  aws_launch_template: "name",
  aws_lb: "name",
  aws_lb_target_group: "name",
  aws_db_instance: "identifier",
  aws_kms_alias: "name",
};

/**
 * A resource that is created before its predecessor is destroyed must not carry a fixed unique name: use the
 * provider's `name_prefix` (a generated suffix per replacement), or drop `create_before_destroy`.
 * Sources: Terraform's lifecycle meta-argument docs (create_before_destroy is opt-in "because many remote object
 * types have unique name requirements ... that must be accommodated for both a new and an old object to exist
 * concurrently"); the EC2 API reference (CreateSecurityGroup fails with InvalidGroup.Duplicate on a name taken
 * in the VPC, DeleteSecurityGroup with DependencyViolation while an interface uses the group, which is why the
 * group is replaced create-before-destroy at all); terraform-aws-modules/security-group commit 5e998c5 ("Using
 * name_prefix instead of name to allow creation of duplicated with create_before_destroy"). No scanner checks it.
 */
export const uniqueNameReplacement: Rule = {
  id: "PC_UNIQUE_NAME_REPLACEMENT",
  maps: [],
  title: "No create_before_destroy on a resource with a fixed name AWS requires to be unique",
  fix: "Use name_prefix (the provider generates a unique suffix per replacement), or drop create_before_destroy",
  check(stack) {
    return stack.all.flatMap((r) => {
      const argument = UNIQUE_NAME_ARGUMENTS[r.type];
      if (!argument || r.config.lifecycle?.create_before_destroy !== true || typeof r.config[argument] !== "string") return [];
      return [finding(this, r, `has a fixed ${argument} ("${r.config[argument]}") and create_before_destroy: a replacement collides with the object it replaces`)];
    });
  },
};
