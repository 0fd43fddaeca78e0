/**
 * A construct's own check reaches the operator as a ConfigError naming the environment and the config field that
 * fed it (config/construct-fields.ts), even when the loader is bypassed (a test, a script, a later refactor).
 */
import { testApp } from "./support/synth";
import { ConfigError, loadEnvironments, type EnvironmentConfig } from "../config";
import { CONSTRUCT_FIELDS } from "../config/construct-fields";
import { buildApp } from "../stacks/app";

function buildWith(change: (ops: any) => void): unknown {
  const environments = loadEnvironments();
  const ops = structuredClone(environments.ops) as EnvironmentConfig;
  change(ops);
  try {
    buildApp(testApp(), { environments: { ...environments, ops }, target: { kind: "aws", remoteState: false } });
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
});
