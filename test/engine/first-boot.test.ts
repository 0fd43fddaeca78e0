/**
 * The VM's first boot and its configuration, exercised for real: the rendered user data (the bootstrap) passes
 * `cloud-init schema`, its scripts and the bundle's pass shellcheck, and the data-disk script runs against loop
 * devices: a blank device gets xfs, a device that already holds data keeps it, a restored copy (same filesystem
 * UUID) mounts with the same fstab entry, a grown device grows its xfs online, and running it again changes
 * nothing. The connectivity wait runs against a local HTTP server that comes up late (the install proceeds) or
 * never (a bounded, clear failure). packagecloud's pinned install runs with real apt and dpkg against a signed
 * local repository holding two versions. The configuration agent replaces itself from a bundle.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { ENV_NAMES, loadEnvironments } from "../../config";
import { dataDiskScript, defaultNetworkWait, installScript, networkWaitScript, type AptRepository } from "../../constructs/first-boot";
import { bootstrapCloudConfig, bootstrapScript, bundleJson, SYNC_AGENT_PATH, SYNC_AGENT_SOURCE, syncAgent, VM_CONFIG_KEY, vmConfigBundle } from "../../constructs/vm-config";
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

  it.each(ENV_NAMES)("the bootstrap in %s's user data is valid cloud-config (cloud-init schema)", (name) => {
    const file = path.join(work, `${name}-bootstrap.yaml`);
    fs.writeFileSync(file, bootstrapCloudConfig({ bucket: `packagecloud-${name}-vm-config-${envs[name].aws.accountId}`, key: VM_CONFIG_KEY, region: envs[name].aws.region }));
    const result = run("cloud-init", ["schema", "--config-file", file]);
    expect(`${result.stdout}${result.stderr}`).toMatch(/Valid cloud-config/);
    expect(result.code).toBe(0);
  });

  it("embeds scripts that pass shellcheck", () => {
    const scripts = {
      "bootstrap.sh": bootstrapScript({ bucket: "packagecloud-ops-vm-config-111122223333", key: VM_CONFIG_KEY, region: "us-west-1" }),
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
    requireTool("xfs_growfs");
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
  const dfBytes = () => Number(must("df", ["--output=size", "-B1", mountPoint]).split("\n").pop());
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

  it("mounts a restored copy of the disk (a snapshot keeps its filesystem's UUID) with the same fstab entry, data intact", () => {
    // A restore (docs/disaster-recovery.md §3.4) attaches a new volume made from a snapshot of the old one: a block-
    // for-block copy, so the same xfs UUID. Modelled here by copying the image to a new loop device.
    expect(runScript().code).toBe(0);
    fs.writeFileSync(path.join(mountPoint, "packages.marker"), "restored");
    const uuid = fsUuid();
    const fstabBefore = fs.readFileSync(fstab, "utf8");
    must("umount", [mountPoint]); // the restore stops the instance: the old disk is unmounted, then detached
    must("losetup", ["-d", device]);
    const restored = path.join(path.dirname(image), "restored.img");
    must("cp", ["--sparse=always", image, restored]);
    device = must("losetup", ["--find", "--show", restored]);
    fs.writeFileSync(script, dataDiskScript({ volumeId: "vol-0fedcba9876543210", mountPoint, fstab, candidates: ["/dev/nonexistent-nvme", device], waitSeconds: 0 }));

    const result = runScript();
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/already holds data: not formatting/);
    expect(fsUuid()).toBe(uuid);
    expect(fs.readFileSync(fstab, "utf8")).toBe(fstabBefore);
    expect(mounted()).toBe(true);
    expect(must("findmnt", ["-n", "-o", "SOURCE", mountPoint])).toBe(device);
    expect(fs.readFileSync(path.join(mountPoint, "packages.marker"), "utf8")).toBe("restored");
  });

  it("grows the xfs online when the volume grows, keeping the data; run again, it leaves it alone", () => {
    expect(runScript().code).toBe(0);
    fs.writeFileSync(path.join(mountPoint, "packages.marker"), "keep me");
    const before = dfBytes();
    // What ModifyVolume does to a running instance's disk: the device grows under the mounted filesystem.
    must("truncate", ["-s", "640M", image]);
    must("losetup", ["-c", device]);
    expect(dfBytes()).toBe(before); // the device grew, the filesystem did not

    const grown = runScript();
    expect(grown.code).toBe(0);
    expect(grown.stderr).toMatch(/growing it online \(xfs_growfs /);
    const after = dfBytes();
    expect(after).toBeGreaterThan(before + 300 * 1024 * 1024);
    expect(mounted()).toBe(true);
    expect(fs.readFileSync(path.join(mountPoint, "packages.marker"), "utf8")).toBe("keep me");

    const again = runScript();
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/growing/);
    expect(dfBytes()).toBe(after);
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

  it("runs before the install, and a failed wait stops the install (one && chain in the bundle's packagecloud step)", () => {
    const bundle = vmConfigBundle({
      location: { bucket: "b", key: VM_CONFIG_KEY, region: "us-west-1" },
      dataDisk: { volumeId: "vol-0123456789abcdef0", mountPoint: "/var/opt/packagecloud" },
      apt: envs.ops.vm.packagecloudApt,
      networkWait: defaultNetworkWait(envs.ops.vm.packagecloudApt),
    });
    const step = bundle.commands.find((c) => c.id === "packagecloud")!;
    expect(step.run.join(" ")).toMatch(/\/usr\/local\/sbin\/packagecloud-wait-for-network && \/usr\/local\/sbin\/packagecloud-install/);
    // The data disk first: packagecloud writes everything under /var/opt/packagecloud.
    expect(bundle.commands.findIndex((c) => c.id === "data-disk")).toBeLessThan(bundle.commands.indexOf(step));
  });
});

/**
 * A throwaway root: this machine's root filesystem under an overlay whose writes go to `dir` (the host's files are
 * never touched), with /proc and /dev, and the given host directories bound inside. Returns a runner for shell
 * commands in it (chroot, as root, in a private mount namespace); state carries from one command to the next.
 */
