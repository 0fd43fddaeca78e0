import { finding, type Rule } from "../engine";

/**
 * google v6.50.0, website/docs/r/sql_database_instance.html.markdown:387-391: with disk_autoresize, "if disk_size is
 * set, future terraform apply calls will attempt to delete the instance in order to resize the disk ... To avoid
 * this, ensure that lifecycle.ignore_changes is applied to disk_size". Under prevent_destroy that is a plan error
 * after the first automatic growth: the stack freezes.
 */
export const sqlDiskAutoresize: Rule = {
  id: "PC_SQL_DISK_AUTORESIZE",
  maps: [],
  title: "A Cloud SQL disk that grows by itself is not sized again by Terraform",
  fix: 'Add "settings[0].disk_size" to lifecycle.ignore_changes (or leave disk_size unset)',
  check(stack) {
    return stack
      .resources("google_sql_database_instance")
      .filter((i) => i.config.settings?.disk_size !== undefined && i.config.settings?.disk_autoresize !== false)
      .filter((i) => !((i.config.lifecycle?.ignore_changes ?? []) as string[]).includes("settings[0].disk_size"))
      .map((i) => finding(this, i, "sets disk_size with disk_autoresize on, and would replace the instance after the disk grows"));
  },
};
