/**
 * The IAM world of one environment as AWS would hold it after an apply: every principal the storage and VM stacks
 * create, with the policies that apply to its requests (identity policies, permission boundary), and every resource
 * policy (bucket policies, KMS key policies, role trust policies), read from the synthesized stacks. References
 * between resources (`${aws_s3_bucket.x.arn}`) are resolved to the ARNs AWS would assign; KMS keys get stand-in ids.
 * Requests are decided by @cloud-copilot/iam-simulate (AGPL-3.0, a test-only devDependency: docs/testing.md), which
 * evaluates identity, boundary and resource policies together as AWS's policy evaluation logic does.
 *
 * @example
 *   const world = iamWorld("ops");
 *   await world.decide(world.principals.application, "kms:PutKeyPolicy", otherTeamsKey)  // "ImplicitlyDenied"
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { loadEnvironments, type EnvName } from "../../config";
import { SSM_MANAGED_INSTANCE_CORE } from "../../constructs/packagecloud-vm";
import { sharedStack, type Synthesized } from "./synth";

type Policy = { Version: string; Statement: any[] };

export interface Principal {
  readonly name: string;
  readonly arn: string;
  readonly identity: Record<string, Policy>;
  readonly boundary?: Policy;
}

export interface Target {
  readonly arn: string;
  /** The resource's policy (bucket policy, key policy, trust policy); @default - none */
  readonly policy?: Policy;
  /** Its tags, as aws:ResourceTag/<key>. @default - none */
  readonly tags?: Record<string, string>;
}

/** The default key policy KMS gives a key created without one: the account administers it through IAM. */
export const defaultKeyPolicy = (accountId: string): Policy => ({
  Version: "2012-10-17",
  Statement: [{ Sid: "EnableIamUserPermissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" }],
});

/**
 * AmazonSSMManagedInstanceCore, version v3, as the AWS Managed Policy Reference prints it
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html): the VM role
 * carries it, so its ssm:GetParameter on "*" is part of what the VM can do.
 */
export const SSM_MANAGED_INSTANCE_CORE_POLICY: Policy = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: [
        "ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument", "ssm:DescribeDocument", "ssm:GetManifest",
        "ssm:GetParameter", "ssm:GetParameters", "ssm:ListAssociations", "ssm:ListInstanceAssociations", "ssm:PutInventory",
        "ssm:PutComplianceItems", "ssm:PutConfigurePackageResult", "ssm:UpdateAssociationStatus", "ssm:UpdateInstanceAssociationStatus",
        "ssm:UpdateInstanceInformation",
      ],
      Resource: "*",
    },
    { Effect: "Allow", Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], Resource: "*" },
    { Effect: "Allow", Action: ["ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply"], Resource: "*" },
  ],
};

