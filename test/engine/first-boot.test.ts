/**
 * The VM's first boot, exercised for real: the rendered user data passes `cloud-init schema`, its scripts pass
 * shellcheck, and the data-disk script runs against loop devices: a blank device gets xfs, a device that already
 * holds data keeps it, and running it again changes nothing. The connectivity wait runs against a local HTTP
 * server that comes up late (the install proceeds) or never (a bounded, clear failure).
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { ENV_NAMES, loadEnvironments } from "../../config";
import { cloudConfig, dataDiskScript, defaultNetworkWait, installScript, networkWaitScript } from "../../constructs/first-boot";
import { requireTool } from "../../operator/lib/tools";

const envs = loadEnvironments();
const work = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-first-boot-"));

function run(command: string, args: string[], input?: string) {
  const result = spawnSync(command, args, { encoding: "utf8", input });
  if (result.error) throw result.error;
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

function must(command: string, args: string[]): string {
  const result = run(command, args);
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout.trim();
}

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe("rendered user data", () => {
  beforeAll(() => {
    requireTool("cloud-init");
    requireTool("shellcheck");
  });

  it.each(ENV_NAMES)("is valid cloud-config for %s (cloud-init schema)", (name) => {
    const file = path.join(work, `${name}.yaml`);
    fs.writeFileSync(file, cloudConfig({ dataDisk: { volumeId: "vol-0123456789abcdef0", mountPoint: "/var/opt/packagecloud" }, apt: envs[name].vm.packagecloudApt }));
    const result = run("cloud-init", ["schema", "--config-file", file]);
    expect(`${result.stdout}${result.stderr}`).toMatch(/Valid cloud-config/);
    expect(result.code).toBe(0);
  });

  it("embeds scripts that pass shellcheck", () => {
    const scripts = {
      "data-disk.sh": dataDiskScript({ volumeId: "vol-0123456789abcdef0", mountPoint: "/var/opt/packagecloud" }),
      "install.sh": installScript(envs.ops.vm.packagecloudApt),
      "wait-for-network.sh": networkWaitScript(defaultNetworkWait(envs.ops.vm.packagecloudApt)),
    };
    for (const [file, body] of Object.entries(scripts)) fs.writeFileSync(path.join(work, file), body);
    const result = run("shellcheck", ["--severity=style", ...Object.keys(scripts).map((f) => path.join(work, f))]);
    expect(result.stdout).toBe("");
    expect(result.code).toBe(0);
  });
});

describe("data-disk script on a loop device", () => {
  let image: string;
  let device: string;
  let mountPoint: string;
  let fstab: string;
  let script: string;

  beforeAll(() => {
    requireTool("mkfs.xfs");
    requireTool("losetup");
  });

  beforeEach(() => {
    const dir = fs.mkdtempSync(path.join(work, "disk-"));
    image = path.join(dir, "disk.img");
    mountPoint = path.join(dir, "var-opt-packagecloud");
    fstab = path.join(dir, "fstab");
    fs.writeFileSync(fstab, "# static file system information\nLABEL=root / ext4 defaults 0 1\n");
    must("truncate", ["-s", "320M", image]); // xfs needs at least 300 MB
    device = must("losetup", ["--find", "--show", image]);
    script = path.join(dir, "data-disk.sh");
    fs.writeFileSync(script, dataDiskScript({ volumeId: "vol-0123456789abcdef0", mountPoint, fstab, candidates: ["/dev/nonexistent-nvme", device], waitSeconds: 0 }));
  });

  afterEach(() => {
    run("umount", [mountPoint]);
    run("losetup", ["-d", device]);
  });

  const runScript = () => run("bash", [script]);
  const fsType = () => run("blkid", ["-p", "-o", "value", "-s", "TYPE", device]).stdout.trim();
  const fsUuid = () => run("blkid", ["-p", "-o", "value", "-s", "UUID", device]).stdout.trim();
  const mounted = () => run("mountpoint", ["-q", mountPoint]).code === 0;

  it("formats a blank device as xfs, adds one fstab entry by UUID with nofail, and mounts it", () => {
    const first = runScript();
    expect(first.stderr).toMatch(/is blank: creating xfs/);
    expect(first.code).toBe(0);
    expect(fsType()).toBe("xfs");
    expect(mounted()).toBe(true);
    const lines = fs.readFileSync(fstab, "utf8").trim().split("\n");
    expect(lines).toEqual([
      "# static file system information",
      "LABEL=root / ext4 defaults 0 1",
      `UUID=${fsUuid()} ${mountPoint} xfs defaults,noatime,nofail,x-systemd.device-timeout=30s 0 2`,
    ]);
  });

  it("changes nothing when run again, mounted or not, and keeps the data", () => {
    expect(runScript().code).toBe(0);
    const uuid = fsUuid();
    fs.writeFileSync(path.join(mountPoint, "packages.marker"), "keep me");
    const fstabAfterFirst = fs.readFileSync(fstab, "utf8");

    const again = runScript(); // still mounted
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already holds data: not formatting/);
    must("umount", [mountPoint]);
    const afterReboot = runScript(); // as after a reboot that did not mount it
    expect(afterReboot.code).toBe(0);

    expect(fsUuid()).toBe(uuid);
    expect(fs.readFileSync(fstab, "utf8")).toBe(fstabAfterFirst);
    expect(fs.readFileSync(path.join(mountPoint, "packages.marker"), "utf8")).toBe("keep me");
  });

  it("replaces an older fstab entry for the mount point (a volume rebuilt blank) and keeps every other line", () => {
    fs.appendFileSync(fstab, `\nUUID=00000000-1111-2222-3333-444444444444 ${mountPoint} xfs defaults,nofail 0 2\n`);
    expect(runScript().code).toBe(0);
    expect(fs.readFileSync(fstab, "utf8")).toBe(
      "# static file system information\nLABEL=root / ext4 defaults 0 1\n\n" +
        `UUID=${fsUuid()} ${mountPoint} xfs defaults,noatime,nofail,x-systemd.device-timeout=30s 0 2\n`,
    );
  });

  it("never formats a device that already holds another filesystem (e.g. a restored ext4 snapshot)", () => {
    must("mkfs.ext4", ["-q", "-F", device]);
    const uuid = fsUuid();
    const result = runScript();
    expect(result.code).toBe(0);
    expect(fsType()).toBe("ext4");
    expect(fsUuid()).toBe(uuid);
    expect(fs.readFileSync(fstab, "utf8")).toContain(`UUID=${uuid} ${mountPoint} ext4 `);
  });

  it("refuses, changing nothing, when the device holds a partition table but no filesystem", () => {
    run("sfdisk", ["--quiet", device], "label: gpt\n,,L\n");
    const before = fs.readFileSync(fstab, "utf8");
    const result = runScript();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/holds no mountable filesystem/);
    expect(fsType()).toBe("");
    expect(fs.readFileSync(fstab, "utf8")).toBe(before);
  });

  it("fails clearly when the volume never appears", () => {
    fs.writeFileSync(script, dataDiskScript({ volumeId: "vol-0123456789abcdef0", mountPoint, fstab, candidates: ["/dev/nonexistent-nvme"], waitSeconds: 0 }));
    const result = runScript();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no data device among \/dev\/nonexistent-nvme after 0s; is the volume attached\?/);
  });
});

describe("connectivity wait before installing", () => {
  beforeAll(() => requireTool("curl"));

  /** Runs the script without blocking the event loop, so a server in this process can come up meanwhile. */
  function runAsync(file: string): Promise<{ code: number; stderr: string; seconds: number }> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn("bash", [file], { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? 1, stderr, seconds: (Date.now() - started) / 1000 }));
    });
  }

  /** A loopback port nothing listens on yet. */
  async function reservePort(): Promise<number> {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    return port;
  }

  it("waits for a network that arrives late, then lets the install proceed", async () => {
    const port = await reservePort();
    const file = path.join(work, "wait-late.sh");
    fs.writeFileSync(file, networkWaitScript({ urls: [`http://127.0.0.1:${port}/ubuntu/`], timeoutSeconds: 30, intervalSeconds: 1 }));
    const server = http.createServer((_req, res) => res.writeHead(404).end());
    const late = setTimeout(() => server.listen(port, "127.0.0.1"), 3_000);
    try {
      const result = await runAsync(file);
      expect(result.stderr).toMatch(/waiting for http:\/\/127\.0\.0\.1:\d+\/ubuntu\//);
      expect(result.stderr).toMatch(/network ready after \d+s/);
      expect(result.code).toBe(0);
      expect(result.seconds).toBeGreaterThanOrEqual(3);
    } finally {
      clearTimeout(late);
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 60_000);

  it("gives up after its bound when the network never arrives, naming what did not answer", async () => {
    const port = await reservePort();
    const file = path.join(work, "wait-never.sh");
    fs.writeFileSync(file, networkWaitScript({ urls: [`http://127.0.0.1:${port}/never/`], timeoutSeconds: 3, intervalSeconds: 1 }));
    const result = await runAsync(file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`no answer from http://127\\.0\\.0\\.1:${port}/never/ after 3s: check the Elastic IP`));
    expect(result.seconds).toBeLessThan(20);
  }, 60_000);

  it("runs before the install, and a failed wait stops the install (one && chain, not separate runcmd lines)", () => {
    const rendered = cloudConfig({ dataDisk: { volumeId: "vol-0123456789abcdef0", mountPoint: "/var/opt/packagecloud" }, apt: envs.ops.vm.packagecloudApt });
    expect(rendered).not.toMatch(/package_update|^packages:/m);
    expect(rendered).toMatch(/packagecloud-data-disk && \/usr\/local\/sbin\/packagecloud-wait-for-network && \/usr\/local\/sbin\/packagecloud-install/);
  });
});
