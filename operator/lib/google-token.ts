/**
 * A Google OAuth access token from the credentials the pipeline already gives Terraform, with Node alone: the
 * pipeline's job image has no gcloud (issue 27 §1), and gcloud would not use these credentials by itself anyway.
 * Used by the DNS pre-flight (operator/dns-preflight.ts) to read Cloud DNS in the dns stack's plan job.
 *
 * Where the credentials come from, in the order the Google provider reads them (its docs, "Authentication"):
 * 1. GOOGLE_OAUTH_ACCESS_TOKEN: a token, used as it is;
 * 2. GOOGLE_CREDENTIALS (a key file's path or its JSON), else GOOGLE_APPLICATION_CREDENTIALS (a path), of type
 *    - `service_account`: a JWT signed with the key (RS256), exchanged at the key's `token_uri` (RFC 7523; Google's
 *      "Using OAuth 2.0 for Server to Server Applications", "Preparing to make an authorized API call" over HTTP/REST);
 *    - `external_account`, workload identity federation (e.g. GitLab's ID token in a file): the subject token from
 *      `credential_source` (`file` or `url`, text or JSON `format`), exchanged at `token_url` (Security Token
 *      Service, RFC 8693 token exchange; google.aip.dev/auth/4117), then, when the configuration names a
 *      `service_account_impersonation_url`, exchanged for that service account's token (IAM Credentials
 *      `generateAccessToken`);
 *    - `authorized_user` (`gcloud auth application-default login` on a workstation): its refresh token.
 * Nothing is cached or written: one token per run, held in memory.
 */
import { createSign } from "node:crypto";
import * as fs from "node:fs";

/** Reads Cloud DNS and nothing else (Cloud DNS API scopes: ndev.clouddns.readonly). */
export const CLOUD_DNS_READ_SCOPE = "https://www.googleapis.com/auth/ndev.clouddns.readonly";
/** The scope the Security Token Service grants a federated token (google.aip.dev/auth/4117). */
const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
const DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";

export interface TokenOptions {
  readonly fetch?: typeof fetch;
  readonly readFile?: (file: string) => string;
  /** Seconds since the epoch (the JWT's `iat`). */
  readonly now?: () => number;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

async function post(fetchFn: typeof fetch, url: string, body: URLSearchParams | object, what: string, bearer?: string): Promise<any> {
  const form = body instanceof URLSearchParams;
  const headers: Record<string, string> = { "content-type": form ? "application/x-www-form-urlencoded" : "application/json", accept: "application/json" };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  let response: Response;
  try {
    response = await fetchFn(url, { method: "POST", headers, body: form ? body.toString() : JSON.stringify(body) });
  } catch (error) {
    throw new Error(`${what}: POST ${url} failed: ${(error as Error).message}`);
  }
  const text = await response.text();
  // The answer may echo the request; a token exchange's request holds a credential: never print more than the status.
  if (!response.ok) throw new Error(`${what}: POST ${url} answered HTTP ${response.status}: ${text.slice(0, 200).replace(/"(access_token|accessToken|assertion|subject_token|refresh_token)"\s*:\s*"[^"]*"/g, '"$1":"…"')}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what}: POST ${url} answered HTTP ${response.status} with a body that is not JSON`);
  }
}

function tokenFrom(body: any, field: "access_token" | "accessToken", what: string): string {
  const token = body?.[field];
  if (typeof token !== "string" || token === "") throw new Error(`${what}: the answer has no ${field}`);
  return token;
}

async function serviceAccountToken(key: any, scope: string, fetchFn: typeof fetch, now: number): Promise<string> {
  for (const field of ["client_email", "private_key"]) {
    if (typeof key[field] !== "string") throw new Error(`the service account key has no ${field}`);
  }
  const tokenUri = typeof key.token_uri === "string" ? key.token_uri : DEFAULT_TOKEN_URI;
  const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT", ...(key.private_key_id ? { kid: key.private_key_id } : {}) }));
  const claims = base64url(JSON.stringify({ iss: key.client_email, scope, aud: tokenUri, iat: now, exp: now + 3600 }));
  const signature = createSign("RSA-SHA256").update(`${header}.${claims}`).sign(key.private_key).toString("base64url");
  const body = new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: `${header}.${claims}.${signature}` });
  return tokenFrom(await post(fetchFn, tokenUri, body, `service account ${key.client_email}`), "access_token", `service account ${key.client_email}`);
}

