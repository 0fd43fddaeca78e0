/**
 * Terraform 1.11.4 itself loads, validates, plans and applies every Google and DNS stack, attached to the stand-in
 * providers (emulator/standin/), which answer from the providers' reviewed decisions (emulator/standin/decisions/:
 * validators, defaults, replacements, import ids, reads of objects that must exist): `pre` and `ops`, gke in both
 * cluster modes (dedicated, and `existing` reading the shared cluster) and dns, each through init, validate, plan,
 * apply and a second plan that must show no changes. Then, on the same objects: Terraform's own schema checks refuse
 * broken copies of a stack, the adopted DNS records were imported from what was seeded (by the providers' import id
 * formats), drift made behind Terraform's back shows in a plan, and `terraform graph` shows the order Terraform
 * creates things in.
 *
 * One stand-in world for both environments' gke and dns stacks (the dns stack reads the address the gke stack
 * made); the two environments run side by side. The `existing` cluster mode deploys the same environments another
 * way, into a world of its own: its objects have the same names and ids, which one cloud project could not hold twice.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ENV_NAMES, loadEnvironments, type EnvName } from "../../config";
import { APIS_OF_TYPE, SERVICE_IDENTITY_TYPE } from "../../constructs/google-apis";
import { ADMIN_USER, adminSecretId } from "../../constructs/cloud-sql-mysql";
import { stackName } from "../../config/naming";
import { GkeStack } from "../../stacks/gke-stack";
import { stackDir, stackEnv, synthForEmulator, type EmulatorWorkspace } from "../../emulator/lib/emulator-deploy";
import { startStandins, typesUsed, type Standins } from "../../emulator/standin/client";
import { OLD_RECORD_ADDRESS, seedExisting, type SeededRecord } from "../../emulator/standin/fixtures";
import type { CreateRecord } from "../../emulator/standin/provider";
import type { WriteOnlyReceived } from "../../emulator/standin/write-only";
import { synth, testApp } from "../support/synth";
import { zipEntries } from "../support/zip";
import { existingClusterEnv } from "../stacks/gke-modes";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-standin-"));
// The AWS endpoint is never called: the Google and DNS stacks of the gke variant have no AWS provider.
type Workspace = { -readonly [K in keyof EmulatorWorkspace]: EmulatorWorkspace[K] };
const dedicated: Workspace = { outdir: path.join(root, "cdktf.out"), stateDir: path.join(root, "state"), endpoint: "http://127.0.0.1:9" };
const existing: Workspace = { outdir: path.join(root, "existing"), stateDir: path.join(root, "state-existing"), endpoint: dedicated.endpoint };

type Phase = "init" | "validate" | "plan" | "apply" | "second plan";
interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}
interface StackRun {
  readonly label: string;
  readonly dir: string;
  readonly phases: Partial<Record<Phase, Run>>;
  /** Terraform address -> the object's id, from the state after apply. */
  ids: Record<string, string>;
  /** The create log's entries from this stack's apply. */
  creates: CreateRecord[];
  /** The values write-only arguments received in this stack's apply. */
  writeOnly: WriteOnlyReceived[];
}

let standins: Standins;
/** The existing-cluster mode's own world: the same environment deployed another way, never beside the first (its
 *  objects carry the same names and ids, which one cloud project could not hold twice). */
let existingWorld: Standins;
const runs = new Map<string, StackRun>();
const seeded = new Map<EnvName, SeededRecord | undefined>();
const envs = loadEnvironments();