function throwawayRoot(dir: string, binds: Record<string, string>): (command: string) => { code: number; stdout: string; stderr: string } {
  requireTool("unshare");
  const overlay = { upper: path.join(dir, "upper"), work: path.join(dir, "overlay-work"), merged: path.join(dir, "merged") };
  for (const d of Object.values(overlay)) fs.mkdirSync(d, { recursive: true, mode: 0o755 });
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return (command) => {
    const setup = [
      "set -e",
      `mount -t overlay overlay -o lowerdir=/,upperdir=${q(overlay.upper)},workdir=${q(overlay.work)} ${q(overlay.merged)}`,
      `mount --bind /proc ${q(overlay.merged)}/proc`,
      `mount --bind /dev ${q(overlay.merged)}/dev`,
      ...Object.entries(binds).flatMap(([inside, host]) => [`mkdir -p ${q(overlay.merged + inside)}`, `mount --bind ${q(host)} ${q(overlay.merged + inside)}`]),
      `exec chroot ${q(overlay.merged)} /usr/bin/env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/bash -c ${q(command)}`,
    ].join("\n");
    return run("unshare", ["--mount", "--propagation", "private", "sh", "-c", setup]);
  };
}

/**
 * packagecloud's install as the VM runs it (the bundle's packagecloud-install), with real apt and dpkg: this
 * machine's own Debian userland in a throwaway overlay of its root filesystem (a private mount namespace; the
 * host's packages and files are never touched), against a signed file:// repository holding two stand-in
 * packagecloud packages, 2.0.4 and 2.0.5, each shipping a packagecloud-ctl that logs what it is asked. A model of
 * the VM: Debian bookworm's apt 2.6 stands in for Ubuntu jammy's 2.4 (the same hold and version semantics), and
 * the repository is not packagecloud's. The cases run in order on one overlay: each starts where the last ended.
 */
