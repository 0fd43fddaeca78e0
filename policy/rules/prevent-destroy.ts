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
 * Locks that AWS makes immutable: a Backup Vault Lock with `changeable_for_days` enters compliance mode when that
 * grace period ends, after which "the vault lock cannot be deleted or changed" (AWS Backup Developer Guide, "AWS
 * Backup Vault Lock"); a completed Glacier Vault Lock likewise. Any plan that replaces one is refused by AWS
 * half-way through an apply, so Terraform must refuse it first.
 */
export const LOCK_TYPES = ["aws_backup_vault_lock_configuration", "aws_glacier_vault_lock"] as const;

/**
 * Stateful resources and immutable locks carry `prevent_destroy`, so neither `terraform destroy` nor a replacing apply can delete
 * them. (It does not stop removing the resource block from code: tests pin those addresses.) No scanner checks it.
 */
export const preventDestroy: Rule = {
  id: "PC_PREVENT_DESTROY",
  maps: [],
  title: "Stateful resources and compliance locks have lifecycle.prevent_destroy",
  fix: "Set lifecycle { prevent_destroy = true } (the project's constructs do)",
  check(stack) {
    return stack.all
      .filter((r) => (STATEFUL_TYPES as readonly string[]).includes(r.type) || (LOCK_TYPES as readonly string[]).includes(r.type))
      .flatMap((r) => {
        if (r.config.lifecycle?.prevent_destroy === true) return [];
        const lock = (LOCK_TYPES as readonly string[]).includes(r.type);
        return [finding(this, r, lock ? "can be destroyed or replaced by Terraform, though AWS refuses to delete the lock once it is immutable" : "can be destroyed by Terraform")];
      });
  },
};
