/**
 * The stand-ins decide as the providers do, through Terraform 1.11.4: the five refusals a review found the stand-ins
 * let through (issue 28 §1), the replacements they planned as in-place updates, and the edits that stay in place.
 * Each expectation is written by hand from the provider's source at the pinned tag (cited at each case), not read
 * from the stand-ins' decision tables: a table entry that is missing or wrong fails here.
 *
 * Small configurations of their own (not the stacks), in one stand-in world; Terraform runs as it runs in the
 * pipeline, one command at a time.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startStandins, type Standins } from "../../emulator/standin/client";
import { terraform, terraformEnv, type TerraformResult } from "../../operator/lib/terraform";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-standin-decide-"));
let standins: Standins;
let env: NodeJS.ProcessEnv;

const REQUIRED = {
  google: { source: "hashicorp/google", version: "6.50.0" },
  cloudflare: { source: "cloudflare/cloudflare", version: "5.14.0" },
  time: { source: "hashicorp/time", version: "0.13.1" },
};

/** A working directory holding `config` (Terraform JSON) with local state; initialised. */
function workdir(name: string, config: Record<string, unknown>): { dir: string; tf: (...args: string[]) => TerraformResult; write: (c: Record<string, unknown>) => void } {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  const write = (c: Record<string, unknown>) =>
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: REQUIRED }, ...c }, null, 2));
  write(config);
  const tf = (...args: string[]) => terraform(args, dir, env);
  const init = tf("init", "-input=false");
  if (init.code !== 0) throw new Error(`terraform init in ${name} failed:\n${init.stderr}`);
  return { dir, tf, write };
}

const GOOGLE = { google: { project: "decide-project", region: "us-east1" } };
const flat = (text: string) => text.replace(/\s+/g, " ");

beforeAll(async () => {
  standins = await startStandins({
    types: {
      google: ["google_service_account", "google_kms_key_ring", "google_kms_crypto_key", "google_sql_database_instance", "data.google_compute_global_address"],
      cloudflare: ["cloudflare_dns_record"],
      time: ["time_sleep"],
    },
  });
  env = { ...terraformEnv(), ...standins.env };
}, 120_000);

