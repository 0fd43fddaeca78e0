import { finding, type Rule } from "../engine";

export const dnsRecords: Rule = {
  id: "PC_DNS_RECORDS",
  maps: [],
  title: "DNS records: Cloudflare address records are proxied with TTL 1 (automatic); other TTLs are 30-86400 s",
  fix: "Set proxied = true and ttl = 1 on Cloudflare A/AAAA/CNAME records; give Cloud DNS records a TTL of 30-86400",
  check(stack) {
    const cloudflare = stack.resources("cloudflare_dns_record").flatMap((r) => {
      const problems: string[] = [];
      const addressRecord = ["A", "AAAA", "CNAME"].includes(r.config.type);
      if (addressRecord && r.config.proxied !== true) problems.push("is not proxied: the origin address is exposed and unprotected");
      if (r.config.proxied === true && r.config.ttl !== 1) problems.push(`is proxied with ttl ${r.config.ttl}; Cloudflare only accepts 1`);
      if (r.config.proxied !== true && r.config.ttl !== 1 && (r.config.ttl < 30 || r.config.ttl > 86400)) problems.push(`has ttl ${r.config.ttl}`);
      return problems.map((p) => finding(this, r, p));
    });
    const cloudDns = stack
      .resources("google_dns_record_set")
      .filter((r) => !(r.config.ttl >= 30 && r.config.ttl <= 86400))
      .map((r) => finding(this, r, `has ttl ${r.config.ttl}`));
    return [...cloudflare, ...cloudDns];
  },
};
