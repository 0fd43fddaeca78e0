/**
 * `npm run dns:preflight -- <env>`: before the dns stack's first apply, reads the live records at the
 * environment's public name and refuses anything but exactly one A record (adopted) or none (created): see
 * operator/lib/dns-preflight.ts for why.
 *
 * Credentials from the environment: CLOUDFLARE_API_TOKEN (Cloudflare), GOOGLE_OAUTH_ACCESS_TOKEN (Cloud DNS, e.g.
 * `export GOOGLE_OAUTH_ACCESS_TOKEN=$(gcloud auth print-access-token)`). Exit codes: 0 safe; 2 refused; 1 usage,
 * configuration or API error.
 */
import { ENV_NAMES, loadEnvironments, type EnvName } from "../config";
import { dnsPreflight } from "./lib/dns-preflight";

async function main(argv: string[]): Promise<number> {
  const env = argv[0] as EnvName;
  if (!ENV_NAMES.includes(env) || argv.length !== 1) throw new Error(`usage: npm run dns:preflight -- <${ENV_NAMES.join("|")}>`);
  const result = await dnsPreflight(loadEnvironments()[env], {
    cloudflareToken: process.env.CLOUDFLARE_API_TOKEN,
    googleAccessToken: process.env.GOOGLE_OAUTH_ACCESS_TOKEN,
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
