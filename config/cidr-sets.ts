/**
 * CIDR lists checked as sets: the same network spelled twice, and how much of the public internet a list opens.
 *
 * A literal `0.0.0.0/0` is only one spelling of "everyone": `0.0.0.0/1` + `128.0.0.0/1`, `::/0`, `::ffff:0:0/96`
 * (IPv4-mapped IPv6) and a handful of /2s say the same thing. So each list is normalized (IPv4-mapped IPv6 to IPv4,
 * IPv6 case and zero compression, via the parsed bits), merged into intervals, intersected with the public address
 * space, and measured.
 *
 * @example
 *   publicShare(["0.0.0.0/1", "128.0.0.0/1"]).v4   // 1 (the whole public IPv4 space)
 */
import { checkCidr, parseCidr, type Cidr } from "./validators";

/**
 * Address space that is not the public internet, so a range inside it opens nothing to the world.
 * Source: IANA IPv4 Special-Purpose Address Registry (RFC 6890 and updates), plus multicast (RFC 5771) and the
 * reserved 240.0.0.0/4 (RFC 1112), https://www.iana.org/assignments/iana-ipv4-special-registry/, read 2026-11-24.
 */
export const IPV4_NON_PUBLIC = [
  "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
  "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
  "224.0.0.0/4", "240.0.0.0/4",
] as const;

/**
 * The public IPv6 internet: global unicast, 2000::/3 (IANA IPv6 Address Space registry, RFC 4291 §2.4), less its
 * documentation range 2001:db8::/32 (RFC 3849). Everything else (ULA fc00::/7, link-local, multicast) is not routed.
 * IPv4-mapped addresses (::ffff:0:0/96) are measured as the IPv4 they map.
 */
const IPV6_PUBLIC = "2000::/3";
const IPV6_NON_PUBLIC = ["2001:db8::/32"] as const;
const IPV4_MAPPED = parseCidr("::ffff:0:0/96")!;

/**
 * The limits, and why:
 * - IPv4: a list may open at most 1/256 of the public IPv4 space (~14.5 million addresses, a little under one /8).
 *   The largest blocks ever held by one organisation are legacy /8s; an admin or Prometheus network is a few /24s
 *   to /16s. A list over the limit is not "specific networks", whatever its spelling, and a single public /8 or
 *   shorter is always over it.
 * - IPv6: at most 1/65536 of global unicast, a /19's worth: the largest allocations RIRs make to a single network
 *   operator are around /19; an organisation's own networks are /32 to /64s.
 */
export const MAX_PUBLIC_SHARE = { v4: 1 / 256, v6: 1 / 65536 } as const;

type Interval = readonly [bigint, bigint];

function interval(c: Cidr): Interval {
  const width = BigInt(c.family === 4 ? 32 : 128);
  const size = 1n << (width - BigInt(c.prefix));
  const start = (c.bits >> (width - BigInt(c.prefix))) << (width - BigInt(c.prefix));
  return [start, start + size - 1n];
}

function merge(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Array<[bigint, bigint]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1] + 1n) last[1] = e > last[1] ? e : last[1];
    else out.push([s, e]);
  }
  return out;
}

function subtract(from: Interval[], remove: Interval[]): Interval[] {
  let current = merge(from);
  for (const [rs, re] of merge(remove)) {
    current = current.flatMap(([s, e]): Interval[] => {
      if (re < s || rs > e) return [[s, e]];
      const parts: Interval[] = [];
      if (rs > s) parts.push([s, rs - 1n]);
      if (re < e) parts.push([re + 1n, e]);
      return parts;
    });
  }
  return current;
}

function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [as, ae] of merge(a)) {
    for (const [bs, be] of merge(b)) {
      const s = as > bs ? as : bs;
      const e = ae < be ? ae : be;
      if (s <= e) out.push([s, e]);
    }
  }
  return out;
}

const size = (intervals: Interval[]) => merge(intervals).reduce((sum, [s, e]) => sum + (e - s + 1n), 0n);
const cidrIntervals = (list: readonly string[]) => list.map((c) => interval(parseCidr(c)!));

const V4_PUBLIC = subtract([[0n, (1n << 32n) - 1n]], cidrIntervals(IPV4_NON_PUBLIC));
const V6_PUBLIC = subtract(cidrIntervals([IPV6_PUBLIC]), cidrIntervals(IPV6_NON_PUBLIC));
const V4_PUBLIC_SIZE = size(V4_PUBLIC);
const V6_PUBLIC_SIZE = size(V6_PUBLIC);

/**
 * The IPv4 and IPv6 intervals a CIDR covers, with IPv4-mapped IPv6 moved to IPv4 (`::ffff:10.0.0.0/104` is
 * 10.0.0.0/8; `::/64` also covers every mapped address, so all of IPv4).
 */