afterAll(async () => {
  await standins?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("the review's five refusals, as the providers word them", () => {
  it("google_service_account.account_id \"ab\": ValidateRFC1035Name(6, 30) (resource_google_service_account.go:73, verify/validation.go:176)", () => {
    const { tf } = workdir("account-id", { provider: GOOGLE, resource: { google_service_account: { sa: { account_id: "ab" } } } });
    const run = tf("validate");
    expect(run.code).toBe(1);
    expect(flat(run.stderr)).toContain('Error: "account_id" ("ab") must be between 6 and 30 characters long');
    expect(flat(run.stderr)).toContain("with google_service_account.sa");
  });

  it('a KMS key\'s rotation_period "60s": validateKmsCryptoKeyRotationPeriod (kms/kms_utils.go:155-156)', () => {
    const { tf } = workdir("rotation", {
      provider: GOOGLE,
      resource: {
        google_kms_key_ring: { ring: { name: "ring", location: "us-east1" } },
        google_kms_crypto_key: { key: { name: "key", key_ring: "${google_kms_key_ring.ring.id}", rotation_period: "60s" } },
      },
    });
    const run = tf("validate");
    expect(run.code).toBe(1);
    expect(flat(run.stderr)).toContain("Error: Rotation period must be greater than one day");
  });

  it('Cloud SQL availability_type "BOTH": StringInSlice REGIONAL, ZONAL (resource_sql_database_instance.go:327; sdk helper/validation/strings.go:149)', () => {
    const { tf } = workdir("availability", {
      provider: GOOGLE,
      resource: { google_sql_database_instance: { db: { database_version: "MYSQL_8_0", region: "us-east1", settings: [{ tier: "db-f1-micro", availability_type: "BOTH" }] } } },
    });
    const run = tf("validate");
    expect(run.code).toBe(1);
    expect(flat(run.stderr)).toContain('Error: expected settings.0.availability_type to be one of ["REGIONAL" "ZONAL"], got BOTH');
  });

  it("no project in the resource or the provider: tpgresource.DefaultProviderProject fails the plan (tpgresource/utils.go:861-868, :132)", () => {
    const { tf } = workdir("no-project", { provider: { google: { region: "us-east1" } }, resource: { google_service_account: { sa: { account_id: "no-project-sa" } } } });
    expect(tf("validate").code).toBe(0); // nothing in the configuration is invalid: the missing project is found when planning
    const run = tf("plan", "-input=false");
    expect(run.code).toBe(1);
    expect(flat(run.stderr)).toContain("Error: Failed to retrieve project, pid: , err: project: required field is not set");
  });

  it("a data source for an address nobody created: HandleDataSourceNotFoundError (data_source_google_compute_global_address.go:108-112, transport/transport.go:176-178)", () => {
    const { tf } = workdir("missing-address", {
      provider: GOOGLE,
      data: { google_compute_global_address: { address: { name: "nobody-created-this" } } },
      output: { address: { value: "${data.google_compute_global_address.address.address}" } },
    });
    const run = tf("plan", "-input=false");
    expect(run.code).toBe(1);
    expect(flat(run.stderr)).toContain("Error: projects/decide-project/global/addresses/nobody-created-this not found");
    expect(run.stdout).not.toMatch(/203\.0\.113\./);
  });

  it("the same configurations with valid values pass (the checks can pass)", () => {
    const { tf } = workdir("valid", {
      provider: GOOGLE,
      resource: {
        google_service_account: { sa: { account_id: "valid-account" } },
        google_kms_key_ring: { ring: { name: "ring", location: "us-east1" } },
        google_kms_crypto_key: { key: { name: "key", key_ring: "${google_kms_key_ring.ring.id}", rotation_period: "7776000s" } },
        google_sql_database_instance: { db: { database_version: "MYSQL_8_0", region: "us-east1", settings: [{ tier: "db-f1-micro", availability_type: "REGIONAL" }] } },
      },
    });
    const run = tf("validate");
    expect(`${run.code}\n${run.stderr}`).toMatch(/^0\n/);
  });
});

/** The plan of `dir` as `terraform show -json` prints it: each address's actions and replace paths. */
function planned(tf: (...args: string[]) => TerraformResult): Record<string, { actions: string[]; replace: string[][] }> {
  const plan = tf("plan", "-input=false", "-out=edit.tfplan");
  if (plan.code !== 0) throw new Error(`plan failed:\n${plan.stderr}`);
  const json = JSON.parse(tf("show", "-json", "edit.tfplan").stdout);
  return Object.fromEntries(
    (json.resource_changes ?? []).map((c: any) => [c.address, { actions: c.change.actions, replace: (c.change.replace_paths ?? []).map((p: unknown[]) => p.map(String)) }]),
  );
}

describe("edits planned against applied objects: replacement where the provider forces it, in place elsewhere", () => {
  const base = {
    google_service_account: { sa: { account_id: "first-account", display_name: "First" } },
    google_kms_key_ring: { ring: { name: "ring", location: "us-east1" } },
    google_kms_crypto_key: { key: { name: "first-key", key_ring: "${google_kms_key_ring.ring.id}", rotation_period: "7776000s" } },
    google_sql_database_instance: {
      db: { name: "decide-db", database_version: "MYSQL_8_0", region: "us-east1", deletion_protection: false, settings: [{ tier: "db-f1-micro", disk_size: 20 }] },
    },
    time_sleep: { wait: { create_duration: "1s", triggers: { key: "one" } } },
    cloudflare_dns_record: { record: { zone_id: "0123456789abcdef0123456789abcdef", name: "decide.example.com", type: "A", content: "192.0.2.1", ttl: 300 } },
  };
  let w: ReturnType<typeof workdir>;
  const edit = (change: (r: any) => void): Record<string, { actions: string[]; replace: string[][] }> => {
    const resource = structuredClone(base) as any;
    change(resource);
    w.write({ provider: { ...GOOGLE, cloudflare: {}, time: {} }, resource });
    return planned(w.tf);
  };

  beforeAll(() => {
    w = workdir("edits", { provider: { ...GOOGLE, cloudflare: {}, time: {} }, resource: base });
    const apply = w.tf("apply", "-auto-approve", "-input=false");
    if (apply.code !== 0) throw new Error(`apply failed:\n${apply.stderr}\n${apply.stdout}`);
  }, 180_000);

  it("plans nothing for the unedited configuration (the provider's defaults are in the applied state)", () => {
    const run = w.tf("plan", "-input=false", "-detailed-exitcode");
    expect(`${run.code}\n${run.stdout}`).toMatch(/^0\n[\s\S]*No changes/);
  });

  it("renaming account_id replaces the service account (ForceNew, resource_google_service_account.go:72)", () => {
    const plan = edit((r) => (r.google_service_account.sa.account_id = "second-account"));
    expect(plan["google_service_account.sa"]).toEqual({ actions: ["delete", "create"], replace: [["account_id"]] });
    const text = w.tf("show", "edit.tfplan").stdout;
    expect(text).toMatch(/# google_service_account\.sa must be replaced/);
    expect(text).toMatch(/~ account_id += "first-account" -> "second-account" # forces replacement/);
  });

  it("renaming a KMS key replaces it (ForceNew, resource_kms_crypto_key.go:82)", () => {
    const plan = edit((r) => (r.google_kms_crypto_key.key.name = "second-key"));
    expect(plan["google_kms_crypto_key.key"]).toEqual({ actions: ["delete", "create"], replace: [["name"]] });
  });

  it("moving the SQL instance to another region replaces it (ForceNew, resource_sql_database_instance.go:182)", () => {
    const plan = edit((r) => (r.google_sql_database_instance.db.region = "us-west1"));
    expect(plan["google_sql_database_instance.db"]).toEqual({ actions: ["delete", "create"], replace: [["region"]] });
  });

  it("a smaller SQL disk replaces the instance, a bigger one does not (ForceNewIfChange IsDiskShrinkage, resource_sql_database_instance.go:164)", () => {
    expect(edit((r) => (r.google_sql_database_instance.db.settings[0].disk_size = 10))["google_sql_database_instance.db"]).toEqual({
      actions: ["delete", "create"],
      replace: [["settings", "0", "disk_size"]],
    });
    expect(edit((r) => (r.google_sql_database_instance.db.settings[0].disk_size = 50))["google_sql_database_instance.db"]).toEqual({ actions: ["update"], replace: [] });
  });

  it("a changed time_sleep trigger replaces the sleep (mapplanmodifier.RequiresReplace, time resource_time_sleep.go:101)", () => {
    expect(edit((r) => (r.time_sleep.wait.triggers.key = "two"))["time_sleep.wait"]).toEqual({ actions: ["delete", "create"], replace: [["triggers"]] });
  });

  it("a Cloudflare record's type replaces it (stringplanmodifier.RequiresReplace, dns_record/schema.go:90), its name does not (no plan modifier, :396)", () => {
    expect(edit((r) => (r.cloudflare_dns_record.record.type = "AAAA"))["cloudflare_dns_record.record"]).toMatchObject({ actions: ["delete", "create"], replace: [["type"]] });
    expect(edit((r) => (r.cloudflare_dns_record.record.name = "renamed.example.com"))["cloudflare_dns_record.record"]).toEqual({ actions: ["update"], replace: [] });
  });

  it("edits the provider updates in place stay updates (display_name, rotation_period, tier: no ForceNew at the tag)", () => {
    const plan = edit((r) => {
      r.google_service_account.sa.display_name = "Renamed";
      r.google_kms_crypto_key.key.rotation_period = "8640000s";
      r.google_sql_database_instance.db.settings[0].tier = "db-g1-small";
    });
    expect(plan["google_service_account.sa"]).toEqual({ actions: ["update"], replace: [] });
    expect(plan["google_kms_crypto_key.key"]).toEqual({ actions: ["update"], replace: [] });
    expect(plan["google_sql_database_instance.db"]).toEqual({ actions: ["update"], replace: [] });
  });
});
