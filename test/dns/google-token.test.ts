/**
 * operator/lib/google-token.ts: a Google access token from the credentials the pipeline gives the Google provider,
 * without gcloud. The expected requests are written from Google's documentation, not from the code: the JWT bearer
 * grant ("Using OAuth 2.0 for Server to Server Applications", HTTP/REST: grant_type
 * urn:ietf:params:oauth:grant-type:jwt-bearer, a JWT with iss, scope, aud, exp, iat signed RS256), the Security Token
 * Service's token exchange (google.aip.dev/auth/4117, RFC 8693 form fields), IAM Credentials generateAccessToken
 * (POST with the federated token as bearer, JSON {scope: [...], lifetime}).
 */
import { createVerify, generateKeyPairSync } from "node:crypto";
import { CLOUD_DNS_READ_SCOPE, googleAccessToken } from "../../operator/lib/google-token";

interface Call {
  url: string;
  method?: string;
  headers: Record<string, string>;
  body?: string;
}

/** A fake fetch answering by URL, recording each request. */
function fakeFetch(answers: Record<string, { status?: number; body: unknown }>) {
  const calls: Call[] = [];
  const fn = (async (url: string, init: RequestInit = {}) => {
    calls.push({ url, method: init.method, headers: (init.headers ?? {}) as Record<string, string>, body: init.body as string | undefined });
    const answer = answers[url];
    if (!answer) return new Response("not found", { status: 404 });
    return new Response(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body), { status: answer.status ?? 200 });
  }) as unknown as typeof fetch;
  return { fn, calls };
}

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const KEY = {
  type: "service_account",
  project_id: "gitlab-pre",
  private_key_id: "0123abcd",
  private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  client_email: "terraform@gitlab-pre.iam.gserviceaccount.com",
  token_uri: "https://oauth2.example.test/token",
};

describe("a service account key (GOOGLE_APPLICATION_CREDENTIALS)", () => {
  it("signs a JWT for the scope with the key and exchanges it at the key's token_uri", async () => {
    const { fn, calls } = fakeFetch({ [KEY.token_uri]: { body: { access_token: "ya29.from-jwt", expires_in: 3599, token_type: "Bearer" } } });
    const token = await googleAccessToken({ GOOGLE_APPLICATION_CREDENTIALS: "/ci/key.json" }, CLOUD_DNS_READ_SCOPE, {
      fetch: fn,
      readFile: (file) => (file === "/ci/key.json" ? JSON.stringify(KEY) : ""),
      now: () => 1_800_000_000,
    });
    expect(token).toBe("ya29.from-jwt");
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ url: "https://oauth2.example.test/token", method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" } });
    const form = new URLSearchParams(calls[0].body);
    expect(form.get("grant_type")).toBe("urn:ietf:params:oauth:grant-type:jwt-bearer");
    const [header, claims, signature] = form.get("assertion")!.split(".");
    const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    expect(decode(header)).toEqual({ alg: "RS256", typ: "JWT", kid: "0123abcd" });
    expect(decode(claims)).toEqual({
      iss: "terraform@gitlab-pre.iam.gserviceaccount.com",
      scope: "https://www.googleapis.com/auth/ndev.clouddns.readonly",
      aud: "https://oauth2.example.test/token",
      iat: 1_800_000_000,
      exp: 1_800_003_600,
    });
    expect(createVerify("RSA-SHA256").update(`${header}.${claims}`).verify(publicKey, Buffer.from(signature, "base64url"))).toBe(true);
  });

  it("takes GOOGLE_CREDENTIALS as the key's JSON itself, before GOOGLE_APPLICATION_CREDENTIALS", async () => {
    const { fn } = fakeFetch({ [KEY.token_uri]: { body: { access_token: "ya29.inline" } } });
    const readFile = () => {
      throw new Error("no file should be read");
    };
    expect(await googleAccessToken({ GOOGLE_CREDENTIALS: JSON.stringify(KEY), GOOGLE_APPLICATION_CREDENTIALS: "/elsewhere" }, CLOUD_DNS_READ_SCOPE, { fetch: fn, readFile })).toBe("ya29.inline");
  });
});

