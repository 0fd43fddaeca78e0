/**
 * The application identity against packagecloud:enterprise's documented CloudFront setup ("AWS CloudFront Setup",
 * "Required AWS Permissions": https://packagecloud.atlassian.net/wiki/spaces/ENTERPRISE/pages/501972993/AWS+CloudFront+Setup)
 * and the AWS documents behind each task: every call the setup makes is allowed, scoped as far as AWS allows,
 * and nothing Terraform owns is reachable.
 */
import { CLOUDFRONT_SETUP_TASKS, EDGE_ROLE_POLICY_ARN } from "../../constructs/application-identity";
import { loadEnvironments } from "../../config";
import { sharedStack, Synthesized } from "../support/synth";

const env = loadEnvironments().ops;
const account = env.aws.accountId;
const out = sharedStack("ops", "storage");
const cdn = Synthesized.policy(out.resource("aws_iam_policy", "application_cdn_policy").policy).Statement;
const packages = Synthesized.policy(out.resource("aws_iam_policy", "application_packages_policy").policy).Statement;
const statements = [...cdn, ...packages];

const glob = (pattern: string, value: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(value);

/** Sids of the Allow statements that grant `action` on `resource` (conditions are checked by the tests that care). */
function grants(action: string, resource: string): string[] {
  return statements
    .filter((s) => s.Effect === "Allow")
    .filter((s) => [s.Action].flat().some((a: string) => glob(a, action)) && [s.Resource].flat().some((r: string) => glob(r, resource)))
    .map((s) => s.Sid);
}

const fn = (suffix = "") => `arn:aws:lambda:us-east-1:${account}:function:${env.application.edgeFunctionPrefix}${suffix}`;
const role = `arn:aws:iam::${account}:role/${env.application.edgeLambdaRoleName}`;
/** The setup's key, which Terraform creates (its ARN is a reference in the synthesized policy). */
const setupKey = "${aws_kms_key.application_setup_key.arn}";
const otherKey = `arn:aws:kms:us-east-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** The calls each documented task makes, from the AWS document named beside it. */
const CALLS: Array<[task: keyof typeof CLOUDFRONT_SETUP_TASKS, action: string, resource: string]> = [
  // IAM User Guide (CreateRole, PassRole) and CloudFront Developer Guide, "Lambda@Edge function execution role".
  ["Create an IAM role and policy", "iam:CreateRole", role],
  ["Create an IAM role and policy", "iam:AttachRolePolicy", role],
  ["Create an IAM role and policy", "iam:PutRolePolicy", role],
  ["Create an IAM role and policy", "iam:CreatePolicy", `arn:aws:iam::${account}:policy/${env.application.edgeLambdaRoleName}-kms`],
  ["Create an IAM role and policy", "iam:PassRole", role],
  // The key and its policy are Terraform's (issue 29 §3): the setup looks its alias up (ListAliases), then
  // describes the key and encrypts with it (KMS Developer Guide, ListAliases, DescribeKey, Encrypt).
  ["Create a KMS key and policy", "kms:ListAliases", "*"],
  ["Create a KMS key and policy", "kms:DescribeKey", setupKey],
  ["Create a KMS key and policy", "kms:Encrypt", setupKey],
  // CloudFront Developer Guide, "Set up IAM permissions and roles for Lambda@Edge": the function in us-east-1,
  // lambda:GetFunction and lambda:EnableReplication*/DisableReplication* on the version, the replicator role.
  ["Create/Modify Lambda Functions", "lambda:CreateFunction", fn()],
  ["Create/Modify Lambda Functions", "lambda:UpdateFunctionCode", fn()],
  ["Create/Modify Lambda Functions", "lambda:PublishVersion", fn()],
  ["Create/Modify Lambda Functions", "lambda:GetFunction", fn(":1")],
  ["Create/Modify Lambda Functions", "lambda:EnableReplication", fn(":1")],
  ["Create/Modify Lambda Functions", "lambda:DisableReplication", fn(":1")],
  [
    "Create/Modify Lambda Functions",
    "iam:CreateServiceLinkedRole",
    `arn:aws:iam::${account}:role/aws-service-role/replicator.lambda.amazonaws.com/AWSServiceRoleForLambdaReplicator`,
  ],
  ["Create CloudFront Origin Access Identity", "cloudfront:CreateCloudFrontOriginAccessIdentity", `arn:aws:cloudfront::${account}:origin-access-identity/E2EXAMPLE`],
  ["Create CloudFront Origin Access Identity", "cloudfront:ListCloudFrontOriginAccessIdentities", "*"],
  ["Attach Bucket Policy to S3 bucket", "s3:PutBucketPolicy", "${aws_s3_bucket.packages_source.arn}"],
  ["Create/Modify CloudFront Distributions", "cloudfront:CreateDistribution", `arn:aws:cloudfront::${account}:distribution/E1EXAMPLE`],
  ["Create/Modify CloudFront Distributions", "cloudfront:UpdateDistribution", `arn:aws:cloudfront::${account}:distribution/E1EXAMPLE`],
];

describe("packagecloud's documented CloudFront setup, with the ops application identity", () => {
  it.each(CALLS)("%s: allows %s on %s", (task, action, resource) => {
    const sids = grants(action, resource);
    expect(sids).not.toEqual([]);
    expect(sids.some((sid) => (CLOUDFRONT_SETUP_TASKS[task] as readonly string[]).includes(sid))).toBe(true);
  });

  it("names a granting statement for every documented task, and every such statement exists", () => {
    const sids = new Set(statements.map((s) => s.Sid));
    for (const task of Object.values(CLOUDFRONT_SETUP_TASKS)) for (const sid of task) expect(sids).toContain(sid);
  });

  it("creates Lambda@Edge functions only in us-east-1, under the documented function name", () => {
    expect(grants("lambda:CreateFunction", `arn:aws:lambda:us-west-1:${account}:function:${env.application.edgeFunctionPrefix}`)).toEqual([]);
    expect(grants("lambda:CreateFunction", `arn:aws:lambda:us-east-1:${account}:function:other`)).toEqual([]);
    expect(env.application.edgeFunctionPrefix).toBe("packagecloud_cloudfront_auth");
  });

  it("creates and passes only the edge role, and only to Lambda", () => {
    expect(grants("iam:CreateRole", `arn:aws:iam::${account}:role/admin`)).toEqual([]);
    expect(grants("iam:PassRole", `arn:aws:iam::${account}:role/admin`)).toEqual([]);
    expect(cdn.find((s) => s.Sid === "PassEdgeRoleToLambdaOnly").Condition).toEqual({
      StringEquals: { "iam:PassedToService": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] },
    });
  });

  it("attaches only the basic execution policy freely; its own policies only to a role capped by the boundary", () => {
    expect(cdn.find((s) => s.Sid === "AttachBasicExecution").Condition).toEqual({ ArnEquals: { "iam:PolicyARN": EDGE_ROLE_POLICY_ARN } });
    const boundary = `arn:aws:iam::${account}:policy/packagecloud-ops-edge-boundary`;
    expect(cdn.find((s) => s.Sid === "ManageEdgeRolePolicies").Condition.ArnEquals).toEqual({ "iam:PermissionsBoundary": boundary });
    expect(cdn.find((s) => s.Sid === "SetEdgeRoleBoundary").Condition).toEqual({ ArnEquals: { "iam:PermissionsBoundary": boundary } });
    const actions = statements.flatMap((s) => [s.Action].flat());
    for (const never of ["iam:DeleteRolePermissionsBoundary", "iam:UpdateAssumeRolePolicy", "iam:CreateUser", "iam:CreateAccessKey"]) expect(actions).not.toContain(never);
  });

  it("caps the edge role at its own logs and decrypting with the setup's key", () => {
    const boundary = Synthesized.policy(out.resource("aws_iam_policy", "application_edge_boundary").policy).Statement;
    expect(boundary.flatMap((s) => [s.Action].flat()).sort()).toEqual(["kms:Decrypt", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]);
    // One key, by ARN (the permission table decides the rest: test/stacks/permissions.test.ts).
    expect(boundary.find((s) => s.Sid === "DecryptWithSetupKey").Resource).toBe(setupKey);
  });

  it("makes no key, no alias and no key policy: Terraform made them before the setup runs", () => {
    for (const action of ["kms:CreateKey", "kms:TagResource"]) expect(grants(action, "*")).toEqual([]);
    for (const action of ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"]) {
      expect(grants(action, `arn:aws:kms:us-east-1:${account}:alias/${env.application.cdnSetup.keyAlias}`)).toEqual([]);
      expect(grants(action, otherKey)).toEqual([]);
    }
    for (const action of ["kms:PutKeyPolicy", "kms:Encrypt", "kms:DescribeKey"]) expect(grants(action, otherKey)).toEqual([]);
    expect(grants("kms:PutKeyPolicy", setupKey)).toEqual([]);
    const key = out.resource("aws_kms_key", "application_setup_key");
    expect(key).toMatchObject({ provider: "aws.cdn_setup", enable_key_rotation: true });
    expect(out.json.provider.aws.find((p: any) => p.alias === "cdn_setup")).toMatchObject({ region: "us-east-1", allowed_account_ids: [account] });
    expect(out.resource("aws_kms_alias", "application_setup_key_alias").name).toBe(`alias/${env.application.cdnSetup.keyAlias}`);
    const actions = statements.filter((s) => s.Effect === "Allow").flatMap((s) => [s.Action].flat());
    for (const never of ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:CreateGrant", "kms:Decrypt", "kms:*"]) expect(cdn.filter((s) => s.Effect === "Allow").flatMap((s) => [s.Action].flat())).not.toContain(never);
    expect(actions).not.toContain("kms:*");
  });

  it("uses Resource \"*\" only where AWS has no resource to name, each commented in the construct", () => {
    const wildcard = cdn.filter((s) => s.Effect === "Allow" && [s.Resource].flat().includes("*")).map((s) => s.Sid).sort();
    expect(wildcard).toEqual(["CreateCdnResources", "ListCdnResources", "ListKeys"]);
  });
});
