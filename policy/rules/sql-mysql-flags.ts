import { finding, type Rule } from "../engine";

export const sqlMysqlFlags: Rule = {
  id: "PC_SQL_MYSQL_FLAGS",
  maps: ["CKV_GCP_50", "AVD-GCP-0026"],
  title: "Cloud SQL for MySQL sets local_infile=off and skip_show_database=on explicitly",
  fix: "Add database_flags local_infile = off and skip_show_database = on (MYSQL_FLAGS)",
  check(stack) {
    return stack
      .resources("google_sql_database_instance")
      .filter((i) => String(i.config.database_version ?? "").startsWith("MYSQL"))
      .flatMap((i) => {
        const flags = new Map([[i.config.settings].flat()[0]?.database_flags ?? []].flat().map((f: any) => [f?.name, f?.value]));
        const problems: string[] = [];
        if (flags.get("local_infile") !== "off") problems.push("local_infile is not off");
        if (flags.get("skip_show_database") !== "on") problems.push("skip_show_database is not on");
        return problems.map((p) => finding(this, i, p));
      });
  },
};