describe("packagecloud's pinned install, with real apt and dpkg", () => {
  const root = path.join(work, "apt");
  const repo = path.join(root, "repo");
  const inside = "/srv/packagecloud-test-repo";
  const apt = (version: string): AptRepository => ({ url: `file://${inside}/`, distribution: "jammy", component: "main", signingKeyUrl: `file://${inside}/key.asc`, version });

  const inOverlay = throwawayRoot(root, { [inside]: repo });

  // dpkg's own Status: "hold ok installed" is installed and held (dpkg-query(1), "Status").
  const installed = () => inOverlay("dpkg-query -W -f='${Status} ${Version}' packagecloud").stdout;
  const held = () => inOverlay("apt-mark showhold").stdout.split("\n").filter(Boolean);
  const ctlLog = () => inOverlay("cat /var/log/packagecloud-ctl.log 2>/dev/null || true").stdout.split("\n").filter(Boolean);
  function install(version: string) {
    const file = path.join(repo, `install-${version}.sh`);
    fs.writeFileSync(file, installScript(apt(version)));
    return inOverlay(`bash ${inside}/install-${version}.sh`);
  }

  beforeAll(() => {
    for (const tool of ["dpkg-deb", "gpg"] as const) requireTool(tool);
    fs.mkdirSync(repo, { recursive: true, mode: 0o755 });
    fs.chmodSync(root, 0o755);
    fs.chmodSync(repo, 0o755); // apt reads file:// sources as its sandbox user _apt
    const arch = must("dpkg", ["--print-architecture"]);
    const pool = path.join(repo, "pool");
    fs.mkdirSync(pool, { mode: 0o755 });
    const entries: string[] = [];
    for (const version of ["2.0.4", "2.0.5"]) {
      const tree = path.join(root, `pkg-${version}`);
      fs.mkdirSync(path.join(tree, "DEBIAN"), { recursive: true });
      fs.mkdirSync(path.join(tree, "usr", "bin"), { recursive: true });
      fs.writeFileSync(
        path.join(tree, "DEBIAN", "control"),
        `Package: packagecloud\nVersion: ${version}\nArchitecture: all\nMaintainer: packagecloud-infra tests <tests@example.invalid>\nDescription: stand-in for packagecloud:enterprise ${version} (tests only)\n`,
      );
      fs.writeFileSync(path.join(tree, "usr", "bin", "packagecloud-ctl"), `#!/bin/sh\necho "$* ${version}" >> /var/log/packagecloud-ctl.log\n`, { mode: 0o755 });
      const deb = path.join(pool, `packagecloud_${version}_all.deb`);
      must("dpkg-deb", ["--root-owner-group", "--build", tree, deb]);
      const body = fs.readFileSync(deb);
      const sha256 = must("sha256sum", [deb]).split(" ")[0];
      entries.push(`${must("dpkg-deb", ["-f", deb])}\nFilename: pool/packagecloud_${version}_all.deb\nSize: ${body.length}\nSHA256: ${sha256}\n`);
    }
    const packagesDir = path.join(repo, "dists", "jammy", "main", `binary-${arch}`);
    fs.mkdirSync(packagesDir, { recursive: true, mode: 0o755 });
    const packages = `${entries.join("\n")}`;
    fs.writeFileSync(path.join(packagesDir, "Packages"), packages);
    const sha = must("sha256sum", [path.join(packagesDir, "Packages")]).split(" ")[0];
    fs.writeFileSync(
      path.join(repo, "dists", "jammy", "Release"),
      `Origin: packagecloud-infra-tests\nLabel: packagecloud-infra-tests\nSuite: jammy\nCodename: jammy\nDate: ${new Date().toUTCString()}\n` +
        `Architectures: ${arch} all\nComponents: main\nSHA256:\n ${sha} ${Buffer.byteLength(packages)} main/binary-${arch}/Packages\n`,
    );
    const gnupg = fs.mkdtempSync(path.join(work, "gnupg-"));
    const gpg = (...args: string[]) => must("gpg", ["--homedir", gnupg, "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", "", ...args]);
    gpg("--quick-gen-key", "packagecloud-infra tests <tests@example.invalid>", "ed25519", "sign", "never");
    fs.writeFileSync(path.join(repo, "key.asc"), gpg("--armor", "--export"));
    gpg("--clearsign", "--output", path.join(repo, "dists", "jammy", "InRelease"), path.join(repo, "dists", "jammy", "Release"));
    // Only the test repository: the host's own sources are hidden in the overlay (nothing is fetched from Debian).
    const cleared = inOverlay("rm -f /etc/apt/sources.list /etc/apt/sources.list.d/* && mkdir -p /var/log");
    if (cleared.code !== 0) throw new Error(`preparing the overlay failed: ${cleared.stderr}`);
  }, 120_000);

  it("installs exactly the configured version, not the newest the repository has, holds it, and reconfigures", () => {
    const result = install("2.0.4");
    expect({ code: result.code, stderr: result.code === 0 ? "" : result.stderr }).toEqual({ code: 0, stderr: "" });
    expect(installed()).toBe("hold ok installed 2.0.4");
    expect(held()).toEqual(["packagecloud"]);
    expect(ctlLog()).toEqual(["reconfigure 2.0.4"]);
  }, 120_000);

  it("keeps it when everything else is upgraded (apt-get upgrade): the hold", () => {
    const upgrade = inOverlay("DEBIAN_FRONTEND=noninteractive apt-get -y upgrade");
    expect(upgrade.code).toBe(0);
    expect(installed()).toBe("hold ok installed 2.0.4");
    // The check can fail: without the hold the same upgrade moves it (shown on a copy of the state, then undone).
    const unheld = inOverlay("apt-mark unhold packagecloud >/dev/null && apt-get -s upgrade | grep -c '^Inst packagecloud '; apt-mark hold packagecloud >/dev/null");
    expect(unheld.stdout.trim()).toBe("1");
    expect(held()).toEqual(["packagecloud"]);
  }, 120_000);

  it("changes nothing when run again but reconfigure", () => {
    const again = install("2.0.4");
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/packagecloud 2\.0\.4 is installed/);
    expect(installed()).toBe("hold ok installed 2.0.4");
    expect(ctlLog()).toEqual(["reconfigure 2.0.4", "reconfigure 2.0.4"]);
  }, 120_000);

  it("upgrades when the configured version changes: installs it, still held, reconfigures, then restarts", () => {
    const upgrade = install("2.0.5");
    expect({ code: upgrade.code, stderr: upgrade.code === 0 ? "" : upgrade.stderr }).toEqual({ code: 0, stderr: "" });
    expect(upgrade.stderr).toMatch(/upgraded packagecloud from 2\.0\.4 to 2\.0\.5/);
    expect(installed()).toBe("hold ok installed 2.0.5");
    expect(held()).toEqual(["packagecloud"]);
    expect(ctlLog().slice(-2)).toEqual(["reconfigure 2.0.5", "restart 2.0.5"]);
  }, 120_000);

  it("refuses to downgrade onto data a newer version may have migrated, naming the field and the fix", () => {
    const downgrade = install("2.0.4");
    expect(downgrade.code).toBe(1);
    expect(downgrade.stderr).toMatch(/packagecloud 2\.0\.5 is installed, newer than the configured 2\.0\.4 \(vm\.packagecloudApt\.version\).*Set vm\.packagecloudApt\.version to 2\.0\.5/);
    expect(installed()).toBe("hold ok installed 2.0.5");
    expect(ctlLog().slice(-1)).toEqual(["restart 2.0.5"]);
  }, 120_000);

  it("fails, changing nothing, when the repository lacks the configured version", () => {
    const missing = install("2.0.9");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/Version '2\.0\.9' for 'packagecloud' was not found/);
    expect(installed()).toBe("hold ok installed 2.0.5");
    expect(held()).toEqual(["packagecloud"]);
  }, 120_000);
});

