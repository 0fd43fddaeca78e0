/**
 * The entry point: how `cdktf synth` behaves for an operator, including when it must refuse.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ENV_NAMES, loadEnvironments } from "../config";
import { LAYERS } from "../config/naming";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import type { TerraformStack } from "cdktf";
import { buildApp } from "../stacks/app";
import { synthesizeAtomically } from "../stacks/synthesize";

const ROOT = path.resolve(__dirname, "..");

/** Runs main.ts; with `contents`, also every synthesized file's content (for comparing two runs). */
function runMain(env: Record<string, string>, contents = false) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-main-"));
  const run = spawnSync(process.execPath, ["-r", "./tooling/register-swc.js", "main.ts"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: outdir, ...env },
  });
  const stacks = fs.existsSync(path.join(outdir, "stacks")) ? fs.readdirSync(path.join(outdir, "stacks")).sort() : [];
  const files = contents
    ? Object.fromEntries(
        (fs.readdirSync(outdir, { recursive: true }) as string[])
          .filter((f) => fs.statSync(path.join(outdir, f)).isFile())
          .sort()
          .map((f) => [f, fs.readFileSync(path.join(outdir, f), "utf8")]),
      )
    : undefined;
  fs.rmSync(outdir, { recursive: true, force: true });
  return { code: run.status, stderr: run.stderr, stacks, ...(files && { files }) };
}

describe("main.ts", () => {
  it("synthesizes every stack of every environment", () => {
    expect(runMain({ PACKAGECLOUD_TARGET: "aws" })).toMatchObject({ code: 0, stacks: ENV_NAMES.flatMap((env) => LAYERS.map((layer) => `packagecloud-${env}-${layer}`)).sort() });
  });

  it("synthesizes with no terraform on PATH (synth never runs Terraform), and the same from the module bundle as from disk", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-no-tools-"));
    try {
      const noTerraform = { PATH: empty, PACKAGECLOUD_TARGET: "aws" };
      expect(spawnSync("sh", ["-c", "command -v terraform"], { env: noTerraform }).status).not.toBe(0);
      const fromDisk = runMain({ ...noTerraform, PACKAGECLOUD_BUNDLE: "0" }, true);
      expect(fromDisk).toMatchObject({ code: 0, stderr: "" });
      for (let i = 0; i < 2; i++) expect(runMain(noTerraform, true)).toEqual(fromDisk);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it("fails if the target is unknown, saying which targets exist", () => {
    const run = runMain({ PACKAGECLOUD_TARGET: "prod" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/PACKAGECLOUD_TARGET = "prod": must be one of aws, emulator/);
    expect(run.stacks).toEqual([]);
  });

  it("fails if the emulator target has no endpoint", () => {
    const run = runMain({ PACKAGECLOUD_TARGET: "emulator", PACKAGECLOUD_EMULATOR_ENDPOINT: "" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/PACKAGECLOUD_EMULATOR_ENDPOINT = "": the emulator target needs the moto_server URL/);
  });
});

describe("synthesizeAtomically", () => {
  let dir: string;
  let outdir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-atomic-"));
    outdir = path.join(dir, "cdktf.out");
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, "previous.txt"), "the reviewed output");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("leaves the previous output untouched, and no partial output, when synth fails", () => {
    expect(() =>
      synthesizeAtomically(outdir, () => {
        throw new Error("a construct refused its input");
      }),
    ).toThrow(/a construct refused its input/);
    expect(fs.readdirSync(dir)).toEqual(["cdktf.out"]);
    expect(fs.readFileSync(path.join(outdir, "previous.txt"), "utf8")).toBe("the reviewed output");
  });

  it("leaves the previous output untouched when the policy pack refuses a stack", () => {
    expect(() =>
      synthesizeAtomically(outdir, (app) => {
        buildApp(app, { environments: loadEnvironments(), target: { kind: "aws", remoteState: false } });
        const storage = app.node.findChild("packagecloud-ops-storage") as TerraformStack;
        new S3Bucket(storage, "Rogue", { bucket: "rogue-bucket" });
      }),
    ).toThrow(/PC_S3_VERSIONING[\s\S]*aws_s3_bucket\.rogue/);
    expect(fs.readdirSync(dir)).toEqual(["cdktf.out"]);
    expect(fs.readdirSync(outdir)).toEqual(["previous.txt"]);
  });

  it("refuses an extra file that would land outside the output, keeping the previous output", () => {
    expect(() => synthesizeAtomically(outdir, () => ({ "../escaped.txt": "x" }))).toThrow(/\.\.\/escaped\.txt is outside the output/);
    expect(fs.readdirSync(dir)).toEqual(["cdktf.out"]);
    expect(fs.readdirSync(outdir)).toEqual(["previous.txt"]);
  });

  it("replaces the previous output as a whole when synth succeeds", () => {
    synthesizeAtomically(outdir, () => undefined);
    expect(fs.readdirSync(dir)).toEqual(["cdktf.out"]);
    expect(fs.existsSync(path.join(outdir, "previous.txt"))).toBe(false);
    expect(fs.existsSync(path.join(outdir, "manifest.json"))).toBe(true);
  });
});