/** Terraform as a child process (async: several stacks run at once, and the test's own event loop stays free). */
function tf(args: readonly string[], dir: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", [...args, "-no-color"], { cwd: dir, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}

/** init, validate, plan, apply, second plan; stops at the first phase that fails (the test then names it). */
async function deploy(ws: EmulatorWorkspace, stack: string, label: string, world: Standins = standins): Promise<void> {
  const dir = stackDir(ws, stack);
  const env = stackEnv(ws, stack);
  const run: StackRun = { label, dir, phases: {}, ids: {}, creates: [], writeOnly: [] };
  runs.set(label, run);
  const steps: Array<[Phase, string[], number[]]> = [
    ["init", ["init", "-input=false"], [0]],
    ["validate", ["validate"], [0]],
    ["plan", ["plan", "-input=false", "-detailed-exitcode"], [2]],
    ["apply", ["apply", "-auto-approve", "-input=false"], [0]],
    ["second plan", ["plan", "-input=false", "-detailed-exitcode"], [0]],
  ];
  for (const [phase, args, expected] of steps) {
    const before = phase === "apply" ? (await world.creates()).length : 0;
    const writesBefore = phase === "apply" ? (await world.writeOnly()).map((w) => w.seq) : [];
    run.phases[phase] = await tf(args, dir, env);
    if (phase === "apply") run.creates = (await world.creates()).slice(before);
    // Environments apply side by side: this stack's own writes are those on its own objects, whose attributes name the
    // environment (the SQL user's instance, the secret version's secret).
    const own = `packagecloud-${label.split("-")[0]}-`;
    if (phase === "apply") run.writeOnly = (await world.writeOnly()).filter((w) => !writesBefore.includes(w.seq) && w.refs.some((r) => r.includes(own)));
    if (!expected.includes(run.phases[phase]!.code)) return;
  }
  const state = JSON.parse((await tf(["show", "-json"], dir, env)).stdout);
  for (const r of state.values?.root_module?.resources ?? []) if (r.mode === "managed") run.ids[r.address] = r.values.id;
}

function synthExisting(env: EnvName): void {
  const target = { kind: "emulator" as const, endpoint: existing.endpoint, stateDir: existing.stateDir };
  const out = synth(new GkeStack(testApp(), { env: existingClusterEnv(env), target }));
  const dir = path.join(existing.outdir, "stacks", stackName(env, "gke"));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), out.raw);
}

beforeAll(async () => {
  synthForEmulator(dedicated);
  for (const env of ENV_NAMES) synthExisting(env);
  const dirs = ENV_NAMES.flatMap((env) => [stackDir(dedicated, stackName(env, "gke")), stackDir(dedicated, stackName(env, "dns"))]);
  [standins, existingWorld] = await Promise.all([
    startStandins({ types: typesUsed(dirs) }),
    startStandins({ types: typesUsed(ENV_NAMES.map((env) => stackDir(existing, stackName(env, "gke")))) }),
  ]);
  dedicated.extraEnv = standins.env;
  existing.extraEnv = existingWorld.env;
  for (const env of ENV_NAMES) seeded.set(env, (await seedExisting(standins, envs[env])).record);
  for (const env of ENV_NAMES) await seedExisting(existingWorld, existingClusterEnv(env));
  // gke before dns (dns reads the ingress address gke creates); the environments side by side.
  await Promise.all(ENV_NAMES.map((env) => deploy(dedicated, stackName(env, "gke"), `${env}-gke`)));
  await Promise.all(ENV_NAMES.map((env) => deploy(dedicated, stackName(env, "dns"), `${env}-dns`)));
  await Promise.all(ENV_NAMES.map((env) => deploy(existing, stackName(env, "gke"), `${env}-gke (existing cluster)`, existingWorld)));
  const table = [...runs.values()].map((r) => `${r.label.padEnd(28)} ${Object.entries(r.phases).map(([p, x]) => `${p} ${x!.seconds.toFixed(1)} s`).join(", ")}`);
  console.log(`Terraform phases per stack (stand-ins):\n${table.join("\n")}`);
}, 900_000);

afterAll(async () => {
  await Promise.all([standins?.stop(), existingWorld?.stop()]);
  fs.rmSync(root, { recursive: true, force: true });
});

