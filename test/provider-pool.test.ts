/**
 * The provider pool's environment helpers (scripts/lib/provider-pool): the pool's and the stand-ins'
 * TF_REATTACH_PROVIDERS combined, never one replacing the other, and when a caller's pool is reused.
 * The pool itself runs in test/engine/provider-pool.test.ts.
 */
import { attachesAws, AWS_PROVIDER_ADDRESS, mergeReattach, startProviderPool } from "../scripts/lib/provider-pool";

const pool = { [AWS_PROVIDER_ADDRESS]: { Protocol: "grpc", Addr: { Network: "unix", String: "/tmp/pool/aws.sock" } } };
const standins = { "registry.terraform.io/hashicorp/google": { Protocol: "grpc", Addr: { Network: "unix", String: "/tmp/standin.sock" } } };

describe("mergeReattach", () => {
  it("keeps the pool's aws and adds the stand-ins' providers", () => {
    const merged = mergeReattach({ TF_REATTACH_PROVIDERS: JSON.stringify(pool), OTHER: "x" }, { TF_REATTACH_PROVIDERS: JSON.stringify(standins) });
    expect(JSON.parse(merged.TF_REATTACH_PROVIDERS!)).toEqual({ ...pool, ...standins });
    expect(merged.OTHER).toBe("x");
  });

  it("takes either side alone when only one attaches providers", () => {
    expect(mergeReattach({}, { TF_REATTACH_PROVIDERS: JSON.stringify(standins) }).TF_REATTACH_PROVIDERS).toBe(JSON.stringify(standins));
    expect(mergeReattach({ TF_REATTACH_PROVIDERS: JSON.stringify(pool) }, {}).TF_REATTACH_PROVIDERS).toBe(JSON.stringify(pool));
  });
});

describe("attachesAws", () => {
  it("is true only when the environment already attaches hashicorp/aws", () => {
    expect(attachesAws({ TF_REATTACH_PROVIDERS: JSON.stringify(pool) })).toBe(true);
    expect(attachesAws({ TF_REATTACH_PROVIDERS: JSON.stringify(standins) })).toBe(false);
    expect(attachesAws({})).toBe(false);
    expect(attachesAws({ TF_REATTACH_PROVIDERS: "not json" })).toBe(false);
  });
});

describe("startProviderPool", () => {
  it("starts nothing when PACKAGECLOUD_PROVIDER_POOL=off", async () => {
    await expect(startProviderPool({}, { PACKAGECLOUD_PROVIDER_POOL: "off" })).resolves.toBeUndefined();
  });
});
