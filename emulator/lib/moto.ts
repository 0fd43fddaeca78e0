/**
 * moto_server, the AWS API emulator, on a free loopback port: started, waited for, stopped.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { requireTool } from "../../operator/lib/tools";
import { freePort } from "./ports";

export interface Emulator {
  readonly endpoint: string;
  /** moto's request log, for diagnosing a failed apply. */
  readonly logFile: string;
  /** Forgets everything the emulator holds. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}


async function waitUntilReady(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode} before it was ready:\n${log()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto_server did not answer at ${endpoint} within 30 s:\n${log()}`);
}

export interface EmulatorOptions {
  /**
   * AMI ids the emulator should know (moto otherwise knows only its own sample images), registered as
   * Ubuntu 22.04 HVM images through MOTO_AMIS_PATH.
   */
  readonly amiIds?: readonly string[];
}

function amiFile(amiIds: readonly string[]): string {
  const file = path.join(os.tmpdir(), `moto-amis-${process.pid}.json`);
  const images = amiIds.map((id) => ({
    ami_id: id,
    name: `ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server (${id})`,
    description: "Ubuntu 22.04 LTS, registered for the emulator from the project's configuration",
    owner_id: "099720109477",
    public: true,
    state: "available",
    image_location: "amazon/ubuntu-jammy",
    image_type: "machine",
    platform: "Linux/UNIX",
    architecture: "x86_64",
    root_device_type: "ebs",
    root_device_name: "/dev/sda1",
    virtualization_type: "hvm",
    hypervisor: "xen",
    sriov: "simple",
  }));
  fs.writeFileSync(file, JSON.stringify(images));
  return file;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const binary = requireTool("moto_server");
  // AWS managed policies (AmazonSSMManagedInstanceCore on the VM role) exist in moto only when asked for.
  const env: NodeJS.ProcessEnv = { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" };
  if (options.amiIds && options.amiIds.length > 0) env.MOTO_AMIS_PATH = amiFile(options.amiIds);
  // Another process may take the port between probe and bind; try a few.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    // The log goes to a file, not a pipe: callers block in spawnSync(terraform) while moto logs every
    // request, and a full pipe would stall moto and with it the apply.
    const logFile = path.join(os.tmpdir(), `moto-${process.pid}-${port}.log`);
    const log = fs.openSync(logFile, "w");
    const child = spawn(binary, ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", log, log], env });
    fs.closeSync(log);
    const output = () => fs.readFileSync(logFile, "utf8").slice(-20_000);
    try {
      await waitUntilReady(endpoint, child, output);
    } catch (error) {
      child.kill("SIGKILL");
      if (attempt === 2 || !/Address already in use/.test(output())) throw error;
      continue;
    }
    return {
      endpoint,
      logFile,
      async reset() {
        const response = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
        if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
      },
      stop: () =>
        new Promise<void>((resolve) => {
          const done = () => {
            fs.rmSync(logFile, { force: true });
            resolve();
          };
          if (child.exitCode !== null) return done();
          child.once("exit", done);
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
        }),
    };
  }
  throw new Error("moto_server could not bind a free port");
}