function coverage(c: Cidr): { v4: Interval[]; v6: Interval[] } {
  if (c.family === 4) return { v4: [interval(c)], v6: [] };
  const own = interval(c);
  const mapped = interval(IPV4_MAPPED);
  const overlap = intersect([own], [mapped]);
  return { v4: overlap.map(([s, e]) => [s - mapped[0], e - mapped[0]] as Interval), v6: subtract([own], [mapped]) };
}

/** One spelling per network: IPv4-mapped IPv6 as IPv4, IPv6 compressed and lowercase, host bits as written. */
export function canonicalCidr(cidr: string): string | undefined {
  const c = parseCidr(cidr);
  if (!c) return undefined;
  if (c.family === 6 && c.prefix >= 96 && c.bits >> 32n === 0xffffn) {
    const v4 = c.bits & 0xffffffffn;
    return `${[24n, 16n, 8n, 0n].map((s) => (v4 >> s) & 255n).join(".")}/${c.prefix - 96}`;
  }
  if (c.family === 4) return `${[24n, 16n, 8n, 0n].map((s) => (c.bits >> s) & 255n).join(".")}/${c.prefix}`;
  const groups = [...Array(8).keys()].map((i) => ((c.bits >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  // RFC 5952: compress the longest run of two or more zero groups.
  let best = [-1, 0];
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > best[1]) best = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const text = best[1] >= 2 ? `${groups.slice(0, best[0]).join(":")}::${groups.slice(best[0] + best[1]).join(":")}` : groups.join(":");
  return `${text}/${c.prefix}`;
}

/** How much of the public IPv4 and IPv6 space a list opens, as fractions (0 to 1). Malformed entries are ignored. */
export function publicShare(cidrs: readonly string[]): { v4: number; v6: number } {
  const v4: Interval[] = [];
  const v6: Interval[] = [];
  for (const cidr of cidrs) {
    const c = parseCidr(cidr);
    if (!c) continue;
    const cover = coverage(c);
    v4.push(...cover.v4);
    v6.push(...cover.v6);
  }
  const ratio = (n: bigint, d: bigint) => Number((n * 1_000_000_000n) / d) / 1_000_000_000;
  return { v4: ratio(size(intersect(v4, V4_PUBLIC)), V4_PUBLIC_SIZE), v6: ratio(size(intersect(v6, V6_PUBLIC)), V6_PUBLIC_SIZE) };
}

/** True when a CIDR reaches any public address (IPv4-mapped included). */
export function touchesPublic(cidr: string): boolean {
  const c = parseCidr(cidr);
  if (!c) return false;
  // Intervals, not publicShare: a single public /32 rounds to a share of 0.
  const cover = coverage(c);
  return intersect(cover.v4, V4_PUBLIC).length > 0 || intersect(cover.v6, V6_PUBLIC).length > 0;
}

export interface SetProblem {
  /** Index of the entry the problem is about, or undefined for the list as a whole. */
  readonly index?: number;
  readonly message: string;
}

/**
 * Problems of one CIDR list as a set: duplicates in any spelling, entries inside another entry, and a union that
 * opens more of the internet than MAX_PUBLIC_SHARE. `what` names what the list opens ("SSH", "the exporters").
 */
export function checkCidrSet(cidrs: readonly string[], what: string): SetProblem[] {
  const problems: SetProblem[] = [];
  const valid = cidrs.map((c, index) => ({ c, index })).filter(({ c }) => !checkCidr(c));
  valid.forEach(({ c, index }, i) => {
    for (const { c: other, index: j } of valid.slice(0, i)) {
      const [a, b] = [interval(parseCidr(c)!), interval(parseCidr(other)!)];
      const sameFamily = canonicalCidr(c)!.includes(":") === canonicalCidr(other)!.includes(":");
      if (canonicalCidr(c) === canonicalCidr(other)) {
        problems.push({ index, message: `is entry ${j} (${other}) again, spelled ${c === other ? "the same way" : "differently"}: list each network once` });
        return;
      }
      if (sameFamily && a[0] >= b[0] && a[1] <= b[1]) {
        problems.push({ index, message: `lies inside entry ${j} (${other}): list each network once` });
        return;
      }
      if (sameFamily && b[0] >= a[0] && b[1] <= a[1]) {
        problems.push({ index, message: `contains entry ${j} (${other}): list each network once` });
        return;
      }
    }
  });
  const share = publicShare(cidrs);
  for (const family of ["v4", "v6"] as const) {
    if (share[family] > MAX_PUBLIC_SHARE[family]) {
      const limit = family === "v4" ? "1/256 of the public IPv4 space (a little under one /8)" : "1/65536 of global unicast IPv6 (a /19)";
      problems.push({
        message: `together open ${what} to ${(share[family] * 100).toPrecision(3)}% of the public ${family === "v4" ? "IPv4" : "IPv6"} internet; at most ${limit} is allowed, whatever the spelling (0.0.0.0/1 + 128.0.0.0/1 is 0.0.0.0/0): list the specific networks`,
      });
    }
  }
  return problems;
}
