/**
 * Entry point for `cdktf synth` / `cdktf diff <stack>` / `cdktf deploy <stack>`.
 *
 * The only place that reads the process environment:
 *   PACKAGECLOUD_TARGET            aws (default) | emulator
 *   PACKAGECLOUD_EMULATOR_ENDPOINT moto_server URL, required for the emulator target
 *   PACKAGECLOUD_STATE_DIR         local state for the emulator target (default .local/state)
 *   CDKTF_OUTDIR                   set by the cdktf CLI (default cdktf.out)
 */
import * as path from "node:path";
import { ConfigError, loadEnvironments } from "./config";
import { kubernetesFiles } from "./backup/manifests";
import { monitoringFiles } from "./monitoring/from-config";
import { buildApp } from "./stacks/app";
import { StackValidationError } from "./stacks/base-stack";
import { synthesizeAtomically } from "./stacks/synthesize";
import type { DeployTarget } from "./stacks/target";

function targetFromEnvironment(vars: NodeJS.ProcessEnv): DeployTarget {
  const kind = vars.PACKAGECLOUD_TARGET ?? "aws";
  if (kind === "aws") return { kind: "aws", remoteState: true };
  if (kind === "emulator") {
    const endpoint = vars.PACKAGECLOUD_EMULATOR_ENDPOINT;
    if (!endpoint || !/^https?:\/\/[^/]+\/?$/.test(endpoint)) {
      throw new ConfigError("(process)", [
        `PACKAGECLOUD_EMULATOR_ENDPOINT = ${JSON.stringify(endpoint ?? null)}: the emulator target needs the moto_server URL, e.g. http://127.0.0.1:5000`,
      ]);
    }
    return { kind: "emulator", endpoint, stateDir: path.resolve(vars.PACKAGECLOUD_STATE_DIR ?? ".local/state") };
  }
  throw new ConfigError("(process)", [`PACKAGECLOUD_TARGET = ${JSON.stringify(kind)}: must be one of aws, emulator`]);
}

try {
  const target = targetFromEnvironment(process.env);
  const environments = loadEnvironments();
  synthesizeAtomically(process.env.CDKTF_OUTDIR ?? "cdktf.out", (app) => {
    buildApp(app, { environments, target });
    // kubernetesFiles includes the grants Job's run-once file (backup/manifests.ts).
    return { ...monitoringFiles(Object.values(environments)), ...kubernetesFiles(Object.values(environments)) };
  });
} catch (error) {
  // Both name what to fix; a stack trace would add nothing an operator can act on.
  if (error instanceof ConfigError || error instanceof StackValidationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
