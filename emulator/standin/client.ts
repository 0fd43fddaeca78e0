/**
 * Starting the stand-in server (server.ts) as a child process and talking to its side channel. A separate process
 * because the callers run Terraform synchronously (operator/lib/terraform.ts), which would block an in-process
 * server's event loop.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stopThroughStdin } from "../lib/child";
import type { CreateRecord, StoredObject } from "./provider";
import type { StandinProviderConfig, StandinServerConfig } from "./server";
import type { EphemeralOpened, WriteOnlyReceived } from "./write-only";

const ROOT = path.resolve(__dirname, "..", "..");

/** The providers the stand-ins replace: Terraform's registry address and the bindings their schemas come from. */
export const STANDIN_PROVIDERS = {
  google: { address: "registry.terraform.io/hashicorp/google", pkg: "@cdktf/provider-google", prefix: "google_" },
  "google-beta": { address: "registry.terraform.io/hashicorp/google-beta", pkg: "@cdktf/provider-google-beta", prefix: "google_" },
  cloudflare: { address: "registry.terraform.io/cloudflare/cloudflare", pkg: "@cdktf/provider-cloudflare", prefix: "cloudflare_" },
  time: { address: "registry.terraform.io/hashicorp/time", pkg: "@cdktf/provider-time", prefix: "time_" },
  // No bindings: its one type is an ephemeral resource, whose schema random.ts writes from the provider's source.
  random: { address: "registry.terraform.io/hashicorp/random", pkg: undefined, prefix: "random_" },
} as const;

export type StandinName = keyof typeof STANDIN_PROVIDERS;

export interface Standins {
  /** TF_REATTACH_PROVIDERS and nothing else: add to Terraform's environment. */
  readonly env: Record<string, string>;
  readonly url: string;
  creates(): Promise<CreateRecord[]>;
  objects(): Promise<StoredObject[]>;
  seed(object: { provider: StandinName; type: string; id: string; value: Record<string, unknown> }): Promise<void>;
  /** The values ephemeral resources produced, in order (write-only.ts). */
  ephemeralOpened(): Promise<EphemeralOpened[]>;
  /** The values write-only arguments received at apply, in order (write-only.ts). */
  writeOnly(): Promise<WriteOnlyReceived[]>;
  patch(type: string, id: string, set: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The resource and data source (`data.<type>`) types the synthesized stacks under `stackDirs` use, per stand-in:
 * the schema then holds those only (a full schema is megabytes, which Terraform asks for on every command).
 */
export function typesUsed(stackDirs: readonly string[]): Record<StandinName, string[]> {
  const out = Object.fromEntries(Object.keys(STANDIN_PROVIDERS).map((name) => [name, new Set<string>()])) as Record<StandinName, Set<string>>;
  for (const dir of stackDirs) {
    const json = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
    for (const [section, prefix] of [[json.resource ?? {}, ""], [json.data ?? {}, "data."]] as const) {
      for (const [type, blocks] of Object.entries(section as Record<string, Record<string, { provider?: string }>>)) {
        for (const body of Object.values(blocks)) {
          // The provider meta-argument ("google-beta", "google.alias") decides; else the type's prefix does.
          const named = body.provider?.split(".")[0];
          const provider = (named ?? Object.keys(STANDIN_PROVIDERS).find((n) => type.startsWith(STANDIN_PROVIDERS[n as StandinName].prefix))) as StandinName | undefined;
          if (provider && provider in out) out[provider].add(`${prefix}${type}`);
        }
      }
    }
  }
  return Object.fromEntries(Object.entries(out).map(([name, types]) => [name, [...types].sort()])) as Record<StandinName, string[]>;
}

export interface StartOptions {
  /** Types per provider (typesUsed); every type of the bindings when absent. */
  readonly types?: Partial<Record<StandinName, string[]>>;
  /** Schema files instead of the derivation (tests of the protocol itself). */
  readonly schemaFiles?: Partial<Record<StandinName, string>>;
  readonly providers?: readonly StandinName[];
}

export async function startStandins(options: StartOptions = {}): Promise<Standins> {
  const names = options.providers ?? (Object.keys(STANDIN_PROVIDERS) as StandinName[]);
  const config: StandinServerConfig = {
    providers: names.map(
      (name): StandinProviderConfig => ({
        name,
        address: STANDIN_PROVIDERS[name].address,
        pkg: STANDIN_PROVIDERS[name].pkg,
        types: options.types?.[name],
        schemaFile: options.schemaFiles?.[name],
      }),
    ),
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "standin-"));
  const configFile = path.join(dir, "config.json");
  fs.writeFileSync(configFile, JSON.stringify(config));
  const child = spawn(process.execPath, ["-r", "./tooling/register-swc.js", path.join(__dirname, "server.ts"), configFile], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const { reattach, url } = await ready(child);
  return { ...attachStandins({ url, reattach }), stop: () => stopThroughStdin(child, dir) };
}

/**
 * Stand-ins someone else runs (the `STANDIN_READY` line's reattach map and side-channel URL): the same interface,
 * and stop() leaves them running. `npm run local` uses them when PACKAGECLOUD_STANDINS holds that JSON, so a caller
 * (an engine test) keeps the deployed Google and DNS world for what comes after the deploy, as with a kept emulator.
 */
export function attachStandins(given: { readonly url: string; readonly reattach: Record<string, unknown> }): Standins {
  const call = async (method: "GET" | "POST", route: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${given.url}${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    const value: any = await response.json();
    if (!response.ok) throw new Error(`stand-in ${route}: ${value.error}`);
    return value;
  };
  return {
    env: { TF_REATTACH_PROVIDERS: JSON.stringify(given.reattach) },
    url: given.url,
    creates: () => call("GET", "/creates"),
    objects: () => call("GET", "/objects"),
    seed: (object) => call("POST", "/seed", object),
    ephemeralOpened: () => call("GET", "/ephemeral-opened"),
    writeOnly: () => call("GET", "/write-only"),
    patch: (type, id, set) => call("POST", "/patch", { type, id, set }),
    stop: async () => undefined,
  };
}

/** What PACKAGECLOUD_STANDINS carries for {@link attachStandins}. */
export function standinsHandle(standins: Standins): string {
  return JSON.stringify({ url: standins.url, reattach: JSON.parse(standins.env.TF_REATTACH_PROVIDERS) });
}

function ready(child: ChildProcess): Promise<{ reattach: Record<string, unknown>; url: string }> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr!.on("data", (chunk) => (err += chunk));
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const line = out.split("\n").find((l) => l.startsWith("STANDIN_READY "));
      if (line) resolve(JSON.parse(line.slice("STANDIN_READY ".length)));
    });
    child.once("exit", (code) => reject(new Error(`the stand-in server exited (${code}) before it was ready:\n${err}${out}`)));
  });
}
