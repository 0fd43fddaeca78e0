import { finding, type Rule } from "../engine";

export const sqlPrivateTls: Rule = {
  id: "PC_SQL_PRIVATE_TLS",
  maps: ["CKV_GCP_6", "CKV_GCP_11", "CKV_GCP_60", "AVD-GCP-0015", "AVD-GCP-0017"],
  title: "Cloud SQL has no public IP, no world-open authorized network, and requires TLS",
  fix: "Set ip_configuration { ipv4_enabled = false, private_network = ..., ssl_mode = \"ENCRYPTED_ONLY\" }",
  check(stack) {
    return stack.resources("google_sql_database_instance").flatMap((i) => {
      const ip = [[i.config.settings].flat()[0]?.ip_configuration].flat()[0];
      const problems: string[] = [];
      if (ip?.ipv4_enabled !== false) problems.push("has a public IP");
      if ([ip?.authorized_networks ?? []].flat().some((n: any) => n?.value === "0.0.0.0/0")) problems.push("authorizes 0.0.0.0/0");
      if (!["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"].includes(ip?.ssl_mode)) problems.push(`accepts unencrypted connections (ssl_mode ${ip?.ssl_mode ?? "unset"})`);
      return problems.map((p) => finding(this, i, p));
    });
  },
};
