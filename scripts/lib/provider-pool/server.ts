/**
 * A pool of running hashicorp/aws provider processes that Terraform attaches to (TF_REATTACH_PROVIDERS), so the
 * tests and local runs stop paying a provider start for every provider instance of every command.
 *
 * What Terraform does without it: each command starts the 700 MB provider binary once for its schema and once per
 * provider configuration per graph walk (a plan of a stack with a replica-region alias: five processes), and each
 * start loads the provider's whole schema again. Here, Terraform connects to one unix socket; every connection it
 * opens (one provider instance) is handed, byte for byte, to a provider process of its own that serves nothing
 * else until the connection closes, and the process then waits for the next connection. Terraform's next
 * ConfigureProvider call on that process replaces the configuration, exactly as provider developers' debug mode
 * (`-debug`, the same reattach mechanism) relies on. The binary, the protocol and every request are the real
 * ones; only process start-up is shared. docs/emulator.md says what this changes and what it does not.
 *
 * Usage (scripts/lib/provider-pool/index.ts starts it): `server.ts <config.json>`; prints one line
 * `{"reattach": {...}, "dir": "..."}` when listening; exits, stopping every provider process, when its stdin
 * closes or on SIGTERM.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

export interface PoolServerConfig {
  /** The provider binary (terraform-provider-aws_v5.100.0_x5 from the mirror). */
  readonly binary: string;
  /** Terraform's provider address for it. */
  readonly address: string;
  /** A private directory for the socket and the statistics. */
  readonly dir: string;
  /** Idle processes kept for reuse; more are stopped when released. */
  readonly maxIdle: number;
  /** Processes started before the first connection. */
  readonly prewarm: number;
  /** GOGC for the provider processes (long-lived: see scripts/lib/terraform.ts TERRAFORM_GOGC). */
  readonly gogc: string;
}

/** go-plugin's handshake for Terraform providers (hashicorp/terraform-plugin-go tf5server). */
const MAGIC_COOKIE = { TF_PLUGIN_MAGIC_COOKIE: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2" };
const PROTOCOL_VERSION = 5;

interface Provider {
  readonly child: ChildProcess;
  /** The provider's own unix socket, from its handshake line. */
  readonly socket: string;
  /** The end of its stderr, for the message when it dies. */
  stderrTail: string;
  /** Stopped by the pool (more idle processes than it keeps): its exit is no crash. */
  retired?: boolean;
}

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as PoolServerConfig;
const idle: Provider[] = [];
const all = new Set<Provider>();
const stats = { started: 0, leases: 0, active: 0, peak: 0, crashed: 0 };
let stopping = false;

function log(line: string): void {
  process.stderr.write(`provider-pool: ${line}\n`);
}

function writeStats(): void {
  const idlePids = idle.map((provider) => provider.child.pid);
  fs.writeFileSync(path.join(config.dir, "stats.json.tmp"), JSON.stringify({ ...stats, idlePids }));
  fs.renameSync(path.join(config.dir, "stats.json.tmp"), path.join(config.dir, "stats.json"));
}

/** The provider's environment: the pool's, with go-plugin's handshake, Go's collector setting, and no CA bundle. */
function providerEnv(): NodeJS.ProcessEnv {
  // aws-sdk-go-base applies AWS_CA_BUNDLE to its HTTP client once; a second ConfigureProvider in the same
  // process fails with "unable to add custom RootCAs HTTPClient, has no WithTransportOptions, *http.Client".
  // The emulator is plain HTTP and the real clouds are never reached through the pool.
  const { AWS_CA_BUNDLE: _dropped, ...env } = process.env;
  return { ...env, ...MAGIC_COOKIE, PLUGIN_PROTOCOL_VERSIONS: String(PROTOCOL_VERSION), GOGC: config.gogc };
}

function launch(): Promise<Provider> {
  stats.started += 1;
  const child = spawn(config.binary, [], { env: providerEnv(), stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderrTail = "";
    let provider: Provider | undefined;
    child.stderr!.on("data", (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString("utf8")).slice(-8192);
      if (provider) provider.stderrTail = stderrTail;
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      if (provider) return; // go-plugin writes nothing after the handshake; the provider's own output goes to stderr
      stdout += chunk.toString("utf8");
      const newline = stdout.indexOf("\n");
      if (newline < 0) return;
      // CORE-PROTOCOL-VERSION|APP-PROTOCOL-VERSION|NETWORK-TYPE|NETWORK-ADDR|PROTOCOL[|SERVER-CERT]
      const [core, app, network, address, protocol] = stdout.slice(0, newline).trim().split("|");
      if (core !== "1" || app !== String(PROTOCOL_VERSION) || network !== "unix" || protocol !== "grpc") {
        child.kill("SIGKILL");
        reject(new Error(`${config.binary}: unexpected go-plugin handshake ${JSON.stringify(stdout.slice(0, newline))}`));
        return;
      }
      provider = { child, socket: address, stderrTail };
      all.add(provider);
      resolve(provider);
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (provider) {
        all.delete(provider);
        const at = idle.indexOf(provider);
        if (at >= 0) idle.splice(at, 1);
        if (!stopping && !provider.retired) {
          stats.crashed += 1;
          log(`provider process ${child.pid} exited (${signal ?? code}):\n${provider.stderrTail.slice(-4000)}`);
        }
      } else {
        reject(new Error(`${config.binary} exited (${signal ?? code}) before its handshake:\n${stderrTail.slice(-4000)}`));
      }
    });
  });
}