async function subjectToken(source: any, fetchFn: typeof fetch, readFile: (file: string) => string): Promise<string> {
  let raw: string;
  if (typeof source?.file === "string") {
    raw = readFile(source.file);
  } else if (typeof source?.url === "string") {
    const response = await fetchFn(source.url, { headers: source.headers ?? {} });
    if (!response.ok) throw new Error(`external account: GET ${source.url} answered HTTP ${response.status}`);
    raw = await response.text();
  } else {
    throw new Error("external account: credential_source needs `file` or `url` (other sources, e.g. AWS or an executable, are not supported here)");
  }
  if (source.format?.type === "json") {
    const field = source.format.subject_token_field_name;
    const token = JSON.parse(raw)?.[field];
    if (typeof token !== "string") throw new Error(`external account: the subject token's JSON has no ${field}`);
    return token;
  }
  return raw.trim();
}

async function externalAccountToken(config: any, scope: string, fetchFn: typeof fetch, readFile: (file: string) => string): Promise<string> {
  for (const field of ["audience", "subject_token_type", "token_url"]) {
    if (typeof config[field] !== "string") throw new Error(`the external account configuration has no ${field}`);
  }
  const impersonate = typeof config.service_account_impersonation_url === "string" ? config.service_account_impersonation_url : undefined;
  const exchange = new URLSearchParams({
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    audience: config.audience,
    // Impersonation needs the federated token to carry cloud-platform (google.aip.dev/auth/4117).
    scope: impersonate ? CLOUD_PLATFORM_SCOPE : scope,
    requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
    subject_token: await subjectToken(config.credential_source, fetchFn, readFile),
    subject_token_type: config.subject_token_type,
  });
  const federated = tokenFrom(await post(fetchFn, config.token_url, exchange, "Security Token Service"), "access_token", "Security Token Service");
  if (!impersonate) return federated;
  const answer = await post(fetchFn, impersonate, { scope: [scope], lifetime: "3600s" }, "IAM Credentials generateAccessToken", federated);
  return tokenFrom(answer, "accessToken", "IAM Credentials generateAccessToken");
}

async function authorizedUserToken(config: any, scope: string, fetchFn: typeof fetch): Promise<string> {
  for (const field of ["client_id", "client_secret", "refresh_token"]) {
    if (typeof config[field] !== "string") throw new Error(`the authorized_user credentials have no ${field}`);
  }
  const body = new URLSearchParams({ grant_type: "refresh_token", client_id: config.client_id, client_secret: config.client_secret, refresh_token: config.refresh_token, scope });
  return tokenFrom(await post(fetchFn, DEFAULT_TOKEN_URI, body, "OAuth refresh"), "access_token", "OAuth refresh");
}

/** An access token for `scope` from the environment's Google credentials, or an error naming what to set. */
export async function googleAccessToken(vars: NodeJS.ProcessEnv, scope: string, options: TokenOptions = {}): Promise<string> {
  const fetchFn = options.fetch ?? fetch;
  const readFile = options.readFile ?? ((file: string) => fs.readFileSync(file, "utf8"));
  const now = (options.now ?? (() => Math.floor(Date.now() / 1000)))();
  if (vars.GOOGLE_OAUTH_ACCESS_TOKEN) return vars.GOOGLE_OAUTH_ACCESS_TOKEN;
  let text: string | undefined;
  let from: string | undefined;
  if (vars.GOOGLE_CREDENTIALS) {
    from = "GOOGLE_CREDENTIALS";
    text = vars.GOOGLE_CREDENTIALS.trimStart().startsWith("{") ? vars.GOOGLE_CREDENTIALS : readFile(vars.GOOGLE_CREDENTIALS);
  } else if (vars.GOOGLE_APPLICATION_CREDENTIALS) {
    from = "GOOGLE_APPLICATION_CREDENTIALS";
    text = readFile(vars.GOOGLE_APPLICATION_CREDENTIALS);
  }
  if (text === undefined || from === undefined) {
    throw new Error(
      "no Google credentials: set GOOGLE_APPLICATION_CREDENTIALS (a service account key or a workload identity federation configuration, as for the Google provider), GOOGLE_CREDENTIALS, or GOOGLE_OAUTH_ACCESS_TOKEN",
    );
  }
  let config: any;
  try {
    config = JSON.parse(text);
  } catch {
    throw new Error(`${from}: the credentials are not JSON`);
  }
  try {
    switch (config.type) {
      case "service_account":
        return await serviceAccountToken(config, scope, fetchFn, now);
      case "external_account":
        return await externalAccountToken(config, scope, fetchFn, readFile);
      case "authorized_user":
        return await authorizedUserToken(config, scope, fetchFn);
      default:
        throw new Error(`credentials of type ${JSON.stringify(config.type ?? null)} are not supported (service_account, external_account, authorized_user)`);
    }
  } catch (error) {
    throw new Error(`${from}: ${(error as Error).message}`);
  }
}
