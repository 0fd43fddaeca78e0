/**
 * DNS pre-flight: reads the live records at the environment's public name before the dns stack's first apply
 * and refuses anything the stack would damage.
 *
 * Why: the dns stack manages exactly one A record (Cloudflare `cloudflare_dns_record`, or a Cloud DNS record set).
 * - `type` forces replacement in cloudflare 5.14.0 (`internal/services/dns_record/schema.go`, `type` has
 *   `stringplanmodifier.RequiresReplace()`): adopting a live CNAME plans destroy-then-create, and the name is gone
 *   in between (for every resolver, for as long as the apply takes or fails).
 * - Several A records at the name: importing one leaves the others round-robining users to the old origin; not
 *   adopting creates yet another one.
 * - No record while `adopt.dnsRecord` is configured: the import fails the plan ("Cannot import non-existent remote
 *   object"); a record while nothing is adopted: Cloudflare creates a second record, Cloud DNS fails with 409.
 *
 * APIs: Cloudflare v4 `GET /zones/{zone_id}/dns_records?name=<name>` (bearer token, CLOUDFLARE_API_TOKEN, the one
 * the provider uses); Cloud DNS v1 `GET /dns/v1/projects/{project}/managedZones/{zone}/rrsets?name=<name>.`
 * (OAuth access token: operator/lib/google-token.ts). Both list every type at the name, so a CNAME is seen.
 */
import type { EnvironmentConfig } from "../../config";

export const CLOUDFLARE_API = "https://api.cloudflare.com/client/v4";
export const CLOUD_DNS_API = "https://dns.googleapis.com";

export interface LiveRecord {
  readonly type: string;
  readonly content: string;
  /** Cloudflare record id; absent for Cloud DNS. */
  readonly id?: string;
}

export interface PreflightOptions {
  readonly fetch?: typeof fetch;
  readonly cloudflareBaseUrl?: string;
  readonly cloudDnsBaseUrl?: string;
  /** Cloudflare API token (CLOUDFLARE_API_TOKEN). */
  readonly cloudflareToken?: string;
  /** Google OAuth access token (operator/lib/google-token.ts: from the credentials Terraform's provider reads). */
  readonly googleAccessToken?: string;
}

export interface PreflightResult {
  readonly ok: boolean;
  readonly records: readonly LiveRecord[];
  readonly message: string;
}

/** The type the dns stack manages (stacks/dns-stack.ts). */
export const MANAGED_TYPE = "A";

async function getJson(fetchFn: typeof fetch, url: string, token: string, what: string): Promise<any> {
  let response: Response;
  try {
    response = await fetchFn(url, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } });
  } catch (error) {
    throw new Error(`${what}: GET ${url} failed: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) throw new Error(`${what}: GET ${url} answered HTTP ${response.status}: ${text.slice(0, 300)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what}: GET ${url} answered HTTP ${response.status} with a body that is not JSON`);
  }
}

export async function readLiveRecords(env: EnvironmentConfig, options: PreflightOptions = {}): Promise<LiveRecord[]> {
  const fetchFn = options.fetch ?? fetch;
  const dns = env.dns;
  if (dns.provider === "cloudflare") {
    const token = options.cloudflareToken;
    if (!token) throw new Error(`${env.name}: set CLOUDFLARE_API_TOKEN (a token that can read DNS records of zone ${dns.zoneId})`);
    const base = options.cloudflareBaseUrl ?? CLOUDFLARE_API;
    const url = `${base}/zones/${dns.zoneId}/dns_records?name=${encodeURIComponent(dns.recordName)}&per_page=100`;
    const body = await getJson(fetchFn, url, token, `${env.name}: Cloudflare`);
    if (body.success !== true || !Array.isArray(body.result)) {
      throw new Error(`${env.name}: Cloudflare: GET ${url} did not succeed: ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
    }
    return body.result.map((r: any) => ({ type: String(r.type), content: String(r.content), id: String(r.id) }));
  }
  const token = options.googleAccessToken;
  if (!token) throw new Error(`${env.name}: no Google access token to read Cloud DNS (set GOOGLE_APPLICATION_CREDENTIALS or GOOGLE_OAUTH_ACCESS_TOKEN)`);
  const base = options.cloudDnsBaseUrl ?? CLOUD_DNS_API;
  const url = `${base}/dns/v1/projects/${env.gcp.project}/managedZones/${dns.managedZone}/rrsets?name=${encodeURIComponent(`${dns.recordName}.`)}`;
  const body = await getJson(fetchFn, url, token, `${env.name}: Cloud DNS`);
  const rrsets: any[] = Array.isArray(body.rrsets) ? body.rrsets : [];
  // One record set per type; each of its rrdatas is one record as far as resolvers are concerned.
  return rrsets.flatMap((set) => (Array.isArray(set.rrdatas) ? set.rrdatas : []).map((data: unknown) => ({ type: String(set.type), content: String(data) })));
}

