/**
 * Values that look secret, cut out of every refusal message (ConfigError, a stack's failed checks): an operator
 * who pasted an age identity or a PagerDuty URL with its integration key into the wrong field must not see it
 * repeated in a CI log. What is kept says what was there, so the message still points at the mistake.
 *
 * The shapes, from their issuers' documentation:
 * - age identities: `AGE-SECRET-KEY-1` + Bech32 (C2SP age spec, "The X25519 recipient type").
 * - PagerDuty: every events.pagerduty.com / events.eu.pagerduty.com URL carries an integration or routing key
 *   (Events API v1/v2, the CloudWatch integration URL); Slack: hooks.slack.com/services|workflows|triggers/…
 *   (incoming webhooks), tokens `xox[abposr]-…` (Slack "Token types").
 * - GitLab tokens `glpat-`, `gldt-`, `glrt-`, `glptt-`, `glsoat-`, `gloas-` (GitLab "Token prefixes"); GitHub
 *   `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_` (GitHub "About authentication", token formats); AWS
 *   access key ids `AKIA`/`ASIA` + 16 (IAM "Unique identifiers"); Google API keys `AIza` + 35; JSON Web Tokens;
 *   PEM private keys.
 * - Any URL's user info (`https://user:password@host`, `https://<token>:@host`), packagecloud's `/priv/<token>/`
 *   paths, and query parameters named like a credential.
 */

const REDACTED = "…(redacted)";

const PATTERNS: ReadonlyArray<[RegExp, (match: string, ...groups: string[]) => string]> = [
  [/AGE-SECRET-KEY-1[0-9A-Z]{4,}/gi, () => `AGE-SECRET-KEY-1${REDACTED}`],
  [/(https?:\/\/(?:[a-z0-9-]+\.)*pagerduty\.com)(?!\/…)\/[^\s"'`,)]+/gi, (_m, host) => `${host}/${REDACTED}`],
  [/(https?:\/\/hooks\.slack\.com)(?!\/…)\/[^\s"'`,)]+/gi, (_m, host) => `${host}/${REDACTED}`],
  [/\bxox[abposr]-[A-Za-z0-9-]{6,}/g, (m) => `${m.slice(0, 5)}${REDACTED}`],
  [/\b(glpat|gldt|glrt|glptt|glsoat|gloas)-[A-Za-z0-9_-]{8,}/g, (_m, prefix) => `${prefix}-${REDACTED}`],
  [/\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/g, (_m, prefix) => `${prefix}_${REDACTED}`],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, () => `github_pat_${REDACTED}`],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, (_m, prefix) => `${prefix}${REDACTED}`],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, () => `AIza${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, () => `eyJ${REDACTED}`],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, () => `-----BEGIN PRIVATE KEY${REDACTED}`],
  // Any user info in a URL, user name included: packagecloud's apt token is the user part
  // (`https://<token>:@packagecloud.io/…`), as git hosts' tokens are (`https://<token>@host/…`).
  [/(\b[a-z][a-z0-9+.-]*:\/\/)(?![^\s/@"'`]*…\(redacted\)@)[^\s/@"'`]+@/gi, (_m, prefix) => `${prefix}${REDACTED}@`],
  // packagecloud's private download paths: /priv/<token>/…
  [/(\/priv\/)(?!…)[^\s/"'`]+/g, (_m, prefix) => `${prefix}${REDACTED}`],
  // ?token=…, &routing_key=…, …
  [/([?&](?:[a-z_-]*(?:token|secret|password|passwd|signature|sig|key|auth|credential)s?[a-z_-]*)=)[^&\s"'`]+/gi, (_m, name) => `${name}${REDACTED}`],
];

/** `text` with every secret-looking value replaced by what it is and "…(redacted)". */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replace] of PATTERNS) out = out.replace(pattern, replace as (substring: string, ...args: any[]) => string);
  return out;
}

/** Whether `text` holds a value that looks secret (what the tests assert no refusal contains). */
export function looksSecret(text: string): boolean {
  return redactSecrets(text) !== text;
}
