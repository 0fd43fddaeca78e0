import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ApplicationIdentity, EDGE_ROLE_POLICY_ARN, KEY_ADMINISTRATION } from "../../constructs/application-identity";
import { EncryptionKey } from "../../constructs/encryption-key";
import { BucketEncryption, SecureBucket } from "../../constructs/secure-bucket";
import { constructStack, synth, Synthesized } from "../support/synth";

describe("ApplicationIdentity", () => {
  const { stack } = constructStack();
  const edgeProvider = new AwsProvider(stack, "aws-edge", { region: "us-east-1", alias: "edge" });
  const packageKey = new EncryptionKey(stack, "Key", { alias: "packages", description: "packages" });
  const packageBucket = new SecureBucket(stack, "Packages", {
    bucketName: "packages-example",
    encryption: BucketEncryption.kms(packageKey),
    lifecycle: { noncurrentVersionDays: 30 },
  });
  new ApplicationIdentity(stack, "App", {
    environment: "ops",
    accountId: "111122223333",
    packageBucket,
    edgeLambdaRoleName: "packagecloud-ops-edge-lambda",
    edgeFunctionPrefix: "packagecloud-ops-",
    cdnSetup: { region: "us-east-1", keyAlias: "packagecloud_cloudfront_auth_key", provider: edgeProvider },
    alsoRunsAs: ["arn:aws:iam::111122223333:role/packagecloud-ops-app-gke"],
  });
  const out = synth(stack);
  const packages = Synthesized.policy(out.resource("aws_iam_policy", "app_packages_policy").policy);
  const cdn = Synthesized.policy(out.resource("aws_iam_policy", "app_cdn_policy").policy);
  const all = [...packages.Statement, ...cdn.Statement];
  const statement = (sid: string) => all.find((s) => s.Sid === sid);

  it("is a user whose rights come only from its group (CKV_AWS_40), with no access key in Terraform", () => {
    expect(out.resource("aws_iam_user", "app_user").name).toBe("packagecloud-ops-app");
    expect(out.resources("aws_iam_user_policy")).toEqual({});
    expect(out.resources("aws_iam_user_policy_attachment")).toEqual({});
    expect(out.resources("aws_iam_access_key")).toEqual({});
    expect(out.resource("aws_iam_user_group_membership", "app_membership").groups).toEqual(["${aws_iam_group.app_group.name}"]);
    expect(Object.values(out.resources("aws_iam_group_policy_attachment")).map((a: any) => a.policy_arn).sort()).toEqual([
      "${aws_iam_policy.app_cdn_policy.arn}",
      "${aws_iam_policy.app_packages_policy.arn}",
    ]);
  });

  it("reads and writes packages in its bucket only, with the bucket's key when it has one", () => {
    expect(statement("ReadWritePackages").Resource).toBe("${aws_s3_bucket.packages.arn}/*");
    expect(statement("UsePackagesKey")).toMatchObject({ Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: "${aws_kms_key.key.arn}" });
  });

  it("may edit the package bucket's policy (its CloudFront statement) but not delete it", () => {
    expect(statement("ManageBucketPolicyStatement")).toMatchObject({
      Action: ["s3:GetBucketPolicy", "s3:PutBucketPolicy"],
      Resource: "${aws_s3_bucket.packages.arn}",
    });
    expect(all.flatMap((s) => [s.Action].flat())).not.toContain("s3:DeleteBucketPolicy");
  });

  it("creates Lambda@Edge functions only in us-east-1, only under its name prefix", () => {
    expect(statement("ManageEdgeFunctions").Resource).toEqual([
      "arn:aws:lambda:us-east-1:111122223333:function:packagecloud-ops-*",
      "arn:aws:lambda:us-east-1:111122223333:function:packagecloud-ops-*:*",
    ]);
  });

  it("passes exactly one role, and only to Lambda", () => {
    const passRole = all.filter((s) => [s.Action].flat().includes("iam:PassRole"));
    expect(passRole).toEqual([
      {
        Sid: "PassEdgeRoleToLambdaOnly",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: "arn:aws:iam::111122223333:role/packagecloud-ops-edge-lambda",
        Condition: { StringEquals: { "iam:PassedToService": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] } },
      },
    ]);
  });

  it("attaches the basic execution policy freely, and its own policies only to an edge role capped by the boundary", () => {
    expect(statement("AttachBasicExecution").Condition).toEqual({ ArnEquals: { "iam:PolicyARN": EDGE_ROLE_POLICY_ARN } });
    expect(statement("ManageEdgeRolePolicies")).toMatchObject({
      Action: ["iam:AttachRolePolicy", "iam:PutRolePolicy"],
      Resource: "arn:aws:iam::111122223333:role/packagecloud-ops-edge-lambda",
      Condition: {
        ArnEquals: { "iam:PermissionsBoundary": "arn:aws:iam::111122223333:policy/packagecloud-ops-edge-boundary" },
        ArnLikeIfExists: { "iam:PolicyARN": [EDGE_ROLE_POLICY_ARN, "arn:aws:iam::111122223333:policy/packagecloud-ops-edge-lambda*"] },
      },
    });
    expect(statement("CreateEdgePolicies").Resource).toBe("arn:aws:iam::111122223333:policy/packagecloud-ops-edge-lambda*");
    expect(out.resource("aws_iam_policy", "app_edge_boundary").name).toBe("packagecloud-ops-edge-boundary");
  });

  it("pins every CloudFront resource to the account", () => {
    for (const sid of ["ManageDistribution", "ManageOriginAccessIdentity"]) {
      for (const resource of [statement(sid).Resource].flat()) expect(resource).toMatch(/^arn:aws:cloudfront::111122223333:/);
    }
  });

  it("uses Resource '*' only for list calls and creations, which AWS cannot scope (and a Deny)", () => {
    const wildcard = all.filter((s) => [s.Resource].flat().includes("*"));
    expect(wildcard.map((s) => s.Sid)).toEqual(["ListCdnResources", "CreateCdnResources", "ListKeys", "NeverAdministerKeys"]);
    const allowed = wildcard.filter((s) => s.Effect === "Allow").flatMap((s) => [s.Action].flat());
    for (const action of allowed) expect(action).toMatch(/^(cloudfront:List|kms:List|cloudfront:CreateDistribution$|cloudfront:CreateCloudFrontOriginAccessIdentity$)/);
  });

  describe("the CloudFront setup's KMS key, which Terraform creates (issue 29 §3)", () => {
    const key = out.resource("aws_kms_key", "app_setup_key");
    const alias = out.resource("aws_kms_alias", "app_setup_key_alias");
    const keyPolicy = Synthesized.policy(key.policy);

    it("lives in us-east-1 (the setup provider), rotates, waits 30 days before deletion and is never destroyed by Terraform", () => {
      expect(key).toMatchObject({ provider: "aws.edge", enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
      expect(alias).toMatchObject({ provider: "aws.edge", name: "alias/packagecloud_cloudfront_auth_key", target_key_id: "${aws_kms_key.app_setup_key.key_id}" });
    });

    it("gives the application its key by ARN only: describe, read the policy, encrypt; never create a key or an alias", () => {
      expect(statement("UseSetupKey")).toEqual({
        Sid: "UseSetupKey",
        Effect: "Allow",
        Action: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:Encrypt"],
        Resource: "${aws_kms_key.app_setup_key.arn}",
      });
      // (kms:Decrypt above is the package bucket's key, which this test's bucket has; the CDN rights have none.)
      const granted = cdn.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => [s.Action].flat());
      for (const never of ["kms:CreateKey", "kms:CreateAlias", "kms:UpdateAlias", "kms:PutKeyPolicy", "kms:TagResource", "kms:Decrypt"]) expect(granted).not.toContain(never);
      // No alias- or tag-based KMS condition anywhere: each follows whatever key the alias or tag is put on.
      expect(JSON.stringify(all)).not.toMatch(/kms:ResourceAliases|aws:ResourceTag/);
    });

    it("keeps the application (user and GKE role) from administering the key in the key policy itself", () => {
      expect(keyPolicy.Statement.map((s) => s.Sid)).toEqual(["AccountAdministersThroughIam", "ApplicationNeverAdministers"]);
      expect(keyPolicy.Statement[1]).toEqual({
        Sid: "ApplicationNeverAdministers",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: [...KEY_ADMINISTRATION],
        Resource: "*",
        Condition: { ArnEquals: { "aws:PrincipalArn": ["arn:aws:iam::111122223333:user/packagecloud-ops-app", "arn:aws:iam::111122223333:role/packagecloud-ops-app-gke"] } },
      });
      expect(KEY_ADMINISTRATION).toEqual(expect.arrayContaining(["kms:CreateAlias", "kms:UpdateAlias", "kms:PutKeyPolicy", "kms:CreateKey"]));
    });

    it("lets the edge role decrypt with that key only", () => {
      const boundary = Synthesized.policy(out.resource("aws_iam_policy", "app_edge_boundary").policy);
      expect(boundary.Statement.find((s) => s.Sid === "DecryptWithSetupKey")).toEqual({ Sid: "DecryptWithSetupKey", Effect: "Allow", Action: "kms:Decrypt", Resource: "${aws_kms_key.app_setup_key.arn}" });
    });

    it("fails if the alias is written with its alias/ prefix", () => {
      const { stack: other } = constructStack();
      const bucket = new SecureBucket(other, "P", { bucketName: "packages-example", encryption: BucketEncryption.s3Managed("test"), lifecycle: { noncurrentVersionDays: 1 } });
      expect(
        () =>
          new ApplicationIdentity(other, "App", {
            environment: "ops", accountId: "111122223333", packageBucket: bucket, edgeLambdaRoleName: "r", edgeFunctionPrefix: "f",
            cdnSetup: { region: "us-east-1", keyAlias: "alias/x", provider: edgeProvider },
          }),
      ).toThrow(/cdnSetup\.keyAlias "alias\/x" must be written without its alias\/ prefix/);
    });
  });

  it("never deletes a distribution, a function or the bucket", () => {
    const actions = all.flatMap((s) => [s.Action].flat());
    for (const forbidden of ["cloudfront:DeleteDistribution", "lambda:DeleteFunction", "s3:DeleteBucket", "iam:DeleteRole"]) {
      expect(actions).not.toContain(forbidden);
    }
  });
});
