/**
 * The pipeline runs on a stock GitLab runner: every external tool the tests of a job require (the project's own
 * list, operator/lib/tools.ts) is installed by that job's install step, which the CI image recipe runs for every
 * tool; the job that needs loop devices asks for a privileged runner; Terraform is installed only after its
 * checksum is verified; providers come from the registry where there is no local mirror; and the jobs that
 * synthesize, validate, plan, deploy and check drift run no command their image (node:20.20.2-bookworm,
 * emulator/lib/job-image.ts) lacks unless their before_script installs it (test/support/job-commands.ts follows
 * the scripts they call). test/engine/pipeline-deploy.test.ts runs those jobs on exactly that PATH.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { ENGINE_TEST_JOBS, INSTALL_TOOLS, NODE_IMAGE, PIPELINE_FILE, PRIVILEGED_TAG_VARIABLE } from "../tooling/pipeline";
import { TOOLS } from "../operator/lib/tools";
import { AWS_PROVIDER_VERSION, cliConfig, providerMirror } from "../operator/lib/terraform-config";
import { toolsRequiredBy } from "./support/required-tools";
import { commandsOfLines, SHELL_BUILTINS, shellCommands, type JobCommandOptions } from "./support/job-commands";
import { imageCommands } from "../emulator/lib/job-image";

const ROOT = path.resolve(__dirname, "..");
const ci = parse(fs.readFileSync(PIPELINE_FILE, "utf8"));
const INSTALLER = path.join(ROOT, "operator/ci/install-tools-ci.sh");
const DOCKERFILE = fs.readFileSync(path.join(ROOT, "ci/Dockerfile"), "utf8");

function testFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(rel);
    return entry.name.endsWith(".test.ts") ? [rel] : [];
  });
}
const engineFiles = testFiles("test/engine").sort();
const unitFiles = testFiles("test").filter((f) => !f.startsWith("test/engine/"));

/** The tools a job's install step installs: the arguments of `bash operator/ci/install-tools-ci.sh ...`. */
function installedBy(job: { before_script?: string[] }): string[] {
  return (job.before_script ?? []).filter((step) => step.startsWith(`${INSTALL_TOOLS} `)).flatMap((step) => step.slice(INSTALL_TOOLS.length + 1).split(/\s+/));
}

/** The test files a job runs, read from its jest command. */
function testsRunBy(name: string): string[] {
  const command: string = ci[name].script.find((line: string) => line.startsWith("npx jest"));
  if (/--selectProjects unit\b/.test(command)) return unitFiles;
  return command.split(/\s+/).filter((word) => word.endsWith(".test.ts"));
}
const testJobs = ["test", ...Object.keys(ENGINE_TEST_JOBS)];

function missingTools(job: string): string[] {
  const installed = installedBy(ci[job]);
  const users = new Map<string, string[]>();
  for (const file of testsRunBy(job)) {
    for (const tool of toolsRequiredBy(path.join(ROOT, file))) users.set(tool, [...(users.get(tool) ?? []), file]);
  }
  return [...users]
    .filter(([tool]) => !installed.includes(tool))
    .map(([tool, files]) => `${job} needs ${tool} (${files.join(", ")}): add it to the job's tools in tooling/pipeline.ts`);
}

