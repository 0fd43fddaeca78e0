/**
 * Secrets pasted into a URL field (issue 29 §4): a token in the apt repository URL, credentials in the Pushgateway
 * URL. Refused, and never repeated: `formatValue` prints such a URL through `concealUrlSecrets`, so the loader's
 * `field = value: message` line shows where the secret was without the secret.
 *
 * The shapes, from where tokens really go:
 * - user info: packagecloud's own apt instructions put a read token there (`https://<token>:@packagecloud.io/…`,
 *   "Installing packages from private repositories", packagecloud docs); git hosts take `https://<token>@host/…`;
 *   any `user:password@` (RFC 3986 §3.2.1 deprecates it: "Use of the format "user:password" in the userinfo field is
 *   deprecated").
 * - query parameters named like a credential (`?token=`, `?access_key=`, `?sig=`), and any query value shaped like
 *   a token.
 * - path segments shaped like a token: 20 or more hex digits, or 24 or more letters and digits mixed, with no
 *   separator (what random API tokens look like; names such as `packagecloud-enterprise` have separators).
 */
import { z } from "zod";
import { redactSecrets } from "./redact";

/** The marker config/redact.ts uses too. */
const REDACTED = "…(redacted)";
const CREDENTIAL_NAME = /(token|secret|passw(or)?d|signature|^sig$|key|auth|credential)/i;

function tokenLike(text: string): boolean {
  if (text.includes(REDACTED)) return false;
  return /^[0-9a-f]{20,}$/i.test(text) || (/^[A-Za-z0-9]{24,}$/.test(text) && /\d/.test(text) && /[A-Za-z]/.test(text));
}

interface Parts {
  readonly scheme: string;
  readonly userinfo?: string;
  readonly host: string;
  readonly path: string;
  readonly query?: string;
  readonly fragment?: string;
}

/** RFC 3986 appendix B's regular expression, with the authority split at its last '@'. */
function split(url: string): Parts | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/i.exec(url);
  if (!m) return undefined;
  const authority = m[2]!;
  const at = authority.lastIndexOf("@");
  return {
    scheme: m[1]!,
    userinfo: at >= 0 ? authority.slice(0, at) : undefined,
    host: at >= 0 ? authority.slice(at + 1) : authority,
    path: m[3]!,
    query: m[4],
    fragment: m[5],
  };
}

const queryPairs = (query: string) => query.split("&").filter((p) => p !== "").map((p) => [p.split("=")[0]!, p.slice(p.indexOf("=") + 1)] as const);

/** Why a URL carries a secret, or undefined. The sentence never contains any part of the URL. */
export function checkUrlSecrets(url: string): string | undefined {
  const parts = split(url);
  if (!parts) return undefined;
  const outOfBand =
    "a URL in configuration lands in git, in EC2 user data or a Kubernetes manifest, and in Terraform state; deliver the secret out of band (the VM's apt token: its SSM parameter, docs/vm.md) and keep the URL bare";
  if (parts.userinfo !== undefined) return `must not contain credentials (a user, token or password before '@'): ${outOfBand}`;
  const pairs = queryPairs(parts.query ?? "");
  if (pairs.some(([name, value]) => CREDENTIAL_NAME.test(name) || tokenLike(decodeURIComponentSafe(value)))) {
    return `must not carry a credential in its query string: ${outOfBand}`;
  }
  const segments = parts.path.split("/").map(decodeURIComponentSafe);
  if (segments.some((s, i) => tokenLike(s) || (segments[i - 1] === "priv" && s !== ""))) {
    return `must not carry a token in its path (a segment shaped like a token, or one after packagecloud's priv segment): ${outOfBand}`;
  }
  if (parts.fragment !== undefined && /=|token|key/i.test(parts.fragment)) return `must not carry a credential in its fragment: ${outOfBand}`;
  return undefined;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * `text` with the secret parts of a URL replaced by "…(redacted)" (user info, query values, token-like path
 * segments, the fragment), or `text` unchanged when it is no URL carrying one.
 */
export function concealUrlSecrets(original: string): string {
  if (!split(original)) return original;
  // The shapes config/redact.ts knows first (it says what they were: "glpat-…(redacted)"), then the rest.
  const text = redactSecrets(original);
  const parts = split(text);
  if (!parts || checkUrlSecrets(text) === undefined) return text;
  const segments = parts.path.split("/");
  const path = segments.map((s, i) => (tokenLike(decodeURIComponentSafe(s)) || (segments[i - 1] === "priv" && s !== "") ? REDACTED : s)).join("/");
  const query = parts.query === undefined ? "" : `?${queryPairs(parts.query).map(([name]) => `${name}=${REDACTED}`).join("&")}`;
  const userinfo = parts.userinfo === undefined ? "" : parts.userinfo.includes(REDACTED) ? `${parts.userinfo}@` : `${REDACTED}@`;
  return `${parts.scheme}://${userinfo}${parts.host}${path}${query}${parts.fragment !== undefined ? `#${REDACTED}` : ""}`;
}

/**
 * The Pushgateway's base URL (backupJob.kubernetes.pushgatewayUrl): scheme, host and port only. Credentials are
 * refused with their own sentence (the jobs' pods would print them in every log line that names the URL).
 */
export const pushgatewayUrl = z.string().superRefine((url, ctx) => {
  const secret = checkUrlSecrets(url);
  if (secret) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${secret}; the Pushgateway takes no credentials from this URL (put an authenticating proxy or a NetworkPolicy in front of it)` });
  else if (!/^https?:\/\/[a-z0-9.-]+(:\d+)?\/?$/.test(url)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be the Pushgateway's base URL, e.g. http://pushgateway.monitoring.svc:9091" });
  }
});
