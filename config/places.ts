/**
 * Values that name the wrong place (issue 29 §4): each is well formed, and each would deploy somewhere other than
 * where the rest of the environment is, or fail only at apply.
 *
 * - An availability zone id of another region: ids carry their region (`usw1-az1` is us-west-1's). The prefixes
 *   are written by hand from AWS's "AWS Availability Zones" tables
 *   (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html; "AZ IDs":
 *   https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html), not derived from the region
 *   names: `ap-southeast-1` is `apse1`, `ap-south-1` is `aps1`.
 * - A CloudFront setup region that does not exist (the setup's KMS key is created there).
 * - A KMS alias written with its `alias/` prefix (the construct adds it: `alias/alias/x` is another alias).
 * - A public DNS record at its zone's apex (a shared zone's apex is its owner's website and mail), or, proxied through
 *   Cloudflare, deeper than one label below the zone: Universal SSL covers the apex and first-level subdomains only
 *   (Cloudflare SSL/TLS docs, "Universal SSL": "Universal certificates cover the root or apex domain and all
 *   first-level subdomains"), so browsers would get no certificate for `a.b.gitlab.com`.
 */
import { AWS_REGIONS } from "./validators";

/**
 * The parts of an environment these checks read (structural, so that config/schema.ts, which uses the field checks
 * below, is not imported back).
 */
interface EnvironmentConfig {
  readonly aws: { readonly region: string };
  readonly vm: { readonly availabilityZone: string; readonly availabilityZoneId: string };
  readonly dns: { readonly provider: string; readonly recordName: string; readonly zoneName: string; readonly proxied?: boolean };
}

interface Problem {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

/** Each region this project may deploy to, and the prefix its AZ ids carry (hand-written; see the file comment). */
export const AZ_ID_PREFIX: Readonly<Record<(typeof AWS_REGIONS)[number], string>> = {
  "us-east-1": "use1", "us-east-2": "use2", "us-west-1": "usw1", "us-west-2": "usw2",
  "ca-central-1": "cac1", "sa-east-1": "sae1",
  "eu-central-1": "euc1", "eu-central-2": "euc2", "eu-west-1": "euw1", "eu-west-2": "euw2", "eu-west-3": "euw3",
  "eu-north-1": "eun1", "eu-south-1": "eus1", "eu-south-2": "eus2",
  "ap-south-1": "aps1", "ap-south-2": "aps2", "ap-southeast-1": "apse1", "ap-southeast-2": "apse2", "ap-southeast-3": "apse3",
  "ap-northeast-1": "apne1", "ap-northeast-2": "apne2", "ap-northeast-3": "apne3", "ap-east-1": "ape1",
  "me-central-1": "mec1", "me-south-1": "mes1", "af-south-1": "afs1", "il-central-1": "ilc1",
};

/** The region an AZ id belongs to, or undefined when its prefix is no region's. */
export function regionOfZoneId(zoneId: string): string | undefined {
  const prefix = zoneId.split("-az")[0];
  return Object.entries(AZ_ID_PREFIX).find(([, p]) => p === prefix)?.[0];
}

function zoneId(env: EnvironmentConfig): Problem[] {
  const id = env.vm.availabilityZoneId;
  const region = env.aws.region;
  const own = AZ_ID_PREFIX[region as keyof typeof AZ_ID_PREFIX];
  if (!own || id.startsWith(`${own}-az`)) return [];
  const its = regionOfZoneId(id);
  const fix = `use the id of vm.availabilityZone (${env.vm.availabilityZone}) in your account, ${own}-az<N> (aws ec2 describe-availability-zones --region ${region} --zone-names ${env.vm.availabilityZone})`;
  return [
    {
      path: ["vm", "availabilityZoneId"],
      message: its
        ? `is a zone id of ${its}, not of aws.region (${region}): AZ ids carry their region (${own}-az* for ${region}); ${fix}`
        : `is not an availability zone id of any AWS region (ids are <region prefix>-az<N>, ${own}-az* for ${region}); ${fix}`,
    },
  ];
}

/** The CloudFront setup's region must exist: Terraform creates the setup's KMS key there (us-east-1, Lambda@Edge's). */
export function checkSetupRegion(region: string): string | undefined {
  if ((AWS_REGIONS as readonly string[]).includes(region)) return undefined;
  return `is not an AWS region this project knows (${AWS_REGIONS.join(", ")}): the CloudFront setup's KMS key is created there; Lambda@Edge and its key live in us-east-1`;
}

/** A KMS alias as config takes it: the name only. */
export function checkKeyAliasName(alias: string): string | undefined {
  if (/^alias\//i.test(alias)) {
    const bare = alias.replace(/^alias\//i, "");
    return `must be written without the alias/ prefix, which Terraform adds: write ${JSON.stringify(bare)} (alias/${bare} is the alias KMS then holds)`;
  }
  if (/^aws\//i.test(alias)) return "must not start with aws/: KMS reserves those aliases for AWS managed keys";
  if (!/^[a-zA-Z0-9/_-]{1,250}$/.test(alias)) return "must be a KMS alias name: 1-250 letters, digits, '/', '_' and '-' (without alias/)";
  if (alias.endsWith("/") || alias.includes("//")) return "must not end with '/' or contain '//': write the alias as the setup names it, e.g. packagecloud_cloudfront_auth_key";
  return undefined;
}

function dnsRecord(env: EnvironmentConfig): Problem[] {
  const { recordName, zoneName } = env.dns;
  if (recordName === zoneName) {
    return [
      {
        path: ["dns", "recordName"],
        message: `is the apex of dns.zoneName (${zoneName}) itself: the zone's apex is its owner's (the website, mail); name the service one label below it, e.g. packages.${zoneName}`,
      },
    ];
  }
  if (!recordName.endsWith(`.${zoneName}`)) return []; // "must fall inside dns.zoneName", said by the schema.
  const labels = recordName.slice(0, -zoneName.length - 1).split(".").length;
  if (env.dns.provider === "cloudflare" && env.dns.proxied === true && labels > 1) {
    return [
      {
        path: ["dns", "recordName"],
        message: `is ${labels} labels below dns.zoneName (${zoneName}): Cloudflare's Universal SSL certificate covers the apex and first-level subdomains only, so a proxied ${recordName} serves no valid certificate; use a first-level name such as ${recordName.split(".")[0]}.${zoneName}`,
      },
    ];
  }
  return [];
}

export function checkPlaces(env: EnvironmentConfig): Problem[] {
  return [...zoneId(env), ...dnsRecord(env)];
}
