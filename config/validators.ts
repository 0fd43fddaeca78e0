/**
 * Value checks shared by the configuration schema and the constructs.
 *
 * Each check returns `undefined` when the value is fine, or a sentence saying what is allowed.
 * Keeping them as plain functions lets a construct and the config loader give the same answer.
 */

/** AWS commercial regions this project may deploy to. */
export const AWS_REGIONS = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  "ca-central-1", "sa-east-1",
  "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2",
  "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-northeast-1",
  "ap-northeast-2", "ap-northeast-3", "ap-east-1",
  "me-central-1", "me-south-1", "af-south-1", "il-central-1",
] as const;
export type AwsRegion = (typeof AWS_REGIONS)[number];

/**
 * S3 bucket naming rules (general purpose buckets):
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function checkBucketName(name: string): string | undefined {
  const allowed = "3-63 characters of lowercase letters, digits, '.' and '-', starting and ending with a letter or digit";
  if (name.length < 3 || name.length > 63) return `must be ${allowed}`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return `must be ${allowed}`;
  if (name.includes("..")) return "must not contain two adjacent periods";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not be formatted as an IP address";
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return "must not start with 'xn--', 'sthree-' or 'amzn-s3-demo-'";
  if (/(-s3alias|--ol-s3|--x-s3|\.mrap)$/.test(name)) return "must not end with an S3 reserved suffix (-s3alias, --ol-s3, --x-s3, .mrap)";
  // Dots break virtual-hosted TLS (the wildcard certificate covers one label): refuse them outright.
  if (name.includes(".")) return "must not contain '.', which breaks TLS for virtual-hosted-style requests";
  return undefined;
}

function parseIpv4(addr: string): number[] | undefined {
  const parts = addr.split(".");
  if (parts.length !== 4) return undefined;
  const octets = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : NaN));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : undefined;
}

function parseIpv6(addr: string): number[] | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(addr)) return undefined;
  const halves = addr.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.map((g) => parseInt(g, 16));
}

/** A parsed CIDR block: address as bits, prefix length and family. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly bits: bigint;
  readonly prefix: number;
}

export function parseCidr(cidr: string): Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!m) return undefined;
  const prefix = Number(m[2]);
  const v4 = parseIpv4(m[1]);
  if (v4) {
    if (prefix > 32) return undefined;
    return { family: 4, prefix, bits: v4.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n) };
  }
  const v6 = parseIpv6(m[1]);
  if (v6) {
    if (prefix > 128) return undefined;
    return { family: 6, prefix, bits: v6.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n) };
  }
  return undefined;
}

/** A CIDR must be well formed and name a network (no host bits), as the AWS provider requires. */
export function checkCidr(cidr: string): string | undefined {
  const parsed = parseCidr(cidr);
  // 010.0.0.0 is 8.0.0.0 to parsers that read octal and 10.0.0.0 to the others: one spelling only.
  if (!parsed && /^(\d+\.){3}\d+\/\d+$/.test(cidr) && /(^|\.)0\d/.test(cidr.split("/")[0])) {
    return "must not have leading zeros in an IPv4 address (010.0.0.0 reads as 8.0.0.0 in octal to some tools): write 10.0.0.0/8";
  }
  if (!parsed) return "must be an IPv4 or IPv6 CIDR block such as 10.0.0.0/16 or 2001:db8::/32";
  const width = parsed.family === 4 ? 32 : 128;
  const hostMask = (1n << BigInt(width - parsed.prefix)) - 1n;
  if ((parsed.bits & hostMask) !== 0n) return "must be a network address (host bits zero), e.g. 10.0.0.0/16 rather than 10.0.0.1/16";
  return undefined;
}

/** True when the CIDR covers the whole address space of its family. */
export function isWorldOpen(cidr: string): boolean {
  const parsed = parseCidr(cidr);
  return parsed !== undefined && parsed.prefix === 0;
}

/** True when two CIDR blocks of the same family share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const pa = parseCidr(a);
  const pb = parseCidr(b);
  if (!pa || !pb || pa.family !== pb.family) return false;
  const width = BigInt(pa.family === 4 ? 32 : 128);
  const prefix = BigInt(Math.min(pa.prefix, pb.prefix));
  return pa.bits >> (width - prefix) === pb.bits >> (width - prefix);
}

/** True when the whole CIDR lies inside a block the internet does not route (see unroutableKind). */
export function isPrivateRange(cidr: string): boolean {
  return unroutableKind(cidr) !== undefined;
}

/**
 * Address ranges that can never reach a VPC whose only way out is an internet gateway: private (RFC 1918),
 * shared (RFC 6598), loopback, link-local and IPv6 unique-local. Registry: IANA IPv4/IPv6 Special-Purpose
 * Address Registries (https://www.iana.org/assignments/iana-ipv4-special-registry/,
 * https://www.iana.org/assignments/iana-ipv6-special-registry/).
 */
const UNROUTABLE_RANGES: ReadonlyArray<readonly [string, string]> = [
  ["10.0.0.0/8", "private (RFC 1918)"],
  ["172.16.0.0/12", "private (RFC 1918)"],
  ["192.168.0.0/16", "private (RFC 1918)"],
  ["100.64.0.0/10", "shared address space (RFC 6598)"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["fc00::/7", "unique-local (RFC 4193)"],
  ["fe80::/10", "link-local"],
  ["::1/128", "loopback"],
];

/** What kind of non-internet range `cidr` overlaps, or undefined when it is publicly routable. */
export function unroutableKind(cidr: string): string | undefined {
  // Inside the range, not merely overlapping it: 0.0.0.0/1 overlaps 10.0.0.0/8 but is mostly the internet, which
  // the whole-internet check (cidr-sets.ts) is for.
  const parsed = parseCidr(cidr);
  if (!parsed) return undefined;
  return UNROUTABLE_RANGES.find(([range]) => {
    const block = parseCidr(range)!;
    return block.family === parsed.family && parsed.prefix >= block.prefix && cidrsOverlap(cidr, range);
  })?.[1];
}