async function lease(): Promise<Provider> {
  for (let provider = idle.pop(); provider; provider = idle.pop()) {
    if (provider.child.exitCode === null && provider.child.signalCode === null) return provider;
  }
  return launch();
}

function release(provider: Provider): void {
  const alive = provider.child.exitCode === null && provider.child.signalCode === null;
  if (!alive || stopping) return;
  if (idle.length < config.maxIdle) idle.push(provider);
  else {
    provider.retired = true;
    provider.child.kill("SIGTERM");
  }
  writeStats();
}

const socketPath = path.join(config.dir, "aws.sock");
const server = net.createServer((downstream) => {
  downstream.pause();
  stats.leases += 1;
  stats.active += 1;
  stats.peak = Math.max(stats.peak, stats.active);
  let provider: Provider | undefined;
  let upstream: net.Socket | undefined;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    stats.active -= 1;
    downstream.destroy();
    upstream?.destroy();
    // The provider is handed on only after its side of the connection is gone.
    if (provider) {
      const done = provider;
      if (upstream && !upstream.destroyed) upstream.once("close", () => release(done));
      else setImmediate(() => release(done));
    }
    writeStats();
  };
  downstream.on("error", close);
  downstream.on("close", close);
  lease().then(
    (leased) => {
      provider = leased;
      if (closed) return release(leased);
      upstream = net.connect(leased.socket);
      upstream.on("error", close);
      upstream.on("close", close);
      downstream.pipe(upstream);
      upstream.pipe(downstream);
      downstream.resume();
    },
    (error: Error) => {
      log(error.message);
      close();
    },
  );
});

function stop(): void {
  if (stopping) return;
  stopping = true;
  server.close();
  for (const provider of all) provider.child.kill("SIGTERM");
  writeStats();
  setTimeout(() => {
    for (const provider of all) provider.child.kill("SIGKILL");
    process.exit(0);
  }, 2000).unref();
  if (all.size === 0) process.exit(0);
  let left = all.size;
  for (const provider of all) {
    provider.child.once("exit", () => {
      left -= 1;
      if (left === 0) process.exit(0);
    });
  }
}

process.stdin.on("end", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

server.listen(socketPath, () => {
  writeStats();
  const reattach = {
    [config.address]: { Protocol: "grpc", ProtocolVersion: PROTOCOL_VERSION, Pid: process.pid, Test: true, Addr: { Network: "unix", String: socketPath } },
  };
  process.stdout.write(`${JSON.stringify({ reattach, dir: config.dir })}\n`);
  for (let i = 0; i < config.prewarm; i += 1) launch().then(release, (error: Error) => log(error.message));
});
