/**
 * Synthesis helpers for tests: one in-memory synth per call, with validations on (cdktf skips them by default).
 */
import { App, Testing, type TerraformStack } from "cdktf";
import * as os from "node:os";
import * as path from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { loadEnvironments, type EnvName } from "../../config";
import { PackagecloudStack } from "../../stacks/base-stack";
import { LAYERS, type Layer } from "../../config/naming";
import { DnsStack } from "../../stacks/dns-stack";
import { GkeStack } from "../../stacks/gke-stack";
import { StorageStack } from "../../stacks/storage-stack";
import { VmStack } from "../../stacks/vm-stack";
import type { DeployTarget } from "../../stacks/target";

// Every App creates its outdir; share one scratch directory instead of a temp dir per test.
const SCRATCH = path.join(os.tmpdir(), "packagecloud-infra-tests");

export function testApp(): App {
  return new App({ outdir: SCRATCH, skipValidation: false });
}

/** A synthesized stack: the JSON Terraform reads, and accessors for what tests look at. */
export class Synthesized {
  readonly json: any;
  constructor(readonly raw: string) {
    this.json = JSON.parse(raw);
  }
  /** Resources of one type, keyed by Terraform name. */
  resources(type: string): Record<string, any> {
    return this.json.resource?.[type] ?? {};
  }
  /** The one resource of a type whose name matches; fails if there is not exactly one. */
  resource(type: string, name: string): any {
    const found = this.resources(type)[name];
    if (found === undefined) throw new Error(`no ${type}.${name}; have: ${Object.keys(this.resources(type)).join(", ")}`);
    return found;
  }
  /** Parses a JSON policy attribute. */
  static policy(value: string): { Version: string; Statement: any[] } {
    return JSON.parse(value);
  }
}

export function synth(stack: TerraformStack): Synthesized {
  return new Synthesized(Testing.synth(stack, true));
}

export const UNIT_TARGET: DeployTarget = { kind: "aws", remoteState: false };

export function synthStorage(env: EnvName, target: DeployTarget = UNIT_TARGET): { stack: StorageStack; out: Synthesized } {
  const stack = new StorageStack(testApp(), { env: loadEnvironments()[env], target });
  return { stack, out: synth(stack) };
}

const STACKS: Record<Layer, new (app: App, props: { env: any; target: DeployTarget }) => TerraformStack> = {
  storage: StorageStack,
  vm: VmStack,
  gke: GkeStack,
  dns: DnsStack,
};

/** Synthesizes one layer's stack of one environment, validations (and so the policy pack) included. */
export function synthLayer(env: EnvName, layer: Layer, target: DeployTarget = UNIT_TARGET): { stack: TerraformStack; out: Synthesized } {
  const stack = new STACKS[layer](testApp(), { env: loadEnvironments()[env], target });
  return { stack, out: synth(stack) };
}

const shared = new Map<string, Synthesized>();

/** One synth per stack per test file, for tests that only read it. */
export function sharedStack(env: EnvName, layer: Layer): Synthesized {
  const key = `${env}/${layer}`;
  if (!shared.has(key)) shared.set(key, synthLayer(env, layer).out);
  return shared.get(key)!;
}

export function sharedStorage(env: EnvName): Synthesized {
  return sharedStack(env, "storage");
}

/** Every [environment, layer] pair. */
export const ALL_STACKS: Array<[EnvName, Layer]> = (["pre", "ops"] as EnvName[]).flatMap((env) => LAYERS.map((layer) => [env, layer] as [EnvName, Layer]));

/**
 * A bare stack with a primary (us-west-1) and a replica (eu-central-1) provider, for testing one construct in
 * isolation. The policy pack is off here: a lone construct lacks what its stack adds (access-log targets,
 * suppressions); the pack runs on the real stacks and on its own cases.
 */
export function constructStack(): { stack: PackagecloudStack; replicaProvider: AwsProvider } {
  const stack = new PackagecloudStack(testApp(), "test", { enforcePolicy: false });
  new AwsProvider(stack, "aws", { region: "us-west-1" });
  const replicaProvider = new AwsProvider(stack, "aws-replica", { region: "eu-central-1", alias: "replica" });
  return { stack, replicaProvider };
}
