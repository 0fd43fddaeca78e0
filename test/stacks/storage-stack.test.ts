import { App, Testing } from "cdktf";
import { ENV_NAMES, loadEnvironments } from "../../config";
import { buildApp } from "../../stacks/app";
import { stateKey } from "../../stacks/backend";
import { EMULATOR_QUIRKS } from "../../stacks/emulator-quirks";
import { AWS_SERVICES, EMULATOR_ACCOUNT_ID } from "../../stacks/target";
import { ALL_STACKS, sharedStack, synthStorage, testApp, Synthesized } from "../support/synth";

const envs = loadEnvironments();

describe.each(ENV_NAMES)("packagecloud-%s-storage", (name) => {
  const env = envs[name];
  const { stack, out } = synthStorage(name);

  it("is named packagecloud-<env>-storage", () => {
    expect(stack.node.id).toBe(`packagecloud-${name}-storage`);
  });

  it("pins both AWS providers to the environment's account and regions, tagging everything", () => {
    const [primary, replica] = out.json.provider.aws;
    expect(primary).toMatchObject({ region: env.aws.region, allowed_account_ids: [env.aws.accountId] });
    expect(replica).toMatchObject({ alias: "replica", region: env.aws.replicaRegion, allowed_account_ids: [env.aws.accountId] });
    expect(primary.default_tags).toEqual([{ tags: expect.objectContaining({ Environment: name, Project: "packagecloud" }) }]);
  });

  it("takes every bucket name from the configuration", () => {
    const names = Object.values(out.resources("aws_s3_bucket")).map((b: any) => b.bucket).sort();
    const s = env.storage;
    expect(names).toEqual(
      [
        s.packages.bucketName, s.packages.replicaBucketName, s.offsiteBackups.bucketName, s.dailyBackups.bucketName,
        s.accessLogs.bucketName, s.accessLogs.replicaBucketName,
      ].sort(),
    );
  });

  it("locks offsite backups in the configured mode and period, and expires them after the configured days", () => {
    expect(out.resource("aws_s3_bucket_object_lock_configuration", "offsite_backups_bucket_object_lock").rule).toEqual({
      default_retention: { mode: env.storage.offsiteBackups.objectLock.mode, days: env.storage.offsiteBackups.objectLock.days },
    });
    const rules = out.resource("aws_s3_bucket_lifecycle_configuration", "offsite_backups_bucket_lifecycle").rule;
    expect(rules.find((r: any) => r.id === "expire-current-versions").expiration).toEqual([{ days: env.storage.offsiteBackups.expireAfterDays }]);
  });

  it("expires daily backups after the configured days and keeps them unlocked", () => {
    expect(out.resource("aws_s3_bucket", "daily_backups_bucket").object_lock_enabled).toBeUndefined();
    const rules = out.resource("aws_s3_bucket_lifecycle_configuration", "daily_backups_bucket_lifecycle").rule;
    expect(rules.find((r: any) => r.id === "expire-current-versions").expiration).toEqual([{ days: env.storage.dailyBackups.expireAfterDays }]);
  });

  it("keeps the application's own statements in the package bucket policy, and owns every other policy", () => {
    const policies = out.resources("aws_s3_bucket_policy");
    expect(policies.packages_source_policy.lifecycle).toEqual({ ignore_changes: ["policy"] });
    for (const [address, policy] of Object.entries(policies)) {
      if (address !== "packages_source_policy") expect(policy.lifecycle).toBeUndefined();
    }
  });

  it("logs access to the package and backup buckets, each region into its own log bucket", () => {
    const logging = out.resources("aws_s3_bucket_logging");
    expect(Object.keys(logging).sort()).toEqual([
      "daily_backups_bucket_access_logs", "offsite_backups_bucket_access_logs", "packages_replica_access_logs", "packages_source_access_logs",
    ]);
    expect(logging.packages_replica_access_logs.target_bucket).toBe("${aws_s3_bucket.replica_access_logs.id}");
    expect(logging.packages_replica_access_logs.provider).toBe("aws.replica");
    expect(logging.packages_source_access_logs.target_bucket).toBe("${aws_s3_bucket.access_logs.id}");
  });

  it("scopes the application's Lambda@Edge rights to the configured prefix and role", () => {
    const cdn = Synthesized.policy(out.resource("aws_iam_policy", "application_cdn_policy").policy);
    const pass = cdn.Statement.find((s) => s.Sid === "PassEdgeRoleToLambdaOnly");
    expect(pass.Resource).toBe(`arn:aws:iam::${env.aws.accountId}:role/${env.application.edgeLambdaRoleName}`);
    const functions = cdn.Statement.find((s) => s.Sid === "ManageEdgeFunctions");
    expect(functions.Resource[0]).toBe(`arn:aws:lambda:us-east-1:${env.aws.accountId}:function:${env.application.edgeFunctionPrefix}*`);
  });

  it("outputs bucket names and ARNs, key ARNs and identity ARNs", () => {
    expect(Object.keys(out.json.output).sort()).toEqual(
      expect.arrayContaining([
        "packages_bucket_name", "packages_bucket_arn", "packages_key_arn", "replica_bucket_name", "replica_bucket_arn",
        "replica_key_arn", "offsite_backups_bucket_name", "offsite_backups_bucket_arn", "daily_backups_bucket_name",
        "daily_backups_bucket_arn", "backups_key_arn", "replication_role_arn", "offsite_backups_uploader_role_arn", "app_user_arn",
      ]),
    );
  });

  // Stateful resources: renaming one of these addresses would destroy and recreate it (or fail on
  // prevent_destroy). A rename must come with a `moved` block, and this list changes in the same review.
  it("keeps the Terraform addresses of its stateful resources", () => {
    expect(Object.keys(out.resources("aws_s3_bucket")).sort()).toEqual([
      "access_logs", "daily_backups_bucket", "offsite_backups_bucket", "packages_replica", "packages_source", "replica_access_logs",
    ]);
    expect(Object.keys(out.resources("aws_kms_key")).sort()).toEqual(["alerts_key", "backups_key", "packages_replica_key", "packages_source_key"]);
  });

  it("has no backend in unit synth, and an S3 backend with native locking for real deploys", () => {
    expect(out.json.terraform.backend).toBeUndefined();
    const real = synthStorage(name, { kind: "aws", remoteState: true }).out.json.terraform.backend;
    expect(real).toEqual({
      s3: {
        bucket: env.state.bucket,
        key: `packagecloud/${name}/packagecloud-${name}-storage.tfstate`,
        region: env.state.region,
        encrypt: true,
        use_lockfile: true,
      },
    });
  });
});

