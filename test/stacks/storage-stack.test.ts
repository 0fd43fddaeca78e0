import { App, Testing } from "cdktf";
import { ENV_NAMES, loadEnvironments } from "../../config";
import { buildApp } from "../../stacks/app";
import { stateKey } from "../../stacks/backend";
import { EMULATOR_QUIRKS } from "../../stacks/emulator-quirks";
import { AWS_SERVICES, EMULATOR_ACCOUNT_ID } from "../../stacks/target";
import { StorageStack } from "../../stacks/storage-stack";
import { ALL_STACKS, sharedStack, synthStorage, testApp, Synthesized, UNIT_TARGET } from "../support/synth";

const envs = loadEnvironments();

describe.each(ENV_NAMES)("packagecloud-%s-storage", (name) => {
  const env = envs[name];
  const { stack, out } = synthStorage(name);

  it("is named packagecloud-<env>-storage", () => {
    expect(stack.node.id).toBe(`packagecloud-${name}-storage`);
  });

  it("pins its AWS providers to the environment's account and regions, tagging everything", () => {
    const [primary, replica, cdnSetup] = out.json.provider.aws;
    expect(primary).toMatchObject({ region: env.aws.region, allowed_account_ids: [env.aws.accountId] });
    expect(replica).toMatchObject({ alias: "replica", region: env.aws.replicaRegion, allowed_account_ids: [env.aws.accountId] });
    // The CloudFront setup's key, where its Lambda@Edge functions are (issue 29 §3).
    expect(cdnSetup).toMatchObject({ alias: "cdn_setup", region: "us-east-1", allowed_account_ids: [env.aws.accountId] });
    expect(out.json.provider.aws).toHaveLength(3);
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

  it("expires daily backups after the configured days, unless the bucket is adopted with its objects kept; keeps them unlocked", () => {
    expect(out.resource("aws_s3_bucket", "daily_backups_bucket").object_lock_enabled).toBeUndefined();
    const rules = out.resource("aws_s3_bucket_lifecycle_configuration", "daily_backups_bucket_lifecycle").rule;
    // ops adopts gitlab-packagecloud-db-backups with its VM-era backups, kept by default (test/stacks/adoption.test.ts).
    const adoptedAndKept = env.adopt?.buckets?.dailyBackups !== undefined && env.adopt?.existingObjects?.dailyBackups !== "may-expire";
    expect(adoptedAndKept).toBe(name === "ops");
    if (adoptedAndKept) expect(rules.find((r: any) => r.id === "expire-current-versions")).toBeUndefined();
    else expect(rules.find((r: any) => r.id === "expire-current-versions").expiration).toEqual([{ days: env.storage.dailyBackups.expireAfterDays }]);
  });

  it("keeps the application's own statements in the package buckets' policies, and owns every other policy", () => {
    const policies = out.resources("aws_s3_bucket_policy");
    const shared = ["packages_replica_policy", "packages_source_policy"];
    for (const address of shared) expect(policies[address].lifecycle).toEqual({ ignore_changes: ["policy"] });
    for (const [address, policy] of Object.entries(policies)) {
      if (!shared.includes(address)) expect(policy.lifecycle).toBeUndefined();
    }
  });

  it("serves packages from the source bucket in normal operation; SSE-S3, so no key to grant", () => {
    const packages = Synthesized.policy(out.resource("aws_iam_policy", "application_packages_policy").policy);
    expect(packages.Statement.find((x) => x.Sid === "ReadWritePackages").Resource).toBe("${aws_s3_bucket.packages_source.arn}/*");
    expect(packages.Statement.find((x) => x.Sid === "UsePackagesKey")).toBeUndefined();
  });

  it("encrypts both package buckets with SSE-S3, which CloudFront's origin access identity can read", () => {
    for (const name of ["packages_source_encryption", "packages_replica_encryption"]) {
      expect(out.resource("aws_s3_bucket_server_side_encryption_configuration", name).rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
      ]);
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

  it("outputs bucket names and ARNs, key ARNs and identity ARNs (no package keys: SSE-S3)", () => {
    expect(Object.keys(out.json.output).sort()).toEqual(
      expect.arrayContaining([
        "packages_bucket_name", "packages_bucket_arn", "replica_bucket_name", "replica_bucket_arn",
        "app_edge_boundary_arn", "offsite_backups_bucket_name", "offsite_backups_bucket_arn", "daily_backups_bucket_name",
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
    // The package buckets are SSE-S3 (CloudFront OAI): no package keys. The CloudFront setup's key (issue 29 §3).
    expect(Object.keys(out.resources("aws_kms_key")).sort()).toEqual(["alerts_key", "application_setup_key", "backups_key"]);
    expect(Object.keys(out.resources("aws_kms_alias")).sort()).toEqual(["alerts_key_alias", "application_setup_key_alias", "backups_key_alias"]);
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

describe("failover to the replica (storage.packages.serveFrom = replica)", () => {
  const env = { ...envs.ops, storage: { ...envs.ops.storage, packages: { ...envs.ops.storage.packages, serveFrom: "replica" as const } } };
  const failed = new Synthesized(Testing.synth(new StorageStack(testApp(), { env, target: UNIT_TARGET }), true));

  it("moves the application's package rights to the replica bucket, and nothing else", () => {
    const packages = Synthesized.policy(failed.resource("aws_iam_policy", "application_packages_policy").policy);
    expect(packages.Statement.find((x) => x.Sid === "ReadWritePackages").Resource).toBe("${aws_s3_bucket.packages_replica.arn}/*");
    expect(packages.Statement.find((x) => x.Sid === "ManageBucketPolicyStatement").Resource).toBe("${aws_s3_bucket.packages_replica.arn}");
    const normal = sharedStack("ops", "storage").json.resource;
    const changed = Object.entries(failed.json.resource).flatMap(([type, byName]: [string, any]) =>
      Object.keys(byName).filter((name) => JSON.stringify(byName[name]) !== JSON.stringify(normal[type][name])).map((name) => `${type}.${name}`),
    );
    expect(changed).toEqual(["aws_iam_policy.application_packages_policy"]);
    expect(failed.json.output.serving_bucket_name.value).toBe("${aws_s3_bucket.packages_replica.bucket}");
  });
});

describe("state", () => {
  it("is never shared by two stacks or two environments", () => {
    const app: App = testApp();
    buildApp(app, { environments: envs, target: { kind: "aws", remoteState: true } });
    const locations = app.node.children.map((stack: any) => {
      const backend = JSON.parse(Testing.synth(stack, true)).terraform.backend;
      const [kind, config] = Object.entries(backend)[0] as [string, any];
      return `${kind}://${config.bucket}/${config.key ?? config.prefix}`;
    });
    expect(locations).toHaveLength(ENV_NAMES.length * 4);
    expect(new Set(locations).size).toBe(locations.length);
    for (const name of ENV_NAMES) expect(stateKey(envs[name], `packagecloud-${name}-vm`)).toBe(`packagecloud/${name}/packagecloud-${name}-vm.tfstate`);
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
        max_retries: 3, // transport errors retried; unimplemented APIs are kept out of emulator deploys
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
      const named = (o: Synthesized) => Object.entries(o.resources(quirk.resourceType)).filter(([name]) => !quirk.names || quirk.names.test(name)).map(([, r]) => r);
      const inEmulator = emulated.flatMap(named);
      expect(inEmulator.length).toBeGreaterThan(0);
      for (const resource of inEmulator) {
        if (quirk.ignoreChanges) expect(resource.lifecycle).toEqual(expect.objectContaining({ ignore_changes: expect.arrayContaining([...quirk.ignoreChanges]) }));
        for (const [attribute, value] of Object.entries(quirk.overrides ?? {})) expect(resource[attribute]).toEqual(value);
      }
      for (const resource of real.flatMap(named)) {
        for (const ignored of quirk.ignoreChanges ?? []) expect(resource.lifecycle?.ignore_changes ?? []).not.toContain(ignored);
        for (const [attribute, value] of Object.entries(quirk.overrides ?? {})) expect(resource[attribute]).not.toEqual(value);
      }
    }
  });
});
