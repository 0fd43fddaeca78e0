/**
 * A model of the two Google HTTP APIs the pipeline's DNS pre-flight calls (operator/dns-preflight.ts), answering
 * from the stand-ins' world, so the pre-flight sees what Terraform will see: the DNS record seeded for adoption
 * (fixtures.ts), then whatever the dns stack made of it.
 * - OAuth 2.0 token endpoint, JWT bearer grant only (Google's "Using OAuth 2.0 for Server to Server Applications",
 *   HTTP/REST): POST a form with grant_type urn:ietf:params:oauth:grant-type:jwt-bearer and an RS256 assertion; the
 *   signature is checked against the service account key this model issued (serviceAccountKey), `aud` must be this
 *   endpoint; answers {access_token, expires_in, token_type}.
 * - Cloud DNS v1 resourceRecordSets.list (cloud.google.com/dns/docs/reference/rest/v1/resourceRecordSets/list):
 *   GET /dns/v1/projects/{project}/managedZones/{managedZone}/rrsets[?name=&type=], with a bearer token this model
 *   issued (else 401); answers {kind: "dns#resourceRecordSetsListResponse", rrsets: [ResourceRecordSet]} from the
 *   stand-ins' google_dns_record_set objects of that project and zone.
 * A model, not the service: no paging, no other grant, no scopes enforced, no zone lookup (an unknown zone lists nothing).
 */
import { createVerify, generateKeyPairSync, randomBytes } from "node:crypto";
import * as http from "node:http";
import type { Standins } from "./client";

export interface ModelRequest {
  readonly method: string;
  readonly path: string;
  /** The answer's status. */
  readonly status: number;
}

export interface GoogleApiModel {
  /** The base URL: CLOUD_DNS_API_BASE_URL for the pre-flight. */
  readonly url: string;
  /** A service account key whose token_uri is this model (the content of GOOGLE_APPLICATION_CREDENTIALS). */
  readonly serviceAccountKey: Record<string, string>;
  /** Every request, in order. */
  readonly requests: ModelRequest[];
  stop(): Promise<void>;
}

export async function startGoogleApiModel(standins: Standins, clientEmail: string): Promise<GoogleApiModel> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const issued = new Set<string>();
  const requests: ModelRequest[] = [];
  let url = "";

  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const reply = (status: number, value: unknown) => {
        requests.push({ method: req.method ?? "", path: (req.url ?? "").split("?")[0], status });
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      const error = (code: number, message: string) => reply(code, { error: { code, message, status: code === 401 ? "UNAUTHENTICATED" : "INVALID_ARGUMENT" } });
      const target = new URL(req.url ?? "/", url);
      (async () => {
        if (req.method === "POST" && target.pathname === "/token") {
          const form = new URLSearchParams(body);
          if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") return reply(400, { error: "unsupported_grant_type" });
          const [header, claims, signature] = (form.get("assertion") ?? "").split(".");
          const valid = Boolean(signature) && createVerify("RSA-SHA256").update(`${header}.${claims}`).verify(publicKey, Buffer.from(signature, "base64url"));
          const payload = valid ? JSON.parse(Buffer.from(claims, "base64url").toString("utf8")) : {};
          if (!valid || payload.iss !== clientEmail || payload.aud !== `${url}/token`) return reply(400, { error: "invalid_grant", error_description: "Invalid JWT Signature." });
          const token = `ya29.model-${randomBytes(12).toString("hex")}`;
          issued.add(token);
          return reply(200, { access_token: token, expires_in: 3599, token_type: "Bearer" });
        }
        const rrsets = target.pathname.match(/^\/dns\/v1\/projects\/([^/]+)\/managedZones\/([^/]+)\/rrsets$/);
        if (req.method === "GET" && rrsets) {
          const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
          if (!issued.has(token)) return error(401, "Request had invalid authentication credentials.");
          const [, project, zone] = rrsets.map(decodeURIComponent);
          const name = target.searchParams.get("name");
          const type = target.searchParams.get("type");
          const sets = (await standins.objects())
            .filter((o) => o.type === "google_dns_record_set" && o.value.project === project && o.value.managed_zone === zone)
            .map((o) => o.value)
            .filter((v) => (name === null || v.name === name) && (type === null || v.type === type));
          return reply(200, {
            kind: "dns#resourceRecordSetsListResponse",
            rrsets: sets.map((v) => ({ kind: "dns#resourceRecordSet", name: v.name, type: v.type, ttl: v.ttl, rrdatas: v.rrdatas })),
          });
        }
        error(404, `no ${req.method} ${target.pathname} in the model`);
      })().catch((e: unknown) => error(500, e instanceof Error ? e.message : String(e)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    serviceAccountKey: {
      type: "service_account",
      project_id: clientEmail.split("@")[1]?.split(".")[0] ?? "",
      private_key_id: randomBytes(20).toString("hex"),
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      client_email: clientEmail,
      token_uri: `${url}/token`,
    },
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
