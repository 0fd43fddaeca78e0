/**
 * What every principal the storage and VM stacks create must and must not be able to do, decided by an IAM policy
 * evaluation engine (@cloud-copilot/iam-simulate; test/support/iam-world.ts) over every policy that applies to the
 * request: identity policies, permission boundary, bucket policy, KMS key policy, trust policy. The result is what
 * AWS's evaluation logic decides, not what one document says.
 */
import { EDGE_REGION, EDGE_ROLE_POLICY_ARN } from "../../constructs/application-identity";
import { vmSecretParameter } from "../../constructs/vm-config";
import { VM_CONFIG_KEY } from "../../constructs/vm-config";
import { ENV_NAMES, type EnvName } from "../../config";
import { STS_AUDIENCE } from "../../constructs/gke-aws-federation";
import { gkeRoleNames } from "../../backup/jobs";
import { defaultKeyPolicy, iamWorld, type Principal, type Target } from "../support/iam-world";

type Row = { who: string; can: boolean; action: string; on: string; context?: Record<string, string | string[]> };

describe.each(ENV_NAMES as readonly EnvName[])("who can do what in %s", (envName) => {
  const world = iamWorld(envName);
  const { env, accountId, principals: p } = world;
  const storage = world.stacks.storage;
  const vmOut = world.stacks.vm;
  const other = env.aws.region === "eu-west-1" ? "us-east-2" : "eu-west-1";

  const packages = world.bucket(storage, env.storage.packages.serveFrom === "replica" ? "packages_replica" : "packages_source");
  const offsite = world.bucket(storage, "offsite_backups_bucket");
  const daily = world.bucket(storage, "daily_backups_bucket");
  const source = world.bucket(storage, "packages_source");
  const replica = world.bucket(storage, "packages_replica");
  const configBucket = world.bucket(vmOut, "vm_config_bucket");
  const backupsKey = world.key(storage, "backups_key");
  const setupKeyTarget = world.key(storage, "application_setup_key");
  const diskKey = world.key(vmOut, "disk_key");
  const app = env.application;

  const targets: Record<string, Target> = {
    "a package": { arn: `${packages.arn}/pool/main/p/pkg.deb`, policy: packages.policy },
    "the package bucket": { arn: packages.arn, policy: packages.policy },
    "an offsite backup": { arn: `${offsite.arn}/${env.storage.offsiteBackups.prefix}db.xbstream.age`, policy: offsite.policy },
    "the offsite bucket": { arn: offsite.arn, policy: offsite.policy },
    "a daily backup": { arn: `${daily.arn}/${env.storage.dailyBackups.prefix}db.xbstream`, policy: daily.policy },
    "a source package version": { arn: `${source.arn}/pool/p.deb`, policy: source.policy },
    "a replica package version": { arn: `${replica.arn}/pool/p.deb`, policy: replica.policy },
    "the backups key": backupsKey,
    "the disk key": diskKey,
    "the VM bundle": { arn: `${configBucket.arn}/${VM_CONFIG_KEY}`, policy: configBucket.policy },
    "another object in the VM bucket": { arn: `${configBucket.arn}/other.json`, policy: configBucket.policy },
    "the VM's apt secret": { arn: `arn:aws:ssm:${env.aws.region}:${accountId}:parameter${vmSecretParameter(env.name, "apt-auth")}` },
    "another team's parameter": { arn: `arn:aws:ssm:${env.aws.region}:${accountId}:parameter/other-team/database-password` },
    // Under the default key policy, untagged: exactly what another team's key looks like.
    "another team's key in another region": { arn: `arn:aws:kms:${other}:${accountId}:key/0a1b2c3d-other-team`, policy: defaultKeyPolicy(accountId) },
    "another team's key in the setup region": { arn: `arn:aws:kms:${app.cdnSetup.region}:${accountId}:key/0a1b2c3d-other-team`, policy: defaultKeyPolicy(accountId) },
    // Terraform's key for the CloudFront setup, with its key policy, in the setup's region.
    "the setup's key": setupKeyTarget,
    "the setup's key alias": { arn: `arn:aws:kms:${app.cdnSetup.region}:${accountId}:alias/${app.cdnSetup.keyAlias}` },
    "another alias": { arn: `arn:aws:kms:${app.cdnSetup.region}:${accountId}:alias/other-team` },
    // Creations AWS authorizes against "*" only (no resource type in the Service Authorization Reference).
    "a new resource": { arn: "*" },
    "the edge role": { arn: `arn:aws:iam::${accountId}:role/${app.edgeLambdaRoleName}` },
    "another role": { arn: `arn:aws:iam::${accountId}:role/other-team-admin` },
    "an edge function": { arn: `arn:aws:lambda:${EDGE_REGION}:${accountId}:function:${app.edgeFunctionPrefix}` },
    "another function": { arn: `arn:aws:lambda:${EDGE_REGION}:${accountId}:function:other-team` },
    "a distribution": { arn: `arn:aws:cloudfront::${accountId}:distribution/E2EXAMPLE` },
  };
  // What a key's aliases say in a request (kms:ResourceAliases): the setup's key carries the setup's alias; another
  // team's key its own, or, once someone moved the setup's alias onto it, the setup's.
  const setupKey = { "kms:ResourceAliases": [`alias/${app.cdnSetup.keyAlias}`] };
  const otherKey = { "kms:ResourceAliases": ["alias/other-team"] };
  const otherKeyUnderSetupAlias = { "kms:ResourceAliases": ["alias/other-team", `alias/${app.cdnSetup.keyAlias}`] };

  const rows: Record<string, readonly Row[]> = {
    application: [
      { who: "application", can: true, action: "s3:PutObject", on: "a package" },
      { who: "application", can: true, action: "s3:GetObject", on: "a package" },
      { who: "application", can: true, action: "s3:DeleteObject", on: "a package" },
      { who: "application", can: true, action: "s3:PutBucketPolicy", on: "the package bucket" },
      // Each CloudFront setup task ("AWS CloudFront Setup", "Required AWS Permissions").
      { who: "application", can: true, action: "iam:CreateRole", on: "the edge role" },
      { who: "application", can: true, action: "iam:AttachRolePolicy", on: "the edge role", context: { "iam:PolicyARN": EDGE_ROLE_POLICY_ARN } },
      { who: "application", can: true, action: "iam:PassRole", on: "the edge role", context: { "iam:PassedToService": "edgelambda.amazonaws.com" } },
      // The setup's key is Terraform's (issue 29 §3): the setup finds it by its alias and encrypts with it.
      { who: "application", can: true, action: "kms:ListAliases", on: "a new resource" },
      { who: "application", can: true, action: "kms:DescribeKey", on: "the setup's key", context: setupKey },
      { who: "application", can: true, action: "kms:Encrypt", on: "the setup's key", context: setupKey },
      { who: "application", can: true, action: "kms:GetKeyPolicy", on: "the setup's key", context: setupKey },
      { who: "application", can: true, action: "lambda:CreateFunction", on: "an edge function" },
      { who: "application", can: true, action: "cloudfront:CreateCloudFrontOriginAccessIdentity", on: "a new resource" },
      { who: "application", can: true, action: "cloudfront:CreateDistribution", on: "a new resource" },
      // No rights on what it did not create.
      { who: "application", can: false, action: "kms:PutKeyPolicy", on: "another team's key in another region" },
      { who: "application", can: false, action: "kms:PutKeyPolicy", on: "another team's key in the setup region", context: otherKey },
      { who: "application", can: false, action: "kms:Encrypt", on: "another team's key in the setup region", context: otherKey },
      // The alias takeover, step by step (issue 29 §3): put the setup's alias on another team's key (create it
      // there, or move it there), then rewrite that key's policy, which alias-based rights would now reach. Each
      // step is denied; so is every way to make or administer a key.
      { who: "application", can: false, action: "kms:CreateAlias", on: "another team's key in the setup region", context: otherKey },
      { who: "application", can: false, action: "kms:CreateAlias", on: "the setup's key alias" },
      { who: "application", can: false, action: "kms:UpdateAlias", on: "another team's key in the setup region", context: otherKey },
      { who: "application", can: false, action: "kms:UpdateAlias", on: "the setup's key alias" },
      { who: "application", can: false, action: "kms:PutKeyPolicy", on: "another team's key in the setup region", context: otherKeyUnderSetupAlias },
      { who: "application", can: false, action: "kms:Encrypt", on: "another team's key in the setup region", context: otherKeyUnderSetupAlias },
      { who: "application", can: false, action: "kms:CreateKey", on: "a new resource", context: { "aws:RequestedRegion": app.cdnSetup.region } },
      { who: "application", can: false, action: "kms:DeleteAlias", on: "the setup's key alias" },
      { who: "application", can: false, action: "kms:PutKeyPolicy", on: "the setup's key", context: setupKey },
      { who: "application", can: false, action: "kms:ScheduleKeyDeletion", on: "the setup's key", context: setupKey },
      { who: "application", can: false, action: "kms:TagResource", on: "the setup's key", context: setupKey },
      { who: "application", can: false, action: "kms:Decrypt", on: "the setup's key", context: setupKey },
      { who: "application", can: false, action: "kms:CreateAlias", on: "the backups key" },
      { who: "application", can: false, action: "kms:CreateAlias", on: "another alias" },
      { who: "application", can: false, action: "kms:PutKeyPolicy", on: "the backups key" },
      { who: "application", can: false, action: "kms:Decrypt", on: "the backups key" },
      { who: "application", can: false, action: "iam:CreateRole", on: "another role" },
      { who: "application", can: false, action: "iam:PassRole", on: "the edge role", context: { "iam:PassedToService": "ec2.amazonaws.com" } },
      { who: "application", can: false, action: "lambda:UpdateFunctionCode", on: "another function" },
      { who: "application", can: false, action: "s3:GetObject", on: "an offsite backup" },
    ],
    backups: [
      // The VM holds the uploader and the reader together: it must still put and read back.
      ...(["vm", "offsiteUploader", "gkeBackup"] as const).map((who) => ({ who, can: true, action: "s3:PutObject", on: "an offsite backup" })),
      ...(["vm", "gkeRestore"] as const).map((who) => ({ who, can: true, action: "s3:GetObject", on: "an offsite backup" })),
      { who: "vm", can: true, action: "s3:PutObject", on: "a daily backup" },
      { who: "vm", can: true, action: "kms:GenerateDataKey", on: "the backups key" },
      { who: "gkeRestore", can: false, action: "s3:PutObject", on: "an offsite backup" },
      { who: "gkeBackup", can: false, action: "s3:GetObject", on: "an offsite backup" },
      // Never delete, unlock or shorten retention, alone or combined.
      ...(["vm", "offsiteUploader", "gkeBackup", "gkeRestore"] as const).flatMap((who) =>
        ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention", "s3:PutObjectRetention", "s3:PutObjectLegalHold"].map((action) => ({ who, can: false, action, on: "an offsite backup" })),
      ),
      ...(["vm", "offsiteUploader"] as const).flatMap((who) =>
        ["s3:PutBucketObjectLockConfiguration", "s3:PutLifecycleConfiguration", "s3:PutBucketPolicy", "s3:DeleteBucket"].map((action) => ({ who, can: false, action, on: "the offsite bucket" })),
      ),
    ],
    vm: [
      { who: "vm", can: true, action: "s3:GetObject", on: "the VM bundle" },
      { who: "vm", can: true, action: "kms:Decrypt", on: "the disk key", context: { "kms:ViaService": `s3.${env.aws.region}.amazonaws.com` } },
      { who: "vm", can: true, action: "ssm:GetParameter", on: "the VM's apt secret" },
      { who: "vm", can: false, action: "s3:GetObject", on: "another object in the VM bucket" },
      { who: "vm", can: false, action: "s3:PutObject", on: "the VM bundle" },
      { who: "vm", can: false, action: "kms:Decrypt", on: "the disk key" },
      { who: "vm", can: false, action: "ssm:GetParameter", on: "another team's parameter" },
    ],
    replication: [
      { who: "replication", can: true, action: "s3:GetObjectVersionForReplication", on: "a source package version" },
      { who: "replication", can: true, action: "s3:ReplicateObject", on: "a replica package version" },
      { who: "replication", can: false, action: "s3:ReplicateDelete", on: "a replica package version" },
      { who: "replication", can: false, action: "s3:DeleteObjectVersion", on: "a replica package version" },
      { who: "replication", can: false, action: "s3:GetObject", on: "an offsite backup" },
    ],
  };

  const principal = (who: string): Principal => (p as Record<string, Principal>)[who];
  for (const [group, table] of Object.entries(rows)) {
    it.each(table.map((r) => [`${r.who} ${r.can ? "can" : "cannot"} ${r.action} on ${r.on}${r.context ? ` (${JSON.stringify(r.context)})` : ""}`, r] as const))(
      `${group}: %s`,
      async (_, row) => {
        const decision = await world.decide(principal(row.who), row.action, targets[row.on], row.context);
        expect(decision === "Allowed").toBe(row.can);
      },
    );
  }

  describe("web identity: each GKE role only from its own service account", () => {
    const roles = gkeRoleNames(env);
    const issuer = world.resolve(storage)("${aws_iam_openid_connect_provider.gke_federation_provider.arn}");
    const host = issuer.split("oidc-provider/")[1];
    const sa = (ns: string, name: string) => `system:serviceaccount:${ns}:${name}`;
    const job = env.backupJob.kubernetes;
    const subjects = {
      gkeBackup: sa(job.namespace, job.backupServiceAccount),
      gkeRestore: sa(job.namespace, job.restoreServiceAccount),
      gkeApp: sa(env.gcp.workload.namespace, env.gcp.workload.serviceAccount),
    } as const;
    const trust = { gkeBackup: p.gkeBackup.trust, gkeRestore: p.gkeRestore.trust, gkeApp: p.gkeApp.trust };
    const names = { gkeBackup: roles.backup, gkeRestore: roles.restore, gkeApp: roles.app };
    for (const [role, policy] of Object.entries(trust) as [keyof typeof trust, any][]) {
      for (const [subject, sub] of Object.entries(subjects) as [keyof typeof subjects, string][]) {
        it(`${role} is assumable by ${subject}'s token: ${role === subject}`, async () => {
          // iam-simulate (0.1.173) takes an OIDC condition key for sts:AssumeRoleWithWebIdentity only for the
          // providers its action data names (accounts.google.com, …; unknown ones land in ignoredContextKeys and
          // every condition on them fails), while AWS keys the conditions by the provider's whole URL, path
          // included. Renaming the issuer consistently, in the trust policy and in the request, keeps the decision.
          const alias = "accounts.google.com";
          const renamed = JSON.parse(JSON.stringify(policy).split(host).join(alias));
          const decision = await world.decide(
            { name: "web identity", arn: `arn:aws:iam::${accountId}:oidc-provider/${alias}`, identity: {} },
            "sts:AssumeRoleWithWebIdentity",
            { arn: `arn:aws:iam::${accountId}:role/${names[role]}`, policy: renamed },
            { [`${alias}:sub`]: sub, [`${alias}:aud`]: STS_AUDIENCE },
          );
          expect(decision === "Allowed").toBe(role === subject);
        });
      }
    }
  });

  describe("the alias takeover (issue 29 §3): the table's rows can fail", () => {
    const foreign = targets["another team's key in the setup region"];
    // The application's KMS statements before issue 29, copied by hand from the previous construct: CreateAlias on
    // any key of the setup region not tagged ManagedBy=terraform, and alias-scoped management. The engine allowed
    // both steps of the takeover under them; the same two requests are the Denied rows above.
    const before: Principal = {
      name: "application (before)",
      arn: p.application.arn,
      identity: {
        cdn: {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "AliasSetupKey",
              Effect: "Allow",
              Action: "kms:CreateAlias",
              Resource: [`arn:aws:kms:${app.cdnSetup.region}:${accountId}:alias/${app.cdnSetup.keyAlias}`, `arn:aws:kms:${app.cdnSetup.region}:${accountId}:key/*`],
              Condition: { StringNotEqualsIfExists: { "aws:ResourceTag/ManagedBy": "terraform" } },
            },
            {
              Sid: "ManageSetupKey",
              Effect: "Allow",
              Action: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:Encrypt", "kms:EnableKeyRotation", "kms:TagResource"],
              Resource: `arn:aws:kms:${app.cdnSetup.region}:${accountId}:key/*`,
              Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/${app.cdnSetup.keyAlias}` } },
            },
          ],
        },
      },
    };

    it("allowed both steps under the previous policy", async () => {
      expect(await world.decide(before, "kms:CreateAlias", foreign, otherKey)).toBe("Allowed");
      expect(await world.decide(before, "kms:PutKeyPolicy", foreign, otherKeyUnderSetupAlias)).toBe("Allowed");
    });

    it("denies both steps now", async () => {
      expect(await world.decide(p.application, "kms:CreateAlias", foreign, otherKey)).not.toBe("Allowed");
      expect(await world.decide(p.application, "kms:PutKeyPolicy", foreign, otherKeyUnderSetupAlias)).not.toBe("Allowed");
    });

    it("keeps the application from administering the setup key through its key policy, whatever IAM grants it later", async () => {
      const everything = { anything: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] } };
      const broadApp: Principal = { name: "application with kms:*", arn: p.application.arn, identity: everything };
      const gkeApp: Principal = { name: "GKE app role with kms:*", arn: p.gkeApp.arn, identity: everything };
      const admin: Principal = { name: "an administrator", arn: `arn:aws:iam::${accountId}:role/administrator`, identity: everything };
      for (const who of [broadApp, gkeApp]) {
        expect(await world.decide(who, "kms:PutKeyPolicy", targets["the setup's key"], setupKey)).toBe("ExplicitlyDenied");
        expect(await world.decide(who, "kms:ScheduleKeyDeletion", targets["the setup's key"], setupKey)).toBe("ExplicitlyDenied");
      }
      // The Deny is what refuses: an administrator with the same grant may (Terraform's own identity among them).
      expect(await world.decide(admin, "kms:PutKeyPolicy", targets["the setup's key"], setupKey)).toBe("Allowed");
    });
  });

  describe("the edge role, whatever policy the application gives it, stays inside its boundary", () => {
    // The worst the application can do: attach a policy of its own that allows everything.
    const edge: Principal = {
      name: app.edgeLambdaRoleName,
      arn: `arn:aws:iam::${accountId}:role/${app.edgeLambdaRoleName}`,
      identity: { anything: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } },
      boundary: world.policyByArn(`arn:aws:iam::${accountId}:policy/packagecloud-${env.name}-edge-boundary`),
    };
    const logGroup = `arn:aws:logs:eu-west-1:${accountId}:log-group:/aws/lambda/${EDGE_REGION}.${app.edgeFunctionPrefix}:log-stream:x`;
    it.each([
      [true, "logs:PutLogEvents", { arn: logGroup }, {}],
      [true, "kms:Decrypt", targets["the setup's key"], setupKey],
      [false, "kms:Decrypt", targets["another team's key in another region"], {}],
      [false, "kms:Decrypt", targets["the backups key"], {}],
      [false, "s3:GetObject", targets["an offsite backup"], {}],
      [false, "iam:CreateUser", { arn: `arn:aws:iam::${accountId}:user/x` }, {}],
    ] as const)("allowed %s: %s on %j", async (can, action, target, context) => {
      expect((await world.decide(edge, action, target as Target, context as any)) === "Allowed").toBe(can);
    });
  });
});