/**
 * The bootstrap as cloud-init runs it on a new instance, in a throwaway root: user data's write_files written and
 * its runcmd run (a model of cloud-init's two modules), with stand-ins for `aws s3api get-object` (serving a real
 * bundle) and `systemctl` (recording what it is asked). awscli counts as installed (the stand-in is on PATH), so
 * the apt step is not exercised here.
 */
describe("the bootstrap in user data", () => {
  const dir = path.join(work, "bootstrap");
  const serve = path.join(dir, "serve");
  const inRoot = throwawayRoot(dir, { "/srv/bootstrap-test": serve });
  const location = { bucket: "packagecloud-ops-vm-config-111122223333", key: VM_CONFIG_KEY, region: "us-west-1" };
  const apt = envs.ops.vm.packagecloudApt;
  const bundle = vmConfigBundle({ location, dataDisk: { volumeId: "vol-0123456789abcdef0", mountPoint: "/var/opt/packagecloud" }, apt, networkWait: defaultNetworkWait(apt) });

  beforeAll(() => {
    fs.mkdirSync(serve, { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(serve, "bundle.json"), bundleJson(bundle));
    fs.writeFileSync(path.join(serve, "aws"), `#!/bin/bash
echo "aws $*" >> /var/log/aws.log
cp /srv/bootstrap-test/bundle.json "\${@: -1}"
echo '{"VersionId": "v1"}'
`);
    fs.writeFileSync(path.join(serve, "systemctl"), `#!/bin/bash
echo "$*" >> /var/log/systemctl.log
`);
    const document = parse(bootstrapCloudConfig(location).replace(/^#cloud-config\n/, ""));
    const writes = document.write_files.map((f: { path: string; permissions: string; content: string }, i: number) => {
      fs.writeFileSync(path.join(serve, `write-${i}`), f.content);
      return `install -D -m ${f.permissions} /srv/bootstrap-test/write-${i} ${f.path}`;
    });
    const prepared = inRoot(["install -m 0755 /srv/bootstrap-test/aws /srv/bootstrap-test/systemctl /usr/local/bin/", ...writes].join(" && "));
    if (prepared.code !== 0) throw new Error(`preparing the throwaway root failed: ${prepared.stderr}`);
    bootstrap = inRoot(document.runcmd.map((argv: string[]) => argv.join(" ")).join(" && "));
  }, 60_000);
  let bootstrap: { code: number; stdout: string; stderr: string };
  const file = (p: string) => inRoot(`stat -c %a ${p} && cat ${p}`).stdout;

  it("reads the bundle from the configured bucket, key and region", () => {
    expect({ code: bootstrap.code, stderr: bootstrap.code === 0 ? "" : bootstrap.stderr }).toEqual({ code: 0, stderr: "" });
    expect(inRoot("cat /var/log/aws.log").stdout).toBe(`aws --region us-west-1 s3api get-object --bucket ${location.bucket} --key ${VM_CONFIG_KEY} /var/lib/packagecloud-config/bundle.json\n`);
    expect(inRoot("stat -c %a /var/lib/packagecloud-config").stdout.trim()).toBe("700");
  });

  it("installs the agent and its two units exactly as the bundle has them, and the agent starts", () => {
    for (const entry of bundle.files.filter((f) => [SYNC_AGENT_PATH, "/etc/systemd/system/packagecloud-config-sync.service", "/etc/systemd/system/packagecloud-config-sync.timer"].includes(f.path))) {
      expect(file(entry.path)).toBe(`${entry.permissions.replace(/^0/, "")}\n${entry.content}`);
    }
    expect(file(SYNC_AGENT_PATH)).toContain(syncAgent());
    expect(inRoot(`${SYNC_AGENT_PATH} --help`).code).toBe(0);
    // Nothing else of the bundle: the agent applies the rest at its first run.
    expect(inRoot("test -e /usr/local/sbin/packagecloud-data-disk").code).not.toBe(0);
  });

  it("enables the timer and starts the agent's first run without waiting for it", () => {
    expect(inRoot("cat /var/log/systemctl.log").stdout.split("\n").filter(Boolean)).toEqual([
      "daemon-reload",
      "enable --now packagecloud-config-sync.timer",
      "start --no-block packagecloud-config-sync.service",
    ]);
  });
});

/**
 * The configuration agent's own logic (constructs/vm-config-sync.py) with a stand-in for `aws s3api get-object`
 * that serves a bundle file (S3 itself, through moto, is the emulator test's): it replaces itself, checked first,
 * and the new copy applies the rest; a new copy that does not start is refused; `always` commands run every time.
 */
describe("the configuration agent", () => {
  const dir = path.join(work, "agent");
  const bin = path.join(dir, "bin");
  const fixture = path.join(dir, "bundle.json");
  let runs = 0;
  // The interpreter the agent's shebang names, as on the VM (a python3 found on PATH may be a version manager's
  // shim that puts its own directories, and their aws, ahead of the stand-in).
  const interpreter = syncAgent().split("\n")[0].replace(/^#!/, "");

  beforeAll(() => {
    requireTool("python3");
    if (!fs.existsSync(interpreter)) throw new Error(`${interpreter} (the agent's shebang) is required but was not found. Get it: apt-get install python3`);
    fs.mkdirSync(bin, { recursive: true });
    // `aws --region R s3api get-object --bucket B --key K FILE`: copies the fixture to FILE, prints its version.
    fs.writeFileSync(path.join(bin, "aws"), `#!/bin/bash\ncp ${JSON.stringify(fixture)} "\${@: -1}"\necho '{"VersionId": "'"$BUNDLE_VERSION"'"}'\n`, { mode: 0o755 });
  });

  /** One agent run, as the timer starts it, from `agent` (default: the repository's), printing the commands due. */
  function runAgent(root: string, bundle: object, agent = SYNC_AGENT_SOURCE) {
    runs += 1;
    fs.writeFileSync(fixture, JSON.stringify(bundle));
    const result = spawnSync(interpreter, [agent, "--bucket", "b", "--key", VM_CONFIG_KEY, "--region", "us-west-1", "--root", root, "--state", path.join(root, "state"), "--commands", "print"], {
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, BUNDLE_VERSION: `v${runs}` },
    });
    return { code: result.status ?? 1, stderr: result.stderr, commands: result.stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line).id) };
  }

  const bundleWith = (agent: string) => ({
    agent: SYNC_AGENT_PATH,
    files: [
      { path: SYNC_AGENT_PATH, owner: "root:root", permissions: "0755", content: agent },
      { path: "/etc/packagecloud-example.conf", owner: "root:root", permissions: "0644", content: "example\n" },
    ],
    secrets: [],
    commands: [
      { id: "every-run", run: ["true"], after: [], always: true },
      { id: "on-change", run: ["true"], after: ["/etc/packagecloud-example.conf"] },
    ],
  });

  it("replaces itself with the bundle's agent, and the new one applies the rest of the bundle", () => {
    const root = fs.mkdtempSync(path.join(dir, "root-"));
    const fixed = syncAgent().replace('log(f"bundle s3://', 'log(f"fixed agent: bundle s3://');
    expect(fixed).not.toBe(syncAgent());
    const result = runAgent(root, bundleWith(fixed));
    expect(result.stderr).toMatch(/replaced itself with the bundle's agent; running it/);
    expect(result.stderr).toMatch(/fixed agent: bundle s3:\/\/b\/vm\/bundle\.json version v\d+/);
    expect(result.code).toBe(0);
    const installedAgent = path.join(root, SYNC_AGENT_PATH);
    expect(fs.readFileSync(installedAgent, "utf8")).toBe(fixed);
    expect(fs.statSync(installedAgent).mode & 0o7777).toBe(0o755);
    expect(fs.readFileSync(path.join(root, "etc/packagecloud-example.conf"), "utf8")).toBe("example\n");
    expect(result.commands).toEqual(["every-run", "on-change"]);

    // The next run, from the installed (fixed) agent: nothing to replace; only the `always` command is due.
    const next = runAgent(root, bundleWith(fixed), installedAgent);
    expect(next.stderr).not.toMatch(/replaced itself/);
    expect(next.stderr).toMatch(/fixed agent: bundle/);
    expect(next.commands).toEqual(["every-run"]);
  });

  it("refuses a new agent that does not start: keeps the installed one and applies nothing else", () => {
    const root = fs.mkdtempSync(path.join(dir, "root-"));
    expect(runAgent(root, bundleWith(syncAgent())).code).toBe(0);
    const installedAgent = path.join(root, SYNC_AGENT_PATH);
    const bundle = bundleWith("#!/usr/bin/python3\nthis is not python(\n");
    bundle.files[1].content = "changed\n";
    const refused = runAgent(root, bundle, installedAgent);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused \/usr\/local\/sbin\/packagecloud-config-sync: the new agent does not start \(exit 1\).*SyntaxError/s);
    expect(refused.stderr).toMatch(/keeping the installed agent and applying nothing else/);
    expect(fs.readFileSync(installedAgent, "utf8")).toBe(syncAgent());
    expect(fs.readFileSync(path.join(root, "etc/packagecloud-example.conf"), "utf8")).toBe("example\n");
    expect(refused.commands).toEqual([]);
    expect(fs.readdirSync(path.dirname(installedAgent)).filter((f) => f.startsWith(".packagecloud-config-"))).toEqual([]);
  });
});