const LABELS = [...ENV_NAMES.flatMap((env) => [`${env}-gke`, `${env}-dns`]), ...ENV_NAMES.map((env) => `${env}-gke (existing cluster)`)];

describe.each(LABELS)("%s through Terraform 1.11.4 and the stand-ins", (label) => {
  const phase = (p: Phase): Run => {
    const run = runs.get(label)?.phases[p];
    if (!run) throw new Error(`${label}: ${p} never ran (an earlier phase failed)`);
    return run;
  };
  const explain = (p: Phase): string => `${label} ${p} (exit ${phase(p).code}):\n${phase(p).stderr}\n${phase(p).stdout.slice(-3000)}`;

  it("initialises without installing the stand-in providers", () => {
    expect(explain("init")).toMatch(/exit 0/);
    expect(phase("init").stdout).not.toMatch(/Installing (hashicorp\/google|cloudflare|hashicorp\/time)/);
  });
  // The stand-ins answer ValidateResourceConfig with the providers' reviewed validators (the "refuses" tests below
  // show them refusing): this is the providers' acceptance of every value the stack sets, as far as their code decides.
  it("passes terraform validate, the providers' own validators included", () => expect(explain("validate")).toMatch(/exit 0\):[\s\S]*Success! The configuration is valid/));
  it("plans changes", () => expect(explain("plan")).toMatch(/exit 2\)/));
  it("applies", () => expect(explain("apply")).toMatch(/exit 0\):[\s\S]*Apply complete!/));
  // With the providers' defaults and replacement rules in the stand-ins' plans, a clean second plan means nothing
  // the providers would plan differs from what was applied.
  it("plans no changes a second time, defaults and replacement rules included", () => expect(explain("second plan")).toMatch(/exit 0\):[\s\S]*No changes/));
});

/** A copy of the initialised packagecloud-pre-dns, its JSON edited, with state of its own. */
function copyOfPreDns(edit: (json: any) => void): string {
  const source = runs.get("pre-dns")!.dir;
  const dir = fs.mkdtempSync(path.join(root, "copy-"));
  fs.cpSync(path.join(source, ".terraform"), path.join(dir, ".terraform"), { recursive: true });
  const json = JSON.parse(fs.readFileSync(path.join(source, "cdk.tf.json"), "utf8"));
  json.terraform.backend.local.path = path.join(dir, "terraform.tfstate");
  edit(json);
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
  return dir;
}

describe("Terraform's own schema checks, on broken copies of packagecloud-pre-dns", () => {
  const broken = async (edit: (record: any) => void): Promise<string> => {
    const dir = copyOfPreDns((json) => edit(json.resource.google_dns_record_set.record));
    const run = await tf(["validate"], dir, stackEnv(dedicated, stackName("pre", "dns")));
    expect(run.code).toBe(1);
    return run.stderr;
  };

  it("refuses an attribute the schema does not have", async () => {
    expect(await broken((r) => (r.colour = "blue"))).toMatch(/Extraneous JSON object property[\s\S]*No argument or block type is named "colour"/);
  });
  it("refuses a missing required attribute", async () => {
    expect(await broken((r) => delete r.managed_zone)).toMatch(/Missing required argument[\s\S]*The argument "managed_zone" is required/);
  });
  it("refuses a value of the wrong type", async () => {
    expect(await broken((r) => (r.ttl = "five minutes"))).toMatch(/Incorrect attribute value type[\s\S]*a number is required/);
  });
  it("refuses a block written as a plain value, and more blocks than the schema allows", async () => {
    expect(await broken((r) => (r.routing_policy = "wrr"))).toMatch(/Incorrect JSON value type[\s\S]*"routing_policy" blocks/);
    expect(await broken((r) => (r.routing_policy = [{}, {}]))).toMatch(/Too many routing_policy blocks/);
  });
});