describe("state keys", () => {
  it("differ for every environment and stack", () => {
    const keys = ENV_NAMES.map((name) => stateKey(envs[name], `packagecloud-${name}-storage`));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("emulator target", () => {
  const endpoint = "http://127.0.0.1:5999";
  const app: App = testApp();
  buildApp(app, { environments: envs, target: { kind: "emulator", endpoint, stateDir: "/tmp/state" } });
  const stack = app.node.findChild("packagecloud-pre-storage") as any;
  const out = new Synthesized(Testing.synth(stack, true));

  it("points every AWS service the stacks use at the emulator, as the emulator's account", () => {
    for (const provider of out.json.provider.aws) {
      expect(provider.endpoints).toEqual([Object.fromEntries(AWS_SERVICES.map((s) => [s, endpoint]))]);
      expect(provider).toMatchObject({
        allowed_account_ids: [EMULATOR_ACCOUNT_ID],
        s3_use_path_style: true,
        skip_credentials_validation: true,
        skip_requesting_account_id: false,
        max_retries: 1,
      });
    }
  });

  it("keeps state in a local file per stack", () => {
    expect(out.json.terraform.backend).toEqual({ local: { path: "/tmp/state/packagecloud-pre-storage.tfstate" } });
  });

  it("applies each emulator quirk, and only on the emulator target", () => {
    const emulated = [out, new Synthesized(Testing.synth(app.node.findChild("packagecloud-pre-vm") as any, true))];
    const real = ALL_STACKS.map(([env, layer]) => sharedStack(env, layer));
    for (const quirk of EMULATOR_QUIRKS) {
      const inEmulator = emulated.flatMap((o) => Object.values(o.resources(quirk.resourceType)));
      expect(inEmulator.length).toBeGreaterThan(0);
      for (const resource of inEmulator) {
        if (quirk.ignoreChanges) expect(resource.lifecycle).toEqual(expect.objectContaining({ ignore_changes: [...quirk.ignoreChanges] }));
        for (const [attribute, value] of Object.entries(quirk.overrides ?? {})) expect(resource[attribute]).toEqual(value);
      }
      for (const resource of real.flatMap((o) => Object.values(o.resources(quirk.resourceType)))) {
        expect(resource.lifecycle?.ignore_changes).toBeUndefined();
        for (const [attribute, value] of Object.entries(quirk.overrides ?? {})) expect(resource[attribute]).not.toEqual(value);
      }
    }
  });
});
