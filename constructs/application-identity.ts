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
 *   const app = new ApplicationIdentity(this, "Application", { environment: "ops", accountId, packages, … });
 *   app.user.arn; app.policies  // attach the same policies to an instance role for the VM variant
 */
import { Construct } from "constructs";
import { IamGroup } from "@cdktf/provider-aws/lib/iam-group";
import { IamGroupPolicyAttachment } from "@cdktf/provider-aws/lib/iam-group-policy-attachment";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamUser } from "@cdktf/provider-aws/lib/iam-user";
import { IamUserGroupMembership } from "@cdktf/provider-aws/lib/iam-user-group-membership";
import type { EnvName } from "../config";
import type { EncryptionKey } from "./encryption-key";
import { resourceName } from "./naming";
import { policyDocument } from "./policy-document";
import type { SecureBucket } from "./secure-bucket";

/** Lambda@Edge functions must be created in us-east-1; CloudFront replicates them from there. */
export const EDGE_REGION = "us-east-1";

/** The only managed policy the application may attach to its edge role: write logs, nothing else. */
export const EDGE_ROLE_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

export interface ApplicationIdentityProps {
  readonly environment: EnvName;
  readonly accountId: string;
  readonly packageBucket: SecureBucket;
  readonly packageKey: EncryptionKey;
  /** Name of the role the application creates for its Lambda@Edge functions. */
  readonly edgeLambdaRoleName: string;
  /** Name prefix of every Lambda@Edge function the application creates. */
  readonly edgeFunctionPrefix: string;
}

export class ApplicationIdentity extends Construct {
  readonly user: IamUser;
  readonly group: IamGroup;
  readonly packagesPolicy: IamPolicy;
  readonly cdnPolicy: IamPolicy;

  constructor(scope: Construct, id: string, props: ApplicationIdentityProps) {
    super(scope, id);
    const { accountId, environment } = props;
    const bucket = props.packageBucket.arn;
    const edgeRole = `arn:aws:iam::${accountId}:role/${props.edgeLambdaRoleName}`;
    const edgeFunctions = `arn:aws:lambda:${EDGE_REGION}:${accountId}:function:${props.edgeFunctionPrefix}*`;

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
        {
          Sid: "UsePackagesKey",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: props.packageKey.arn,
        },
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

    this.cdnPolicy = new IamPolicy(this, "CdnPolicy", {
      name: resourceName(environment, "app-cdn"),
      description: "packagecloud: manage its own CloudFront distribution and Lambda@Edge functions",
      policy: policyDocument([
        {
          // List calls do not support resource-level permissions: AWS requires "*".
          Sid: "ListCdnResources",
          Effect: "Allow",
          Action: [
            "cloudfront:ListDistributions",
            "cloudfront:ListCloudFrontOriginAccessIdentities",
            "cloudfront:ListOriginAccessControls",
          ],
          Resource: "*",
        },
        {
          // Distribution ids are assigned by AWS at creation, so the id part must be a wildcard;
          // the account is pinned.
          Sid: "ManageDistribution",
          Effect: "Allow",
          Action: [
            "cloudfront:CreateDistribution",
            "cloudfront:CreateDistributionWithTags",
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
          // Origin access identity and control ids are likewise assigned by AWS.
          Sid: "ManageOriginAccess",
          Effect: "Allow",
          Action: [
            "cloudfront:CreateCloudFrontOriginAccessIdentity",
            "cloudfront:GetCloudFrontOriginAccessIdentity",
            "cloudfront:GetCloudFrontOriginAccessIdentityConfig",
            "cloudfront:UpdateCloudFrontOriginAccessIdentity",
            "cloudfront:CreateOriginAccessControl",
            "cloudfront:GetOriginAccessControl",
            "cloudfront:UpdateOriginAccessControl",
          ],
          Resource: [
            `arn:aws:cloudfront::${accountId}:origin-access-identity/*`,
            `arn:aws:cloudfront::${accountId}:origin-access-control/*`,
          ],
        },
        {
          // Region (us-east-1) and name prefix are pinned by the ARN; `:*` covers published versions,
          // which CloudFront associates and replicates (EnableReplication*).
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
          ],
          Resource: [edgeFunctions, `${edgeFunctions}:*`],
        },
        {
          Sid: "ManageEdgeRole",
          Effect: "Allow",
          Action: ["iam:CreateRole", "iam:GetRole", "iam:TagRole", "iam:ListAttachedRolePolicies"],
          Resource: edgeRole,
        },
        {
          // Attaching any other policy (or writing an inline one) would let the application escalate its own
          // rights through a function it controls: only the basic execution policy is allowed.
          Sid: "AttachOnlyBasicExecution",
          Effect: "Allow",
          Action: "iam:AttachRolePolicy",
          Resource: edgeRole,
          Condition: { ArnEquals: { "iam:PolicyARN": EDGE_ROLE_POLICY_ARN } },
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
