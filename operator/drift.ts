/**
 * `npm run drift -- <env> [--report-dir <dir>]`: plans every deployed stack of the environment, never applies,
 * and writes drift-report.json (for machines) and drift-report.md (for people) into the report directory
 * (default drift-report/<env>). The Markdown report is also printed.
 *
 * Target, as for `cdktf synth` (main.ts): real AWS, Google and Cloudflare with the environment's remote state by
 * default; PACKAGECLOUD_TARGET=emulator plans the AWS stacks deployed into moto_server at
 * PACKAGECLOUD_EMULATOR_ENDPOINT with the local state in PACKAGECLOUD_STATE_DIR (default .local/emulator/state,
 * where `npm run local` keeps it), and the Google and DNS stacks too when TF_REATTACH_PROVIDERS attaches their
 * providers (the emulated world's stand-ins).
 *
 * Exit codes: 0 clean; 2 drift (some stack differs from its recorded state or from the code); 3 some stack could
 * not be planned (its drift is unknown); 1 usage or synth error.
 */
import * as path from "node:path";
import { ENV_NAMES, type EnvName } from "../config";
import { DRIFT_EXIT, exitCode, renderMarkdown, runDriftCheck, writeReports, type DriftTarget } from "./lib/drift";
import { PROJECT_ROOT } from "./lib/terraform";

function targetFromEnvironment(vars: NodeJS.ProcessEnv): DriftTarget {
  const kind = vars.PACKAGECLOUD_TARGET ?? "aws";
  if (kind === "aws") return { kind };
  if (kind !== "emulator") throw new Error(`PACKAGECLOUD_TARGET = ${JSON.stringify(kind)}: must be one of aws, emulator`);
  const endpoint = vars.PACKAGECLOUD_EMULATOR_ENDPOINT;
  if (!endpoint) throw new Error("PACKAGECLOUD_TARGET=emulator needs PACKAGECLOUD_EMULATOR_ENDPOINT, the moto_server URL (e.g. http://127.0.0.1:5000)");
  return {
    kind,
    endpoint,
    stateDir: path.resolve(vars.PACKAGECLOUD_STATE_DIR ?? path.join(PROJECT_ROOT, ".local", "emulator", "state")),
    reattachedProviders: Boolean(vars.TF_REATTACH_PROVIDERS),
  };
}

async function main(argv: string[]): Promise<number> {
  const usage = `usage: npm run drift -- <${ENV_NAMES.join("|")}> [--report-dir <dir>]`;
  const env = argv[0] as EnvName;
  if (!ENV_NAMES.includes(env)) throw new Error(`unknown environment ${JSON.stringify(argv[0] ?? null)}. ${usage}`);
  let reportDir = path.join(PROJECT_ROOT, "drift-report", env);
  for (let i = 1; i < argv.length; i += 1) {
    if (argv[i] === "--report-dir" && argv[i + 1]) reportDir = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}. ${usage}`);
  }
  const report = await runDriftCheck({ environment: env, target: targetFromEnvironment(process.env), log: (line) => console.error(line) });
  const files = writeReports(report, reportDir);
  console.log(renderMarkdown(report));
  console.error(`reports: ${path.relative(process.cwd(), files.json)}, ${path.relative(process.cwd(), files.markdown)}`);
  return exitCode(report);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = DRIFT_EXIT.usage;
  },
);