describe("workload identity federation (an external_account configuration)", () => {
  const config = {
    type: "external_account",
    audience: "//iam.googleapis.com/projects/100000000001/locations/global/workloadIdentityPools/gitlab/providers/gitlab-com",
    subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    token_url: "https://sts.example.test/v1/token",
    service_account_impersonation_url: "https://iamcredentials.example.test/v1/projects/-/serviceAccounts/terraform@gitlab-pre.iam.gserviceaccount.com:generateAccessToken",
    credential_source: { file: "/ci/id_token", format: { type: "text" } },
  };
  const files: Record<string, string> = { "/ci/wif.json": JSON.stringify(config), "/ci/id_token": "eyJ.gitlab-id-token.sig\n" };

  it("exchanges the job's ID token at the Security Token Service, then for the service account's token", async () => {
    const { fn, calls } = fakeFetch({
      [config.token_url]: { body: { access_token: "federated-token", issued_token_type: "urn:ietf:params:oauth:token-type:access_token", token_type: "Bearer", expires_in: 3600 } },
      [config.service_account_impersonation_url]: { body: { accessToken: "ya29.impersonated", expireTime: "2027-01-01T00:00:00Z" } },
    });
    const token = await googleAccessToken({ GOOGLE_APPLICATION_CREDENTIALS: "/ci/wif.json" }, CLOUD_DNS_READ_SCOPE, { fetch: fn, readFile: (f) => files[f] });
    expect(token).toBe("ya29.impersonated");
    expect(calls.map((c) => c.url)).toEqual([config.token_url, config.service_account_impersonation_url]);
    expect(Object.fromEntries(new URLSearchParams(calls[0].body))).toEqual({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      audience: "//iam.googleapis.com/projects/100000000001/locations/global/workloadIdentityPools/gitlab/providers/gitlab-com",
      scope: "https://www.googleapis.com/auth/cloud-platform",
      requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
      subject_token: "eyJ.gitlab-id-token.sig",
      subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    });
    expect(calls[1].headers).toMatchObject({ authorization: "Bearer federated-token", "content-type": "application/json" });
    expect(JSON.parse(calls[1].body!)).toEqual({ scope: ["https://www.googleapis.com/auth/ndev.clouddns.readonly"], lifetime: "3600s" });
  });

  it("uses the federated token itself when no service account is impersonated, asking for the scope directly", async () => {
    const direct = { ...config, service_account_impersonation_url: undefined };
    const { fn, calls } = fakeFetch({ [config.token_url]: { body: { access_token: "federated-direct" } } });
    const token = await googleAccessToken({ GOOGLE_CREDENTIALS: JSON.stringify(direct) }, CLOUD_DNS_READ_SCOPE, { fetch: fn, readFile: (f) => files[f] });
    expect(token).toBe("federated-direct");
    expect(new URLSearchParams(calls[0].body).get("scope")).toBe("https://www.googleapis.com/auth/ndev.clouddns.readonly");
  });

  it("fails if the Security Token Service refuses, with its status and without the token it was sent", async () => {
    const { fn } = fakeFetch({ [config.token_url]: { status: 400, body: { error: "invalid_grant", subject_token: "eyJ.gitlab-id-token.sig" } } });
    const failure = googleAccessToken({ GOOGLE_APPLICATION_CREDENTIALS: "/ci/wif.json" }, CLOUD_DNS_READ_SCOPE, { fetch: fn, readFile: (f) => files[f] });
    await expect(failure).rejects.toThrow(/^GOOGLE_APPLICATION_CREDENTIALS: Security Token Service: POST https:\/\/sts\.example\.test\/v1\/token answered HTTP 400: .*invalid_grant/);
    await expect(failure).rejects.not.toThrow(/gitlab-id-token/);
  });
});

describe("what it takes from the environment", () => {
  it("uses GOOGLE_OAUTH_ACCESS_TOKEN as it is, calling nothing", async () => {
    const { fn, calls } = fakeFetch({});
    expect(await googleAccessToken({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.given", GOOGLE_APPLICATION_CREDENTIALS: "/ci/key.json" }, CLOUD_DNS_READ_SCOPE, { fetch: fn })).toBe("ya29.given");
    expect(calls).toEqual([]);
  });

  it("fails without credentials, naming the variables to set", async () => {
    await expect(googleAccessToken({}, CLOUD_DNS_READ_SCOPE)).rejects.toThrow(/no Google credentials: set GOOGLE_APPLICATION_CREDENTIALS .*GOOGLE_CREDENTIALS, or GOOGLE_OAUTH_ACCESS_TOKEN/);
  });

  it("fails on a credential type it cannot use, naming the ones it can", async () => {
    await expect(googleAccessToken({ GOOGLE_CREDENTIALS: '{"type":"impersonated_service_account"}' }, CLOUD_DNS_READ_SCOPE)).rejects.toThrow(
      /GOOGLE_CREDENTIALS: credentials of type "impersonated_service_account" are not supported \(service_account, external_account, authorized_user\)/,
    );
  });
});
