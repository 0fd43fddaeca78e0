import { finding, type Rule } from "../engine";

export const redisAuthTls: Rule = {
  id: "PC_REDIS_AUTH_TLS",
  maps: ["CKV_GCP_95", "CKV_GCP_97"],
  title: "Memorystore for Redis requires AUTH and encrypts in transit",
  fix: "Set auth_enabled = true and transit_encryption_mode = \"SERVER_AUTHENTICATION\"",
  check(stack) {
    return stack.resources("google_redis_instance").flatMap((r) => {
      const problems: string[] = [];
      if (r.config.auth_enabled !== true) problems.push("AUTH is off");
      if (r.config.transit_encryption_mode !== "SERVER_AUTHENTICATION") problems.push("traffic is not encrypted in transit");
      return problems.map((p) => finding(this, r, p));
    });
  },
};