/** Decides on live records: exactly one A record (matching the adopted id, if any), or none when nothing is adopted. */
export function judge(env: EnvironmentConfig, records: readonly LiveRecord[]): PreflightResult {
  const dns = env.dns;
  const where = dns.provider === "cloudflare" ? `Cloudflare zone ${dns.zoneName} (${dns.zoneId})` : `Cloud DNS zone ${dns.managedZone}`;
  const name = dns.recordName;
  const found = records.map((r) => `${r.type} ${r.content}${r.id ? ` (id ${r.id})` : ""}`).join(", ");
  const adopted = env.adopt?.dnsRecord !== undefined;
  const refuse = (message: string): PreflightResult => ({ ok: false, records, message: `${env.name}: ${name} in ${where}: ${message}` });
  const ok = (message: string): PreflightResult => ({ ok: true, records, message: `${env.name}: ${name} in ${where}: ${message}` });

  if (records.length === 0) {
    if (adopted) return refuse("no record found, but adopt.dnsRecord is configured: the import would fail the plan. Remove adopt.dnsRecord (and its evidence) so the stack creates the record, or fix dns.recordName/zone.");
    return ok("no record yet: the dns stack will create it.");
  }
  const others = records.filter((r) => r.type !== MANAGED_TYPE);
  if (others.length > 0) {
    return refuse(
      `found ${found}. The stack manages one ${MANAGED_TYPE} record: ` +
        (dns.provider === "cloudflare"
          ? "`type` forces replacement (cloudflare dns_record/schema.go), so applying would delete the name before creating it. "
          : "a record set of another type is not the one the stack imports (the import fails the plan), and a CNAME cannot coexist with an A record set (creating it fails). ") +
        `First change it by hand to a single ${MANAGED_TYPE} record pointing at the current origin's address (same TTL/proxy), then run the pre-flight again.`,
    );
  }
  if (records.length > 1) {
    return refuse(
      `found ${records.length} ${MANAGED_TYPE} records (${found}): the stack manages one, so the others would keep sending users to the old origin (round-robin). ` +
        `Delete all but one by hand (keep the one pointing at the current origin), put its id in adopt.dnsRecord, then run the pre-flight again.`,
    );
  }
  const [record] = records;
  if (!adopted) {
    return refuse(
      `found ${found}, but adopt.dnsRecord is not configured: Cloudflare would add a second record (round-robin), Cloud DNS would fail with 409. ` +
        `Set adopt.dnsRecord${dns.provider === "cloudflare" ? ` = { cloudflareRecordId: "${record.id}" }` : " = {}"} with adopt.evidence.dnsRecord, then run the pre-flight again.`,
    );
  }
  const configuredId = env.adopt?.dnsRecord?.cloudflareRecordId;
  if (dns.provider === "cloudflare" && configuredId !== record.id) {
    return refuse(`found ${found}, but adopt.dnsRecord.cloudflareRecordId is ${configuredId}: set it to ${record.id}.`);
  }
  return ok(`exactly one ${MANAGED_TYPE} record (${found}): the dns stack adopts it and updates it in place.`);
}

export async function dnsPreflight(env: EnvironmentConfig, options: PreflightOptions = {}): Promise<PreflightResult> {
  return judge(env, await readLiveRecords(env, options));
}
