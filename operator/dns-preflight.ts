/**
 * `npm run dns:preflight -- <env>`: before the dns stack's first apply, reads the live records at the
 * environment's public name and refuses anything but exactly one A record (adopted) or none (created): see
 * operator/lib/dns-preflight.ts for why.
 *
 * The pipeline runs it in the dns stack's plan job before the stack's first apply (operator/ci/terraform.sh).
 *
 * Credentials from the environment, the ones Terraform's providers read: CLOUDFLARE_API_TOKEN (Cloudflare); for
 * Cloud DNS, GOOGLE_OAUTH_ACCESS_TOKEN, or a token made from GOOGLE_CREDENTIALS / GOOGLE_APPLICATION_CREDENTIALS (a
 * service account key or a workload identity federation configuration: operator/lib/google-token.ts; no gcloud).
 * CLOUDFLARE_API_BASE_URL and CLOUD_DNS_API_BASE_URL point the reads elsewhere (the emulated world's model of the
 * API in the tests). Exit codes: 0 safe; 2 refused; 1 usage, configuration, credentials or API error.
 */
import { ENV_NAMES, loadEnvironments, type EnvName } from "../config";
import { dnsPreflight } from "./lib/dns-preflight";
import { CLOUD_DNS_READ_SCOPE, googleAccessToken } from "./lib/google-token";

async function main(argv: string[]): Promise<number> {
  const env = argv[0] as EnvName;
  if (!ENV_NAMES.includes(env) || argv.length !== 1) throw new Error(`usage: npm run dns:preflight -- <${ENV_NAMES.join("|")}>`);
  const config = loadEnvironments()[env];
  const result = await dnsPreflight(config, {
    cloudflareToken: process.env.CLOUDFLARE_API_TOKEN,
    googleAccessToken: config.dns.provider === "cloud-dns" ? await googleAccessToken(process.env, CLOUD_DNS_READ_SCOPE) : undefined,
    cloudflareBaseUrl: process.env.CLOUDFLARE_API_BASE_URL,
    cloudDnsBaseUrl: process.env.CLOUD_DNS_API_BASE_URL,
  });
  (result.ok ? console.log : console.error)(`${result.ok ? "ok" : "REFUSED"}: ${result.message}`);
  return result.ok ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error((error as Error).message);
    process.exit(1);
  },
);
