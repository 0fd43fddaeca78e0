/**
 * What exists before packagecloud's first deploy, seeded into the stand-ins the way the AWS adoption test creates
 * buckets in moto first: the public DNS record each environment adopts (config `adopt.dnsRecord`, import blocks
 * from stacks/adoption.ts), pointing at an old address, so the first plan imports it and updates it.
 */
import type { EnvironmentConfig } from "../../config";
import { dnsRecordImportId } from "../../stacks/adoption";
import type { Standins } from "./client";

/** The address the record points at before packagecloud moves (TEST-NET-1, RFC 5737). */
export const OLD_RECORD_ADDRESS = "192.0.2.10";

export interface SeededRecord {
  readonly type: "google_dns_record_set" | "cloudflare_dns_record";
  readonly id: string;
  readonly importId: string;
}

/** Seeds the record the environment adopts; undefined when it adopts none. */
export async function seedAdoptedDnsRecord(standins: Standins, env: EnvironmentConfig): Promise<SeededRecord | undefined> {
  const importId = dnsRecordImportId(env);
  if (!importId) return undefined;
  const dns = env.dns;
  if (dns.provider === "cloudflare") {
    // The import id is <zone_id>/<record_id> (sources in stacks/adoption.ts); the object's id is the record id.
    const id = importId.split("/")[1];
    await standins.seed({
      provider: "cloudflare",
      type: "cloudflare_dns_record",
      id,
      importId,
      value: { zone_id: dns.zoneId, name: dns.recordName, type: "A", content: OLD_RECORD_ADDRESS, ttl: dns.ttl, proxied: dns.proxied },
    });
    return { type: "cloudflare_dns_record", id, importId };
  }
  // google's id for a record set is the import id's long form (sources in stacks/adoption.ts).
  await standins.seed({
    provider: "google",
    type: "google_dns_record_set",
    id: importId,
    importId,
    value: { project: env.gcp.project, managed_zone: dns.managedZone, name: `${dns.recordName}.`, type: "A", ttl: dns.ttl, rrdatas: [OLD_RECORD_ADDRESS] },
  });
  return { type: "google_dns_record_set", id: importId, importId };
}
