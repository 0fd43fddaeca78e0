import { finding, type Rule } from "../engine";

export const sqlCmek: Rule = {
  id: "PC_SQL_CMEK",
  maps: ["CKV_GCP_91"],
  title: "Cloud SQL is encrypted with a customer-managed key",
  fix: "Set encryption_key_name to a GoogleKms key",
  check(stack) {
    return stack
      .resources("google_sql_database_instance")
      .filter((i) => !i.config.encryption_key_name)
      .map((i) => finding(this, i, "uses a Google-managed key"));
  },
};
