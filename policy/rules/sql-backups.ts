import { finding, type Rule } from "../engine";

export const sqlBackups: Rule = {
  id: "PC_SQL_BACKUPS",
  maps: ["CKV_GCP_14", "AVD-GCP-0024"],
  title: "Cloud SQL takes automated backups with point-in-time recovery (binary logs for MySQL)",
  fix: "Set backup_configuration { enabled = true, binary_log_enabled = true } with retained backups",
  check(stack) {
    return stack.resources("google_sql_database_instance").flatMap((i) => {
      const backup = [[i.config.settings].flat()[0]?.backup_configuration].flat()[0];
      const problems: string[] = [];
      if (backup?.enabled !== true) problems.push("automated backups are off");
      const mysql = String(i.config.database_version ?? "").startsWith("MYSQL");
      if (mysql && backup?.binary_log_enabled !== true) problems.push("binary logging (point-in-time recovery) is off");
      if (!mysql && backup?.point_in_time_recovery_enabled !== true) problems.push("point-in-time recovery is off");
      return problems.map((p) => finding(this, i, p));
    });
  },
};