/**
 * The import ids the dns stacks carry and the ids the providers store, written by hand from the providers' import
 * documentation at the pinned tags: google v6.50.0 website/docs/r/dns_record_set.html.markdown ("Import":
 * projects/{{project}}/managedZones/{{zone}}/rrsets/{{name}}/{{type}}, and resource_dns_record_set.go:422 stores
 * the same string as the id); cloudflare v5.14.0 docs/resources/dns_record.md ("Import": '<zone_id>/<dns_record_id>',
 * the record's id being the second part). The values are config/environments.ts's: pre's Cloud DNS zone and record,
 * ops's Cloudflare zone and record ids.
 */
const ADOPTED: Record<EnvName, { importId: string; type: string; storedId: string }> = {
  pre: {
    importId: "projects/gitlab-pre/managedZones/pre-gke-gitlab-net/rrsets/packages.pre.gke.gitlab.net./A",
    type: "google_dns_record_set",
    storedId: "projects/gitlab-pre/managedZones/pre-gke-gitlab-net/rrsets/packages.pre.gke.gitlab.net./A",
  },
  ops: {
    importId: "0123456789abcdef0123456789abcdef/fedcba9876543210fedcba9876543210",
    type: "cloudflare_dns_record",
    storedId: "fedcba9876543210fedcba9876543210",
  },
};

describe("adoption: the existing DNS records, seeded in the stand-ins, are imported by the providers' import id formats", () => {
  it.each(ENV_NAMES)("%s", (env) => {
    const golden = ADOPTED[env];
    const run = runs.get(`${env}-dns`)!;
    const config = JSON.parse(fs.readFileSync(path.join(run.dir, "cdk.tf.json"), "utf8"));
    expect(config.import).toEqual([{ id: golden.importId, to: `${golden.type}.record` }]);
    expect(run.phases.plan!.stdout).toMatch(/1 to import/);
    expect(run.phases.plan!.stdout).toContain(OLD_RECORD_ADDRESS);
    expect(run.ids[`${golden.type}.record`]).toBe(golden.storedId);
    expect(seeded.get(env)?.id).toBe(golden.storedId);
    // Imported, then updated to the new address: no second create of the record.
    expect(run.creates.filter((c) => c.type === golden.type)).toEqual([]);
  });

  it("refuses to import what does not exist, with the providers' message", async () => {
    const dir = copyOfPreDns((json) => (json.import[0].id = json.import[0].id.replace("packages.", "missing.")));
    const env = stackEnv(dedicated, stackName("pre", "dns"));
    expect((await tf(["init", "-input=false", "-reconfigure"], dir, env)).code).toBe(0);
    const run = await tf(["plan", "-input=false"], dir, env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Cannot import non-existent remote object/);
  });

  it("refuses an import id the provider's importer cannot parse, with its message", async () => {
    // google v6.50.0 resource_dns_record_set.go:666-669 (three formats) and tpgresource/import.go:91.
    const dir = copyOfPreDns((json) => (json.import[0].id = "pre-gke-gitlab-net"));
    const env = stackEnv(dedicated, stackName("pre", "dns"));
    expect((await tf(["init", "-input=false", "-reconfigure"], dir, env)).code).toBe(0);
    const run = await tf(["plan", "-input=false"], dir, env);
    expect(run.code).toBe(1);
    expect(run.stderr.replace(/\s+/g, " ")).toContain(
      'Import id "pre-gke-gitlab-net" doesn\'t match any of the accepted formats: [projects/(?P<project>[^/]+)/managedZones/(?P<managed_zone>[^/]+)/rrsets/(?P<name>[^/]+)/(?P<type>[^/]+) (?P<project>[^/]+)/(?P<managed_zone>[^/]+)/(?P<name>[^/]+)/(?P<type>[^/]+) (?P<managed_zone>[^/]+)/(?P<name>[^/]+)/(?P<type>[^/]+)]',
    );
  });
});