describe("pipeline jobs on a stock runner", () => {
  it("run every engine test file in exactly one job", () => {
    const runs = Object.keys(ENGINE_TEST_JOBS).flatMap((job) => testsRunBy(job));
    expect(runs.sort()).toEqual(engineFiles);
  });

  it.each(testJobs)("%s installs every tool its tests require", (job) => {
    expect(missingTools(job)).toEqual([]);
  });

  it("fails if a job's tests require a tool its install step leaves out", () => {
    const saved = ci["test:emulator"].before_script;
    ci["test:emulator"].before_script = saved.map((step: string) => step.replace(" moto_server", ""));
    try {
      expect(missingTools("test:emulator")).toEqual([expect.stringMatching(/^test:emulator needs moto_server \(test\/engine\/ops\.test\.ts/)]);
    } finally {
      ci["test:emulator"].before_script = saved;
    }
  });

  it("gives the fast merge-request job type-check, unit, snapshot and policy tests, and no engine test", () => {
    expect(ci.test.script).toEqual(["npm run typecheck", "npx jest --ci --selectProjects unit"]);
    expect(unitFiles).toEqual(expect.arrayContaining(["test/stacks/snapshot.test.ts", "test/policy/rules.test.ts"]));
    expect(ci.test.tags).toBeUndefined();
  });

  it("runs every job in the pinned image unless PACKAGECLOUD_CI_IMAGE names the CI image", () => {
    expect(ci.default.image).toBe("$PACKAGECLOUD_CI_IMAGE");
    expect(ci.variables.PACKAGECLOUD_CI_IMAGE.value).toBe(NODE_IMAGE);
    expect(NODE_IMAGE).toMatch(/^node:20\.\d+\.\d+-bookworm$/);
    expect(DOCKERFILE).toMatch(new RegExp(`^FROM ${NODE_IMAGE.replace(/\./g, "\\.")}$`, "m"));
  });

  it("asks for a privileged runner exactly where loop devices or mounts are used (losetup, mmdebstrap)", () => {
    for (const job of testJobs) {
      const needsLoop = testsRunBy(job).some((file) => ["losetup", "mmdebstrap"].some((tool) => toolsRequiredBy(path.join(ROOT, file)).has(tool)));
      expect([job, ci[job].tags]).toEqual([job, needsLoop ? [`$${PRIVILEGED_TAG_VARIABLE}`] : undefined]);
    }
    expect(ci.variables[PRIVILEGED_TAG_VARIABLE].value).toBe("privileged");
  });

  it("installs Terraform in the validate, plan and deploy jobs through the verifying installer", () => {
    expect(ci[".terraform"].before_script).toEqual([`${INSTALL_TOOLS} terraform`, "terraform version"]);
    expect(JSON.stringify(ci)).not.toMatch(/releases\.hashicorp\.com/);
  });
});

describe("operator/ci/install-tools-ci.sh and ci/Dockerfile", () => {
  const known = spawnSync("bash", [INSTALLER, "--list"], { encoding: "utf8" }).stdout.trim().split("\n");

  it("knows how to install every tool of operator/lib/tools.ts, and every tool a job asks for", () => {
    expect(known).toEqual(expect.arrayContaining(Object.keys(TOOLS)));
    expect(known).toEqual(expect.arrayContaining(["mariadbd", "age", "rclone", "systemctl"]));
    for (const job of [...testJobs, ".terraform"]) expect(known).toEqual(expect.arrayContaining(installedBy(ci[job])));
  });

  it("is what the CI image runs, for every tool", () => {
    expect(DOCKERFILE).toMatch(/^COPY operator\/ci\/install-tools-ci\.sh (\S+)\nRUN bash \1 all\b/m);
  });

  it("fails if asked for a tool it does not know, naming the ones it does", () => {
    const run = spawnSync("bash", [INSTALLER, "kubectl"], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown tool kubectl \(known: .*terraform/);
  });

  it("fails if the downloaded Terraform zip is not the pinned one, and installs nothing", () => {
    // A release server that serves a tampered zip (file:// through curl), and a PATH without the machine's terraform.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-tf-install-"));
    try {
      const release = path.join(dir, "releases", "1.11.4");
      fs.mkdirSync(release, { recursive: true });
      for (const platform of ["linux_amd64", "linux_arm64"]) fs.writeFileSync(path.join(release, `terraform_1.11.4_${platform}.zip`), "not terraform");
      fs.writeFileSync(path.join(release, "terraform_1.11.4_SHA256SUMS"), "");
      fs.writeFileSync(path.join(release, "terraform_1.11.4_SHA256SUMS.sig"), "");
      const bin = path.join(dir, "bin");
      fs.mkdirSync(bin);
      const run = spawnSync("bash", [INSTALLER, "terraform"], {
        encoding: "utf8",
        env: { PATH: "/usr/bin:/bin", HOME: dir, TERRAFORM_RELEASES: `file://${path.join(dir, "releases")}`, PACKAGECLOUD_BIN_DIR: bin },
      });
      expect(run.stderr).toMatch(/terraform_1\.11\.4_linux_(amd|arm)64\.zip has SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}: refusing to install it/);
      expect(run.status).not.toBe(0);
      expect(fs.readdirSync(bin)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the Terraform CLI configuration of the tests", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-mirror-"));
  const full = path.join(dir, "full");
  fs.mkdirSync(path.join(full, "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION), { recursive: true });
  const empty = path.join(dir, "empty");
  fs.mkdirSync(empty);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("uses a configured mirror, or the default one where it holds the provider", () => {
    expect(providerMirror({ PACKAGECLOUD_TF_MIRROR: full }, empty)).toBe(full);
    expect(providerMirror({}, full)).toBe(full);
    expect(cliConfig(full, "/cache")).toMatch(/filesystem_mirror \{\n\s+path\s+= "[^"]+full"[\s\S]*direct \{\n\s+exclude = \["registry.terraform.io\/hashicorp\/aws"\]/);
  });

  it("installs providers from the registry, through a plugin cache, where there is no mirror", () => {
    expect(providerMirror({}, empty)).toBeUndefined();
    expect(cliConfig(undefined, "/cache")).toBe(
      'plugin_cache_dir = "/cache"\nplugin_cache_may_break_dependency_lock_file = true\nprovider_installation {\n  direct {}\n}\n',
    );
  });

  it("fails if PACKAGECLOUD_TF_MIRROR names a mirror without the provider", () => {
    expect(() => providerMirror({ PACKAGECLOUD_TF_MIRROR: empty }, full)).toThrow(
      new RegExp(`PACKAGECLOUD_TF_MIRROR=${empty} has no hashicorp/aws ${AWS_PROVIDER_VERSION}.*unset PACKAGECLOUD_TF_MIRROR to install providers from the registry`),
    );
  });
});

describe("the commands of the jobs that synthesize, validate, plan, deploy and check drift", () => {
  const image = imageCommands();
  /** A job with `extends` applied: its before_script may come from the template. */
  const resolved = (job: string): { before_script?: string[]; script: string[] } => {
    const own = ci[job];
    const parent = own.extends ? ci[own.extends] : {};
    return { before_script: own.before_script ?? parent.before_script, script: own.script };
  };
  const cloudJobs = Object.keys(ci).filter((name) => /^(synth|validate:|plan:|deploy:|drift:)/.test(name));

  function missingCommands(job: string, options?: JobCommandOptions): string[] {
    const { before_script = [], script } = resolved(job);
    const installs = installedBy({ before_script });
    const { uses } = commandsOfLines([...before_script, ...script], job, options);
    return [
      ...new Set(
        uses
          .filter((u) => !image.has(u.command) && !installs.includes(u.command) && !SHELL_BUILTINS.has(u.command))
          .map((u) => `${job} runs ${u.command} (${u.where}): its image (${NODE_IMAGE}) has no ${u.command} and its before_script installs none`),
      ),
    ];
  }

  it("checks every such job of every stack and environment", () => {
    expect(cloudJobs.filter((j) => j.startsWith("deploy:"))).toHaveLength(8);
    expect(cloudJobs).toEqual(expect.arrayContaining(["synth", "drift:pre", "drift:ops"]));
  });

  it.each(cloudJobs)("%s runs only what its image has or its before_script installs", (job) => {
    expect(missingCommands(job)).toEqual([]);
  });

  it("follows what the jobs call: terraform.sh, plan-report.js, the DNS pre-flight, the installer, npm run drift", () => {
    const plan = resolved("plan:packagecloud-pre-dns");
    const { followed, uses } = commandsOfLines([...plan.before_script!, ...plan.script], "plan");
    expect(followed).toEqual(
      expect.arrayContaining([
        "plan → operator/ci/install-tools-ci.sh",
        "plan → operator/ci/terraform.sh",
        "plan → operator/ci/terraform.sh → operator/ci/plan-report.js",
        "plan → operator/ci/terraform.sh → npm run dns:preflight → operator/dns-preflight.ts",
      ]),
    );
    expect(uses.map((u) => u.command)).toEqual(expect.arrayContaining(["terraform", "node", "npm", "curl", "gpg", "unzip", "sha256sum"]));
    const drift = resolved("drift:pre");
    expect(commandsOfLines(drift.script, "drift").uses).toEqual(expect.arrayContaining([{ command: "terraform", where: "drift → npm run drift → operator/drift.ts (requireTool)" }]));
  });

  it("reads shell as bash does for these scripts: case patterns, for lists, tests, array assignments and redirections are no commands", () => {
    const text = [
      'case "$(uname -m)" in',
      "  x86_64) a=1 ;;",
      "  aarch64 | arm64) b=2 ;;",
      '  *) echo "no" >&2; exit 1 ;;',
      "esac",
      'names=(one two) # (a comment)',
      'for x in "${names[@]}"; do printf "%s" "$x" 2>&1 | tr a b; done',
      'if [[ $(id -u) -eq 0 && -n "$x" ]]; then "${sudo[@]}" apt-get update; fi',
      "helper() { mktemp -d; }",
      "helper",
    ].join("\n");
    const { commands, functions } = shellCommands(text);
    expect(commands).toEqual(["uname", "echo", "exit", "printf", "tr", "id", "mktemp", "helper"]);
    expect(functions).toEqual(["helper"]);
  });

  it("fails if a plan or deploy job's script calls a command the image lacks: gcloud, as terraform.sh did for the admin password", () => {
    // The pre-ephemeral terraform.sh read the password with gcloud in plan and apply (issue 27 §1).
    const readFile: JobCommandOptions["readFile"] = (relative) => {
      const text = fs.readFileSync(path.join(ROOT, relative), "utf8");
      return relative === "operator/ci/terraform.sh"
        ? text.replace("    refuse_placeholders\n    terraform init -input=false\n", '    refuse_placeholders\n    TF_VAR_sql_admin_password=$(gcloud secrets versions access latest --secret="$secret")\n    terraform init -input=false\n')
        : text;
    };
    for (const job of ["plan:packagecloud-pre-gke", "deploy:packagecloud-ops-gke"]) {
      expect(missingCommands(job, { readFile })).toEqual([
        `${job} runs gcloud (${job} → operator/ci/terraform.sh): its image (${NODE_IMAGE}) has no gcloud and its before_script installs none`,
      ]);
    }
    // And a job that calls kubectl itself.
    const saved = ci["drift:pre"].script;
    ci["drift:pre"].script = [...saved, "kubectl -n packagecloud get pods"];
    try {
      expect(missingCommands("drift:pre")).toEqual([expect.stringMatching(/^drift:pre runs kubectl \(drift:pre\)/)]);
    } finally {
      ci["drift:pre"].script = saved;
    }
  });
});

describe("tooling/install-tools.sh (npm test's pretest step)", () => {
  it("runs the installer that exists, with tools it knows", () => {
    const script = fs.readFileSync(path.join(ROOT, "tooling/install-tools.sh"), "utf8");
    const call = /^"\$here\/([^"]+)" ((?:[^\n\\]|\\\n)+)$/m.exec(script);
    expect(call).not.toBeNull();
    expect(fs.existsSync(path.join(ROOT, "tooling", call![1]))).toBe(true);
    const known = spawnSync("bash", [path.join(ROOT, "tooling", call![1]), "--list"], { encoding: "utf8" }).stdout.split("\n");
    for (const tool of call![2].replace(/\\\n/g, " ").split(/\s+/).filter(Boolean)) expect(known).toContain(tool);
  });
});
