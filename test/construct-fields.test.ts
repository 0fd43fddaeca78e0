/**
 * A construct's own check reaches the operator as a ConfigError naming the environment and the config field that
 * fed it (config/construct-fields.ts), even when the loader is bypassed (a test, a script, a later refactor).
 */
import { testApp } from "./support/synth";
import { ConfigError, loadEnvironments, type EnvironmentConfig } from "../config";
import { CONSTRUCT_FIELDS, POLICY_FIELDS } from "../config/construct-fields";
import { RULES } from "../policy";
import { buildApp } from "../stacks/app";

function buildWith(change: (ops: any) => void, synth = false): unknown {
  const environments = loadEnvironments();
  const ops = structuredClone(environments.ops) as EnvironmentConfig;
  change(ops);
  try {
    const app = testApp();
    buildApp(app, { environments: { ...environments, ops }, target: { kind: "aws", remoteState: false } });
    if (synth) app.synth();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("construct checks name the config field", () => {
  it("fails if an admin range is the whole internet, naming network.adminCidrs", () => {
    const error = buildWith((ops) => (ops.network.adminCidrs = ["0.0.0.0/0"]));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/environment "ops"[\s\S]*network\.adminCidrs: PackagecloudVm packagecloud-ops-vm\/\w+: adminCidrs entry "0\.0\.0\.0\/0" opens SSH to the whole internet/);
  });

  it("fails if a paging variable is listed twice, naming the list instead of a construct id", () => {
    const pager = { variable: "pager", receiver: "pagerduty" as const };
    const error = buildWith((ops) => (ops.monitoring.notifications.httpsEndpoints = [pager, pager]));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/monitoring\.notifications\.httpsEndpoints: lists "pager" twice; list each entry once/);
  });

  it("fails if replication stays in one region, naming aws.replicaRegion", () => {
    const error = buildWith((ops) => (ops.aws.replicaRegion = ops.aws.region));
    expect((error as Error).message).toMatch(/aws\.replicaRegion: ReplicatedBucket .*replicaRegion must differ/);
  });

  it("names a field for every row, each a path of the configuration", () => {
    for (const row of CONSTRUCT_FIELDS) expect(row.field).toMatch(/^[a-z]/);
  });

  it("turns a policy violation a config value causes into a ConfigError naming the field, never cdktf's advice to skip validation", () => {
    // The loader refuses an unproxied record first; bypassing it shows the backstop.
    const error = buildWith((ops) => ((ops.dns.proxied = false), (ops.dns.ttl = 300)), true);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid configuration for environment "ops":\n  - dns\.proxied or dns\.ttl: the stacks built from it break the policy pack \(stack packagecloud-ops-dns\): \[PC_DNS_RECORDS\] cloudflare_dns_record\.record: is not proxied/);
    expect(message).not.toMatch(/skipValidation/);
  });

  it("holds a stack to the configuration it was built from, not the repository's", () => {
    expect(buildWith((ops) => (ops.storage.offsiteBackups.objectLock.days = 31), true)).toBeUndefined();
  });

  it("maps only rules that exist", () => {
    const ids = new Set(RULES.map((r) => r.id));
    for (const rule of Object.keys(POLICY_FIELDS)) expect(ids.has(rule) ? rule : `${rule} (no such rule)`).toBe(rule);
  });
});
