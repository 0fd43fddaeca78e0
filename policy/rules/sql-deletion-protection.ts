import { finding, type Rule } from "../engine";

export const sqlDeletionProtection: Rule = {
  id: "PC_SQL_DELETION_PROTECTION",
  maps: [],
  title: "Cloud SQL has both deletion protections (Terraform and API) and keeps its backups on delete",
  fix: "Set deletion_protection = true and settings { deletion_protection_enabled = true, retain_backups_on_delete = true }",
  check(stack) {
    return stack.resources("google_sql_database_instance").flatMap((i) => {
      const settings = [i.config.settings].flat()[0];
      const problems: string[] = [];
      if (i.config.deletion_protection !== true) problems.push("Terraform deletion_protection is off");
      if (settings?.deletion_protection_enabled !== true) problems.push("the API deletion protection is off");
      if (settings?.retain_backups_on_delete !== true) problems.push("backups would be deleted with the instance");
      return problems.map((p) => finding(this, i, p));
    });
  },
};
