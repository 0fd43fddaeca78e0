/**
 * The backup image's packages (backup/Dockerfile) and the root filesystem the engine test runs the job in
 * (emulator/backup-rootfs.sh) are one recipe: every package the Dockerfile installs is pinned `name=version`, and
 * the rootfs script installs exactly those pins from the Dockerfile's own Debian suite.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const DOCKERFILE = path.join(ROOT, "backup", "Dockerfile");
const SCRIPT = path.join(ROOT, "emulator", "backup-rootfs.sh");

/** The words of the Dockerfile's `apt-get install` (continuation lines joined), without its flags. */
function installWords(dockerfile: string): string[] {
  const joined = dockerfile.replace(/\\\n/g, " ");
  const match = /apt-get install ([^&]*)&&/.exec(joined);
  if (!match) throw new Error("no apt-get install in backup/Dockerfile");
  return match[1].split(/\s+/).filter((w) => w !== "" && !w.startsWith("-"));
}

function recipe(dockerfile = DOCKERFILE): { status: number | null; stdout: string; stderr: string } {
  return spawnSync("bash", [SCRIPT, "--print-recipe", dockerfile], { encoding: "utf8", env: { ...process.env, PACKAGECLOUD_ROOTFS_CACHE: "/var/cache/packagecloud-infra" } });
}

describe("backup image: Dockerfile pins and the rootfs recipe", () => {
  const words = installWords(fs.readFileSync(DOCKERFILE, "utf8"));

  it("pins every package the image installs, including the AWS CLI and MariaDB client the script was tested with", () => {
    expect(words.filter((w) => !/^[a-z0-9][a-z0-9.+-]+=[0-9][A-Za-z0-9.+~:-]*$/.test(w))).toEqual([]);
    const pins = Object.fromEntries(words.map((w) => w.split("=") as [string, string]));
    expect(pins.awscli).toBe("2.9.19-1");
    expect(pins["mariadb-client"]).toMatch(/^1:10\.11\./);
    expect(Object.keys(pins)).toEqual(expect.arrayContaining(["age", "bash", "ca-certificates", "curl", "gzip"]));
  });

  it("the rootfs script installs exactly the Dockerfile's pins, from the Dockerfile's suite", () => {
    const result = recipe();
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const [line, target] = result.stdout.trim().split("\n");
    expect(line).toMatch(/; suite bookworm;/);
    expect(line.replace(/^.*; include /, "").split(",")).toEqual([...words].sort());
    // Cached outside the repository, under a name that changes with the recipe.
    expect(target).toMatch(/^\/var\/cache\/packagecloud-infra\/rootfs-[0-9a-f]{16}$/);
  });

  it("fails if a package is unpinned, or a pin changes without the recipe changing (the hash follows the pins)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rootfs-recipe-"));
    const original = fs.readFileSync(DOCKERFILE, "utf8");
    const unpinned = path.join(dir, "Dockerfile.unpinned");
    fs.writeFileSync(unpinned, original.replace("awscli=2.9.19-1", "awscli"));
    const refused = recipe(unpinned);
    expect(refused.stderr).toMatch(/unpinned package\(s\) in .*: awscli/);
    expect(refused.status).toBe(2);
    const bumped = path.join(dir, "Dockerfile.bumped");
    fs.writeFileSync(bumped, original.replace("awscli=2.9.19-1", "awscli=2.9.19-2"));
    expect(recipe(bumped).stdout.split("\n")[1]).not.toBe(recipe().stdout.split("\n")[1]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