describe("drift: an object changed behind Terraform's back shows in the next plan", () => {
  it.each(ENV_NAMES)("%s-dns", async (env) => {
    const record = seeded.get(env)!;
    await standins.patch(record.type, record.id, { ttl: 3600 });
    const stack = stackName(env, "dns");
    const plan = await tf(["plan", "-input=false", "-detailed-exitcode"], stackDir(dedicated, stack), stackEnv(dedicated, stack));
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/~ ttl += 3600 -> \d+/);
  });
});

/** Which API's enablement creates the service agent a key grant names (the others: a service identity). */
// Every agent a key grant names is requested (google_project_service_identity) before the grant: "comes with the
// API" gives no order, since the provider enables APIs in batches (issue 22 item 2).
const AGENT_APIS: Array<{ agent: string; identityOf: string }> = [
  { agent: "@gcp-sa-cloud-sql.iam.gserviceaccount.com", identityOf: "sqladmin.googleapis.com" },
  { agent: "@cloud-redis.iam.gserviceaccount.com", identityOf: "redis.googleapis.com" },
  { agent: "@container-engine-robot.iam.gserviceaccount.com", identityOf: "container.googleapis.com" },
];
const CMEK_CONSUMERS = ["google_sql_database_instance", "google_redis_instance", "google_container_cluster"];

/**
 * The order Terraform creates things in, from `terraform graph` (Terraform 1.11's resource graph of the
 * configuration: `"a" -> "b"` when a waits for b), read transitively: deterministic, and what Terraform itself
 * builds from the references and depends_on in the JSON (test/stacks/google-graph.test.ts reads the JSON itself).
 */
