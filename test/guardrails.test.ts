/**
 * The pieces the guardrails are built from: the value printer, ranges as sets, the Cloud SQL tier rule and the
 * production table.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadEnvironments, parseEnvironment } from "../config";
import { ENVIRONMENTS } from "../config/environments";
import { PRODUCTION_INVARIANTS } from "../config/catalog/production";
import { canonicalCidr, checkCidrSet, publicShare, touchesPublic } from "../config/cidr-sets";
import { formatValue } from "../config/format";
import { checkSqlTier, claimsOf, podAddressesPerNode } from "../config/guardrails";
import { buildApp } from "../stacks/app";
import { synthesizeAtomically } from "../stacks/synthesize";

describe("formatValue", () => {
  it("prints every kind of value as itself, bounded, without throwing", () => {
    const cyclic: any = { a: 1 };
    cyclic.self = cyclic;
    expect(formatValue(NaN)).toBe("NaN");
    expect(formatValue(-Infinity)).toBe("-Infinity");
    expect(formatValue(10n)).toBe("10n");
    expect(formatValue(undefined)).toBe("missing");
    expect(formatValue(() => 1)).toBe("a function");
    expect(formatValue(cyclic)).toBe("{a: 1, self: (a reference back to an enclosing object)}");
    expect(formatValue("x".repeat(500))).toMatch(/^"x{80}"… \(500 characters\)$/);
    expect(formatValue(Object.defineProperty({}, "g", { enumerable: true, get: () => { throw new Error("no"); } }))).toBe("{g: (a getter)}");
    expect(formatValue(new Array(10_000).fill({ deep: { deeper: { deepest: 1 } } })).length).toBeLessThanOrEqual(201);
  });
});

describe("CIDR sets", () => {
  it("measures the public share of a list in any spelling", () => {
    expect(publicShare(["0.0.0.0/1", "128.0.0.0/1"]).v4).toBe(1);
    expect(publicShare(["::ffff:0:0/96"]).v4).toBe(1);
    expect(publicShare(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])).toEqual({ v4: 0, v6: 0 });
    expect(publicShare(["2000::/3"]).v6).toBe(1);
  });

  it("normalizes spellings of one network", () => {
    expect(canonicalCidr("2001:0DB8:0:0::/32")).toBe("2001:db8::/32");
    expect(canonicalCidr("::ffff:af0:0/120")).toBe("10.240.0.0/24");
  });

  it("accepts the configured lists and a public /24 (the limit is about share, not publicness)", () => {
    expect(checkCidrSet(["10.240.0.0/24"], "SSH")).toEqual([]);
    expect(checkCidrSet(["8.8.8.0/24", "2001:4860::/32"], "SSH")).toEqual([]);
  });

  it("fails if the list opens a public /8 or more", () => {
    expect(checkCidrSet(["4.0.0.0/8"], "SSH")).toEqual([expect.objectContaining({ message: expect.stringMatching(/at most 1\/256/) })]);
  });

  it("knows a public host from a private one", () => {
    expect(touchesPublic("8.8.8.8/32")).toBe(true);
    expect(touchesPublic("10.1.0.0/16")).toBe(false);
    expect(touchesPublic("fd00::/8")).toBe(false);
  });
});

describe("Cloud SQL custom tiers", () => {
  it("accepts the documented shapes", () => {
    for (const tier of ["db-custom-1-3840", "db-custom-2-7680", "db-custom-8-30720", "db-custom-96-638976", "db-n1-standard-4"]) expect(checkSqlTier(tier)).toBeUndefined();
  });
  it("fails if vCPUs are odd, memory is off the 256 MB grid or outside 0.9-6.5 GB per vCPU", () => {
    expect(checkSqlTier("db-custom-3-12288")).toMatch(/3 vCPUs/);
    expect(checkSqlTier("db-custom-2-7700")).toMatch(/not a multiple of 256/);
    expect(checkSqlTier("db-custom-2-14336")).toMatch(/7\.00 GB per vCPU/);
    expect(checkSqlTier("db-custom-1-2048")).toMatch(/GB per vCPU/);
  });
});

describe("production table", () => {
  it("names only fields the configuration has, and ops satisfies every row", () => {
    for (const row of PRODUCTION_INVARIANTS) {
      const parent = row.field.split(".").slice(0, -1).reduce((o: any, k) => o?.[k], ENVIRONMENTS.ops);
      expect(parent).toBeInstanceOf(Object);
    }
  });
});

describe("cross-environment claims", () => {
  it("claim every account-wide IAM name the stacks create, so a shared account cannot hold two environments' same name", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-claims-"));
    try {
      const environments = loadEnvironments();
      synthesizeAtomically(path.join(dir, "out"), (app) => buildApp(app, { environments, target: { kind: "aws", remoteState: true } }));
      for (const env of Object.values(environments)) {
        const claimed = new Set(claimsOf(env).filter((c) => c.kind === "IAM name").map((c) => c.value));
        for (const layer of ["storage", "vm"]) {
          const json = JSON.parse(fs.readFileSync(path.join(dir, "out", "stacks", `packagecloud-${env.name}-${layer}`, "cdk.tf.json"), "utf8"));
          for (const type of ["aws_iam_role", "aws_iam_user", "aws_iam_group", "aws_iam_policy", "aws_iam_instance_profile"]) {
            for (const resource of Object.values<any>(json.resource?.[type] ?? {})) expect(claimed).toContain(resource.name);
          }
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("lists", () => {
  /** Every list in an environment's configuration, as a dotted path. */
  function lists(node: unknown, prefix: string[] = []): string[][] {
    if (Array.isArray(node)) return [prefix];
    if (node === null || typeof node !== "object") return [];
    return Object.entries(node).flatMap(([k, v]) => lists(v, [...prefix, k]));
  }

  it.each(["pre", "ops"] as const)("fails if any list of %s repeats an entry, naming the list and the repeated entry", (env) => {
    const found = lists(ENVIRONMENTS[env]);
    expect(found.length).toBeGreaterThanOrEqual(6);
    for (const at of found) {
      const copy = structuredClone(ENVIRONMENTS[env]) as any;
      const list = at.reduce((o, k) => o[k], copy);
      list.push(structuredClone(list[0]));
      expect(() => parseEnvironment(env, copy)).toThrow(new RegExp(`${at.join("\\.")}\\.${list.length - 1}(\\.\\w+)? = .*(again|repeats entry 0|is used twice|twice)`));
    }
  });
});

describe("every problem at once", () => {
  it("reports a look-alike e-mail and a world-open range together, the homoglyph escaped so it can be seen", () => {
    const ops = structuredClone(ENVIRONMENTS.ops) as any;
    ops.monitoring.notifications.emails = ["ops@gitl\u0430b.com"];
    ops.network.adminCidrs = ["0.0.0.0/1", "128.0.0.0/1"];
    expect(() => parseEnvironment("ops", ops)).toThrow(
      /emails\.0 = "ops@gitl\\u\{430\}b\.com": contains U\+0430 \(Cyrillic\)[\s\S]*network\.adminCidrs = \["0\.0\.0\.0\/1", "128\.0\.0\.0\/1"\]: together open SSH to 100%/,
    );
  });
});

describe("GKE pod ranges", () => {
  it("reserve the smallest power of two holding twice the max pods per node (a /24 at GKE's default 110)", () => {
    expect(podAddressesPerNode()).toBe(256);
    expect(podAddressesPerNode(32)).toBe(64);
    expect(podAddressesPerNode(8)).toBe(16);
  });
});
