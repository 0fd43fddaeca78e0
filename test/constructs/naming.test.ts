import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Construct } from "constructs";
import { defaultTags, resourceName, stackName } from "../../config/naming";
import { PackagecloudStack, snakeCase } from "../../stacks/base-stack";
import { synth, testApp } from "../support/synth";

describe("naming", () => {
  it("derives stack and resource names from environment and component", () => {
    expect(stackName("ops", "storage")).toBe("packagecloud-ops-storage");
    expect(resourceName("pre", "offsite-backups-uploader")).toBe("packagecloud-pre-offsite-backups-uploader");
    expect(defaultTags("ops", "storage")).toEqual({
      Project: "packagecloud",
      Environment: "ops",
      Stack: "packagecloud-ops-storage",
      ManagedBy: "terraform",
    });
  });

  it("fails if a component name is not lowercase letters, digits and '-'", () => {
    expect(() => resourceName("ops", "Offsite_Backups")).toThrow(/component "Offsite_Backups" must be lowercase/);
  });
});

describe("Terraform addresses", () => {
  it("are the construct path in snake case, with Default children folded into their parent", () => {
    expect(snakeCase("PublicAccessBlock")).toBe("public_access_block");
    expect(snakeCase("aws-replica")).toBe("aws_replica");
    expect(snakeCase("DBBackups")).toBe("db_backups");
    const stack = new PackagecloudStack(testApp(), "t", { enforcePolicy: false });
    new AwsProvider(stack, "aws", { region: "us-west-1" });
    const parent = new Construct(stack, "OffsiteBackups");
    new S3Bucket(parent, "Default", { bucket: "x-bucket" });
    expect(Object.keys(synth(stack).resources("aws_s3_bucket"))).toEqual(["offsite_backups"]);
  });

  it("fails if two construct paths would share one address", () => {
    const stack = new PackagecloudStack(testApp(), "t", { enforcePolicy: false });
    new AwsProvider(stack, "aws", { region: "us-west-1" });
    new S3Bucket(stack, "AccessLogs", { bucket: "a-bucket" });
    new S3Bucket(stack, "access_logs", { bucket: "b-bucket" });
    expect(() => synth(stack)).toThrow(/construct paths "AccessLogs" and "access_logs" both map to Terraform name "access_logs"/);
  });
});