describe.each(LABELS)("%s: what Terraform creates only after what it needs (terraform graph)", (label) => {
  let config: any;
  /** address -> every address it waits for, directly or not. */
  let waitsFor: Map<string, Set<string>>;
  const addresses = (type: string): string[] => Object.keys(config.resource?.[type] ?? {}).map((name) => `${type}.${name}`);
  const body = (address: string): any => {
    const [type, name] = address.split(".");
    return config.resource[type][name];
  };
  /** A problem when `then` does not wait for `first`; undefined when it does. */
  const outOfOrder = (first: string, then: string): string | undefined => (waitsFor.get(then)?.has(first) ? undefined : `${then} does not wait for ${first}`);

  beforeAll(async () => {
    const run = runs.get(label)!;
    config = JSON.parse(fs.readFileSync(path.join(run.dir, "cdk.tf.json"), "utf8"));
    const ws = label.includes("existing") ? existing : dedicated;
    const graph = await tf(["graph"], run.dir, stackEnv(ws, path.basename(run.dir)));
    if (graph.code !== 0) throw new Error(`${label}: terraform graph failed:\n${graph.stderr}`);
    const direct = new Map<string, Set<string>>();
    for (const m of graph.stdout.matchAll(/^\s*"([^"]+)" -> "([^"]+)"/gm)) {
      if (!direct.has(m[1])) direct.set(m[1], new Set());
      direct.get(m[1])!.add(m[2]);
    }
    waitsFor = new Map();
    const closure = (node: string, seen = new Set<string>()): Set<string> => {
      for (const next of direct.get(node) ?? []) if (!seen.has(next)) (seen.add(next), closure(next, seen));
      return seen;
    };
    for (const node of direct.keys()) waitsFor.set(node, closure(node));
    expect(direct.size).toBeGreaterThan(0);
  }, 120_000);

  it("orders no Google resource before the enablement of each API it calls", () => {
    const problems: string[] = [];
    const enabling = (api: string) => addresses("google_project_service").find((a) => body(a).service === api);
    for (const type of Object.keys(config.resource ?? {})) {
      if (!type.startsWith("google_") || type === "google_project_service") continue;
      for (const address of addresses(type)) {
        const apis = type === SERVICE_IDENTITY_TYPE ? [body(address).service] : (APIS_OF_TYPE[type] ?? []);
        for (const api of apis) {
          const service = enabling(api);
          if (!service) problems.push(`${address}: ${api} is not enabled in this stack`);
          else problems.push(...[outOfOrder(service, address)].filter((p): p is string => p !== undefined));
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("orders no key grant before its service agent exists, and no CMEK consumer before the propagation wait", () => {
    const problems: string[] = [];
    for (const grant of addresses("google_kms_crypto_key_iam_member")) {
      const member = String(body(grant).member);
      // The agent is the service identity the grant references, or the one requested for the agent's service.
      const identity = member.match(new RegExp(`${SERVICE_IDENTITY_TYPE}\\.([a-z0-9_]+)`));
      const agent = AGENT_APIS.find((a) => member.includes(a.agent));
      const creator = identity ? `${SERVICE_IDENTITY_TYPE}.${identity[1]}` : addresses(SERVICE_IDENTITY_TYPE).find((i) => body(i).service === agent?.identityOf);
      if (!creator) problems.push(`${grant}: nothing here creates the agent in ${member}`);
      else problems.push(...[outOfOrder(creator, grant)].filter((p): p is string => p !== undefined));
    }
    // The waits for the key grants to propagate: the sleeps that themselves wait for a key grant.
    const waits = addresses("time_sleep").filter((w) => [...(waitsFor.get(w) ?? [])].some((d) => d.startsWith("google_kms_crypto_key_iam_member.")));
    for (const type of CMEK_CONSUMERS) {
      for (const consumer of addresses(type)) {
        if (waits.length === 0) problems.push(`${consumer}: no wait for the key grants' propagation in this stack`);
        for (const wait of waits) problems.push(...[outOfOrder(wait, consumer)].filter((p): p is string => p !== undefined));
      }
    }
    expect(problems).toEqual([]);
  });

  it("orders no Workload Identity binding before the cluster", () => {
    const bindings = addresses("google_service_account_iam_member").filter((b) => body(b).role === "roles/iam.workloadIdentityUser");
    const clusters = [...addresses("google_container_cluster"), ...Object.keys(config.data?.google_container_cluster ?? {}).map((n) => `data.google_container_cluster.${n}`)];
    // A stack with a cluster binds Workload Identity users, and only such a stack does (dns has neither).
    expect(bindings.length > 0).toBe(clusters.length > 0);
    for (const cluster of clusters) for (const binding of bindings) expect(outOfOrder(cluster, binding)).toBeUndefined();
  });
});

describe("a routine edit of the Resource Manager API's enablement replaces no key grant (issue 22 item 6)", () => {
  // Before: data.google_project had a depends_on, so any pending change to that enablement deferred the project's
  // read to apply, its number became unknown, and every grant's `member` (ForceNew in the real provider) changed.
  it("pre-gke: the project is read at plan time and the grants stay as they are", async () => {
    const run = runs.get("pre-gke")!;
    const api = Object.keys(run.ids).find((a) => a.startsWith("google_project_service.") && a.includes("cloudresourcemanager"))!;
    expect(api).toBeDefined();
    const stack = stackName("pre", "gke");
    const [dir, env] = [stackDir(dedicated, stack), stackEnv(dedicated, stack)];
    await standins.patch("google_project_service", run.ids[api], { disable_on_destroy: true });
    try {
      expect((await tf(["plan", "-input=false", "-out=routine.tfplan"], dir, env)).code).toBe(0);
      const plan = JSON.parse((await tf(["show", "-json", "routine.tfplan"], dir, env)).stdout);
      const changes = (plan.resource_changes ?? []) as Array<{ address: string; change: { actions: string[] } }>;
      const actions = (prefix: string) => changes.filter((c) => c.address.startsWith(prefix)).map((c) => `${c.address}: ${c.change.actions.join(",")}`);
      expect(actions(api)).toEqual([`${api}: update`]);
      expect(actions("data.google_project.")).toEqual([]);
      expect(actions("google_kms_crypto_key_iam_member.").filter((a) => !a.endsWith(": no-op"))).toEqual([]);
    } finally {
      await standins.patch("google_project_service", run.ids[api], { disable_on_destroy: false });
    }
  }, 180_000);
});

describe("the database admin's password, made by Terraform (ephemeral random_password), is nowhere but where it is written", () => {
  // The stand-ins keep each value the random stand-in made (every plan and apply opens the ephemeral resource anew)
  // and each value a write-only argument received (emulator/standin/write-only.ts): those are the values to search for.
  it.each(ENV_NAMES)("%s-gke: the user and the secret version got the same generated value; plan file, state and output hold none", async (env) => {
    const stack = stackName(env, "gke");
    const dir = stackDir(dedicated, stack);
    const tfEnv = stackEnv(dedicated, stack);
    // One more plan, saved: a plan file as the pipeline's plan job keeps it (its value is made anew, too).
    const planned = await tf(["plan", "-input=false", "-out=password.tfplan"], dir, tfEnv);
    expect(planned.code).toBe(0);
    const shownPlan = await tf(["show", "-json", "password.tfplan"], dir, tfEnv);
    const shown = await tf(["show", "-json"], dir, tfEnv);
    const pulled = await tf(["state", "pull"], dir, tfEnv);
    expect([shownPlan.code, shown.code, pulled.code]).toEqual([0, 0, 0]);

    const received = runs.get(`${env}-gke`)!.writeOnly;
    expect(received.map((w) => `${w.type}.${w.attribute}`).sort()).toEqual(["google_secret_manager_secret_version.secret_data_wo", "google_sql_user.password_wo"]);
    const [written] = new Set(received.map((w) => w.value));
    expect(new Set(received.map((w) => w.value)).size).toBe(1); // the user and the secret: the same password
    const generated = (await standins.ephemeralOpened()).filter((o) => o.type === "random_password").map((o) => o.result as string);
    expect(generated).toContain(written);
    expect(written).toMatch(/^[A-Za-z0-9]{40}$/); // constructs/cloud-sql-mysql.ts ADMIN_PASSWORD_SHAPE

    const resources: any[] = JSON.parse(shown.stdout).values.root_module.resources;
    const admin = resources.find((r) => r.type === "google_sql_user" && r.values.name === ADMIN_USER);
    const version = resources.find((r) => r.type === "google_secret_manager_secret_version");
    expect(admin.values).toMatchObject({ type: "BUILT_IN", host: "%", password_wo: null, password_wo_version: 1 });
    expect(admin.values.password ?? null).toBeNull();
    expect(version.values).toMatchObject({ secret_data_wo: null, secret_data_wo_version: 1 });
    expect(version.values.secret_data ?? null).toBeNull();

    // Every value made for any stack so far, searched in everything Terraform wrote or printed for this one.
    const planFile = zipEntries(fs.readFileSync(path.join(dir, "password.tfplan")));
    const outputs = [...Object.values(runs.get(`${env}-gke`)!.phases), planned, shownPlan, shown, pulled].map((r) => `${r!.stdout}\n${r!.stderr}`);
    const stateFile = fs.readFileSync(path.join(dedicated.stateDir, `${stack}.tfstate`), "utf8");
    const haystacks = { ...Object.fromEntries(planFile.map((e) => [`plan file ${e.name}`, e.data.toString("latin1")])), "state file": stateFile, output: outputs.join("\n") };
    // The search can find what is there: the secret's name is in the plan file's state and configuration.
    expect(Object.entries(haystacks).filter(([, text]) => text.includes(adminSecretId(env))).map(([where]) => where)).toEqual(
      expect.arrayContaining(["plan file tfstate", "state file", "output"]),
    );
    expect(generated.length).toBeGreaterThanOrEqual(3); // plan, apply, second plan of each gke stack, and this plan
    for (const value of generated) {
      expect(Object.entries(haystacks).filter(([, text]) => text.includes(value)).map(([where]) => where)).toEqual([]);
    }
  }, 180_000);
});
