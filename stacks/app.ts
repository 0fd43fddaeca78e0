/**
 * The whole application: every layer's stack for every environment. A table of contents, nothing more.
 */
import type { App } from "cdktf";
import type { EnvName, EnvironmentConfig } from "../config";
import { configErrorFromConstruct } from "../config/construct-fields";
import { applyEmulatorQuirks } from "./emulator-quirks";
import { DnsStack } from "./dns-stack";
import { GkeStack } from "./gke-stack";
import { guardPlaceholders } from "./placeholder-guard";
import { StorageStack } from "./storage-stack";
import { VmStack } from "./vm-stack";
import type { DeployTarget } from "./target";

export interface BuildOptions {
  readonly environments: Record<EnvName, EnvironmentConfig>;
  readonly target: DeployTarget;
}

export function buildApp(app: App, options: BuildOptions): void {
  for (const env of Object.values(options.environments)) {
    try {
      const storage = new StorageStack(app, { env, target: options.target });
      // The VM attaches the storage stack's policies by name: deploy storage first.
      const vm = new VmStack(app, { env, target: options.target });
      vm.addDependency(storage);
      const gke = new GkeStack(app, { env, target: options.target });
      // DNS follows whichever variant the environment runs today.
      const dns = new DnsStack(app, { env, target: options.target });
      dns.addDependency(env.variant === "gke" ? gke : vm);
      // Real targets only: the emulator deploys the stand-ins on purpose.
      if (options.target.kind === "aws") for (const stack of [storage, vm, gke, dns]) guardPlaceholders(stack, env);
    } catch (error) {
      // A construct's own check, restated as the config field that fed it (config/construct-fields.ts).
      throw configErrorFromConstruct(env, error) ?? error;
    }
  }
  if (options.target.kind === "emulator") applyEmulatorQuirks(app);
}