export function iamWorld(envName: EnvName) {
  const env = loadEnvironments()[envName];
  const accountId = env.aws.accountId;
  const stacks = { storage: sharedStack(envName, "storage"), vm: sharedStack(envName, "vm") };

  const regionOf = (resource: any) =>
    resource.provider === "aws.replica" ? env.aws.replicaRegion : resource.provider === "aws.cdn_setup" ? env.application.cdnSetup.region : env.aws.region;
  const resolveIn = (out: Synthesized) => (text: string): string =>
    text.replace(/\$\{(aws_[a-z0-9_]+)\.([a-z0-9_]+)\.(arn|bucket|id|name)\}/g, (whole, type: string, name: string, attr: string) => {
      const r = out.resource(type, name);
      switch (type) {
        case "aws_s3_bucket":
          return attr === "arn" ? `arn:aws:s3:::${r.bucket}` : r.bucket;
        case "aws_kms_key":
          return `arn:aws:kms:${regionOf(r)}:${accountId}:key/${name.replace(/_/g, "-")}`;
        case "aws_iam_policy":
          return attr === "arn" ? `arn:aws:iam::${accountId}:policy/${r.name}` : r.name;
        case "aws_iam_role":
          return attr === "arn" ? `arn:aws:iam::${accountId}:role/${r.name}` : r.name;
        case "aws_iam_openid_connect_provider":
          return `arn:aws:iam::${accountId}:oidc-provider/${r.url.replace(/^https:\/\//, "")}`;
        default:
          throw new Error(`iam-world: cannot resolve ${whole}`);
      }
    });
  const parse = (out: Synthesized, text: string): Policy => JSON.parse(resolveIn(out)(text));

  /** Every customer managed policy of both stacks, by ARN. */
  const managed: Record<string, Policy> = { [SSM_MANAGED_INSTANCE_CORE]: SSM_MANAGED_INSTANCE_CORE_POLICY };
  for (const out of Object.values(stacks)) {
    for (const p of Object.values<any>(out.resources("aws_iam_policy"))) managed[`arn:aws:iam::${accountId}:policy/${p.name}`] = parse(out, p.policy);
  }
  const policyByArn = (arn: string) => {
    const found = managed[arn];
    if (!found) throw new Error(`iam-world: no policy ${arn} in the stacks`);
    return found;
  };

  /** A role of a stack, by Terraform name: its attached and inline policies, its trust policy. */
  const role = (out: Synthesized, tfName: string): Principal & { trust: Policy } => {
    const r = out.resource("aws_iam_role", tfName);
    const ref = (v: string) => v === `\${aws_iam_role.${tfName}.name}` || v === `\${aws_iam_role.${tfName}.id}`;
    const identity: Record<string, Policy> = {};
    for (const a of Object.values<any>(out.resources("aws_iam_role_policy_attachment")).filter((a) => ref(a.role))) {
      const arn = resolveIn(out)(a.policy_arn);
      identity[arn.split("/").pop()!] = policyByArn(arn);
    }
    for (const p of Object.values<any>(out.resources("aws_iam_role_policy")).filter((p) => ref(p.role))) identity[`inline:${p.name}`] = parse(out, p.policy);
    return { name: r.name, arn: `arn:aws:iam::${accountId}:role/${r.name}`, identity, trust: parse(out, r.assume_role_policy) };
  };

  const user = (out: Synthesized, tfName: string): Principal => {
    const u = out.resource("aws_iam_user", tfName);
    const groups = Object.values<any>(out.resources("aws_iam_user_group_membership"))
      .filter((m) => m.user === `\${aws_iam_user.${tfName}.name}`)
      .flatMap((m) => m.groups as string[]);
    const identity: Record<string, Policy> = {};
    for (const a of Object.values<any>(out.resources("aws_iam_group_policy_attachment")).filter((a) => groups.includes(a.group))) {
      const arn = resolveIn(out)(a.policy_arn);
      identity[arn.split("/").pop()!] = policyByArn(arn);
    }
    return { name: u.name, arn: `arn:aws:iam::${accountId}:user/${u.name}`, identity };
  };

  const bucket = (out: Synthesized, tfName: string) => {
    const b = out.resource("aws_s3_bucket", tfName);
    const policy = Object.values<any>(out.resources("aws_s3_bucket_policy")).find((p) => p.bucket === `\${aws_s3_bucket.${tfName}.id}`);
    return { name: b.bucket as string, arn: `arn:aws:s3:::${b.bucket}`, policy: policy ? parse(out, policy.policy) : undefined };
  };
  const key = (out: Synthesized, tfName: string): Target => {
    const k = out.resource("aws_kms_key", tfName);
    return {
      arn: resolveIn(out)(`\${aws_kms_key.${tfName}.arn}`),
      policy: k.policy ? parse(out, k.policy) : defaultKeyPolicy(accountId),
      // The providers' default_tags (stacks/aws-provider.ts) tag every key ManagedBy=terraform.
      tags: { ManagedBy: "terraform" },
    };
  };

  const { storage, vm } = stacks;
  const principals = {
    application: user(storage, "application_user"),
    vm: role(vm, "vm_role"),
    offsiteUploader: role(storage, "offsite_backups_uploader_role"),
    replication: role(storage, "packages_replication_role"),
    gkeBackup: role(storage, "gke_federation_backup_role"),
    gkeRestore: role(storage, "gke_federation_restore_role"),
    gkeApp: role(storage, "gke_federation_app_role"),
  };

  async function decide(principal: Principal, action: string, target: Target, context: Record<string, string | string[]> = {}): Promise<string> {
    const tags = Object.fromEntries(Object.entries(target.tags ?? {}).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
    const result = await runSimulation(
      {
        request: {
          principal: principal.arn,
          action,
          resource: { resource: target.arn, accountId },
          // Every request of these principals uses TLS (the buckets' DenyInsecureTransport is tested separately).
          // aws:PrincipalArn is in every request AWS authorizes (IAM global condition keys; for a role's session,
          // the role's ARN); the engine does not derive it from the principal.
          contextVariables: { "aws:SecureTransport": "true", "aws:PrincipalAccount": accountId, "aws:PrincipalArn": principal.arn, ...tags, ...context },
        },
        identityPolicies: Object.entries(principal.identity).map(([name, policy]) => ({ name, policy })),
        permissionBoundaryPolicies: principal.boundary ? [{ name: "boundary", policy: principal.boundary }] : undefined,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: target.policy,
      },
      {},
    );
    if (result.resultType === "error") throw new Error(`iam-simulate refused ${action} on ${target.arn}: ${JSON.stringify(result.errors)}`);
    // A context key the engine does not know for this action is dropped silently, and every condition on it then
    // fails: a row whose own context was dropped would pass or fail for the wrong reason.
    const ignored = result.resultType === "single" ? (result.result.ignoredContextKeys ?? []) : [];
    const dropped = ignored.filter((k: string) => Object.keys(context).some((c) => c.toLowerCase() === k.toLowerCase()));
    if (dropped.length > 0) throw new Error(`iam-simulate ignored ${dropped.join(", ")} for ${action}: the row tests nothing`);
    return result.overallResult;
  }

  return { env, accountId, stacks, principals, bucket, key, role, resolve: resolveIn, decide, policyByArn };
}
