import { finding, type Rule } from "../engine";

/** Resources that hold data which cannot be recreated. */
export const STATEFUL_TYPES = [
  "aws_s3_bucket",
  "aws_kms_key",
  "aws_ebs_volume",
  "aws_backup_vault",
  "google_sql_database_instance",
  "google_redis_instance",
  "google_container_cluster",
  "google_kms_crypto_key",
] as const;

/**
 * Stateful resources carry `prevent_destroy`, so neither `terraform destroy` nor a replacing apply can delete
 * them. (It does not stop removing the resource block from code: tests pin those addresses.) No scanner checks it.
 */
export const preventDestroy: Rule = {
  id: "PC_PREVENT_DESTROY",
  maps: [],
  title: "Stateful resources have lifecycle.prevent_destroy",
  fix: "Set lifecycle { prevent_destroy = true } (the project's constructs do)",
  check(stack) {
    return stack.all
      .filter((r) => (STATEFUL_TYPES as readonly string[]).includes(r.type))
      .flatMap((r) => (r.config.lifecycle?.prevent_destroy === true ? [] : [finding(this, r, "can be destroyed by Terraform")]));
  },
};
