/**
 * The DNS pre-flight against fake Cloudflare v4 and Cloud DNS v1 APIs on loopback: only exactly one A record
 * (adopted) passes; a CNAME, several A records, a missing adopted record and an API error are refused or fail.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { parseEnvironment } from "../../config";
import { dnsPreflight } from "../../operator/lib/dns-preflight";
import { variant } from "../support/config";

const ID = "fedcba9876543210fedcba9876543210";
const OTHER = "00000000000000000000000000000001";

let server: http.Server;
let base: string;
let reply: { status: number; body: unknown } = { status: 200, body: {} };
const requests: { url: string; auth?: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? "", auth: req.headers.authorization });
    res.writeHead(reply.status, { "content-type": "application/json" });
    res.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => (requests.length = 0));

const ops = parseEnvironment("ops", variant("ops", () => undefined));
const pre = parseEnvironment("pre", variant("pre", () => undefined));
const cf = (records: { id: string; type: string; content: string }[]) => ({ status: 200, body: { success: true, errors: [], result: records } });
const cloudflare = () => dnsPreflight(ops, { cloudflareBaseUrl: `${base}/client/v4`, cloudflareToken: "cf-token" });
const clouddns = () => dnsPreflight(pre, { cloudDnsBaseUrl: base, googleAccessToken: "g-token" });

describe("Cloudflare", () => {
  it("passes exactly one A record with the adopted id, asking by name with the token", async () => {
    reply = cf([{ id: ID, type: "A", content: "203.0.113.10" }]);
    const result = await cloudflare();
    expect(result.ok).toBe(true);
    expect(requests).toEqual([{ url: `/client/v4/zones/${ops.dns.provider === "cloudflare" ? ops.dns.zoneId : ""}/dns_records?name=packages.gitlab.com&per_page=100`, auth: "Bearer cf-token" }]);
  });

  it("fails if the name is a CNAME (type forces replacement: destroy before create)", async () => {
    reply = cf([{ id: ID, type: "CNAME", content: "old-origin.example.net" }]);
    const result = await cloudflare();
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/found CNAME old-origin\.example\.net .*forces replacement.*single A record/);
  });

  it("fails if several A records round-robin", async () => {
    reply = cf([{ id: ID, type: "A", content: "203.0.113.10" }, { id: OTHER, type: "A", content: "203.0.113.11" }]);
    const result = await cloudflare();
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/found 2 A records .*203\.0\.113\.11.*round-robin.*Delete all but one/);
  });

  it("fails if the adopted record is missing (the import would fail the plan)", async () => {
    reply = cf([]);
    const result = await cloudflare();
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^ops: packages\.gitlab\.com in Cloudflare zone gitlab\.com .*no record found, but adopt\.dnsRecord is configured/);
  });

  it("fails if the live record is not the adopted id, naming the right one", async () => {
    reply = cf([{ id: OTHER, type: "A", content: "203.0.113.10" }]);
    expect((await cloudflare()).message).toMatch(`set it to ${OTHER}`);
  });

  it("fails on an API error, with the status and body", async () => {
    reply = { status: 403, body: { success: false, errors: [{ code: 10000, message: "Authentication error" }] } };
    await expect(cloudflare()).rejects.toThrow(/ops: Cloudflare: GET .* answered HTTP 403: .*Authentication error/);
  });

  it("fails without a token, naming the variable", async () => {
    await expect(dnsPreflight(ops, { cloudflareBaseUrl: base })).rejects.toThrow(/CLOUDFLARE_API_TOKEN/);
  });
});

describe("Cloud DNS", () => {
  const rrsets = (...sets: { type: string; rrdatas: string[] }[]) => ({ status: 200, body: { kind: "dns#resourceRecordSetsListResponse", rrsets: sets.map((s) => ({ name: "packages.pre.gke.gitlab.net.", ttl: 300, ...s })) } });

  it("passes exactly one A record, asking the zone's rrsets by name with the token", async () => {
    reply = rrsets({ type: "A", rrdatas: ["203.0.113.10"] });
    expect((await clouddns()).ok).toBe(true);
    expect(requests).toEqual([{ url: `/dns/v1/projects/${pre.gcp.project}/managedZones/pre-gke-gitlab-net/rrsets?name=packages.pre.gke.gitlab.net.`, auth: "Bearer g-token" }]);
  });

  it("fails if the name is a CNAME", async () => {
    reply = rrsets({ type: "CNAME", rrdatas: ["old.example.net."] });
    expect((await clouddns()).message).toMatch(/found CNAME old\.example\.net\.\. .*cannot coexist/);
  });

  it("fails if the record set holds several addresses", async () => {
    reply = rrsets({ type: "A", rrdatas: ["203.0.113.10", "203.0.113.11"] });
    expect((await clouddns()).message).toMatch(/found 2 A records/);
  });

  it("fails if the adopted record set is missing", async () => {
    reply = { status: 200, body: { rrsets: [] } };
    expect((await clouddns()).ok).toBe(false);
  });

  it("fails on an API error", async () => {
    reply = { status: 404, body: { error: { code: 404, message: "The 'parameters.managedZone' resource named 'pre-gke-gitlab-net' does not exist." } } };
    await expect(clouddns()).rejects.toThrow(/pre: Cloud DNS: GET .* answered HTTP 404: .*does not exist/);
  });
});

describe("without adoption", () => {
  it("passes no record (the stack creates it) and fails if one exists, naming its id", async () => {
    const fresh = parseEnvironment("ops", variant("ops", (env) => { delete env.adopt.dnsRecord; delete env.adopt.evidence.dnsRecord; }));
    reply = cf([]);
    expect((await dnsPreflight(fresh, { cloudflareBaseUrl: base, cloudflareToken: "t" })).ok).toBe(true);
    reply = cf([{ id: OTHER, type: "A", content: "203.0.113.10" }]);
    expect((await dnsPreflight(fresh, { cloudflareBaseUrl: base, cloudflareToken: "t" })).message).toMatch(new RegExp(`adopt\\.dnsRecord is not configured.*cloudflareRecordId: "${OTHER}"`));
  });
});
