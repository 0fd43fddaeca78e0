/**
 * Starting and stopping the AWS provider pool (server.ts: why it exists and how it works), and the environment
 * Terraform needs to use it.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stopThroughStdin } from "../child";
import { AWS_PROVIDER_VERSION, providerMirror } from "../terraform-config";
import type { PoolServerConfig } from "./server";

export const AWS_PROVIDER_ADDRESS = "registry.terraform.io/hashicorp/aws";
/** Set to `off` to run every provider as Terraform launches it. */
export const POOL_SWITCH = "PACKAGECLOUD_PROVIDER_POOL";

export interface PoolStats {
  /** Provider processes started. */
  readonly started: number;
  /** Connections served: provider instances Terraform used. */
  readonly leases: number;
  readonly active: number;
  /** The most connections open at once. */
  readonly peak: number;
  /** Processes that exited while the pool ran (each one's last output is in the pool's log). */
  readonly crashed: number;
  /** The processes waiting for a connection. */
  readonly idlePids: readonly number[];
}

export interface ProviderPool {
  /** TF_REATTACH_PROVIDERS: add to Terraform's environment (mergeReattach when other providers attach too). */
  readonly env: { TF_REATTACH_PROVIDERS: string };
  readonly logFile: string;
  stats(): PoolStats;
  stop(): Promise<void>;
}

/** The provider binary in the local mirror, where there is one (the pool needs the binary, not a registry). */
export function awsProviderBinary(vars: NodeJS.ProcessEnv = process.env): string | undefined {
  const mirror = providerMirror(vars);
  if (!mirror) return undefined;
  const dir = path.join(mirror, "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION, `${os.platform()}_${os.arch() === "x64" ? "amd64" : os.arch()}`);
  const binary = fs.existsSync(dir) ? fs.readdirSync(dir).find((name) => name.startsWith("terraform-provider-aws")) : undefined;
  return binary ? path.join(dir, binary) : undefined;
}

/** Whether Terraform in this environment already attaches to a running aws provider. */
export function attachesAws(vars: NodeJS.ProcessEnv = process.env): boolean {
  try {
    return AWS_PROVIDER_ADDRESS in JSON.parse(vars.TF_REATTACH_PROVIDERS || "{}");
  } catch {
    return false;
  }
}

/** TF_REATTACH_PROVIDERS holding the providers of both (the stand-ins' and the pool's). */
export function mergeReattach(base: NodeJS.ProcessEnv, extra: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv {
  const merged = { ...base, ...extra };
  if (base.TF_REATTACH_PROVIDERS && extra.TF_REATTACH_PROVIDERS) {
    merged.TF_REATTACH_PROVIDERS = JSON.stringify({ ...JSON.parse(base.TF_REATTACH_PROVIDERS), ...JSON.parse(extra.TF_REATTACH_PROVIDERS) });
  }
  return merged;
}

export interface PoolOptions {
  readonly binary?: string;
  /** @default 8 */
  readonly maxIdle?: number;
  /** @default 0 */
  readonly prewarm?: number;
  /** @default "400": the processes live long, and a larger heap between collections halves their GC work. */
  readonly gogc?: string;
}

/**
 * Starts a pool, or returns undefined where it cannot or should not run: PACKAGECLOUD_PROVIDER_POOL=off, or no
 * local mirror holding the provider binary (Terraform then downloads and launches providers itself).
 */
export async function startProviderPool(options: PoolOptions = {}, vars: NodeJS.ProcessEnv = process.env): Promise<ProviderPool | undefined> {
  if (vars[POOL_SWITCH] === "off") return undefined;
  const binary = options.binary ?? awsProviderBinary(vars);
  if (!binary) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "provider-pool-"));
  const config: PoolServerConfig = {
    binary,
    address: AWS_PROVIDER_ADDRESS,
    dir,
    maxIdle: options.maxIdle ?? 8,
    prewarm: options.prewarm ?? 0,
    gogc: options.gogc ?? "400",
  };
  const configFile = path.join(dir, "config.json");
  fs.writeFileSync(configFile, JSON.stringify(config));
  const logFile = path.join(dir, "pool.log");
  const log = fs.openSync(logFile, "w");
  const child = spawn(process.execPath, ["-r", path.join(__dirname, "..", "..", "register-swc.js"), path.join(__dirname, "server.ts"), configFile], {
    // Its stdin is the lifeline: when this process ends, stdin closes and the pool stops its providers.
    stdio: ["pipe", "pipe", log],
  });
  fs.closeSync(log);
  const ready = await new Promise<{ reattach: unknown }>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const newline = out.indexOf("\n");
      if (newline >= 0) resolve(JSON.parse(out.slice(0, newline)));
    });
    child.on("exit", (code) => reject(new Error(`the provider pool exited (${code}) before it was ready:\n${fs.readFileSync(logFile, "utf8").slice(-4000)}`)));
  });
  // The pool must not keep a test runner or a script alive on its own.
  child.unref();
  (child.stdout as unknown as { unref(): void }).unref();
  (child.stdin as unknown as { unref(): void }).unref();
  return {
    env: { TF_REATTACH_PROVIDERS: JSON.stringify(ready.reattach) },
    logFile,
    stats: () => JSON.parse(fs.readFileSync(path.join(dir, "stats.json"), "utf8")) as PoolStats,
    stop: () => stopThroughStdin(child, dir),
  };
}
