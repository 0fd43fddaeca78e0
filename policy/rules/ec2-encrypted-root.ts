import { finding, type Rule } from "../engine";

export const ec2EncryptedRoot: Rule = {
  id: "PC_EC2_ENCRYPTED_ROOT",
  maps: ["CKV_AWS_8", "AVD-AWS-0131"],
  title: "EC2 instances encrypt their root and inline block devices",
  fix: "Set root_block_device { encrypted = true, kms_key_id = … } and keep data on separate aws_ebs_volume resources",
  check(stack) {
    return stack.resources("aws_instance").flatMap((i) => {
      const root = [i.config.root_block_device].flat()[0];
      const inline = [i.config.ebs_block_device ?? []].flat();
      const problems: string[] = [];
      if (root?.encrypted !== true) problems.push("root volume is not encrypted");
      if (inline.some((d: any) => d?.encrypted !== true)) problems.push("an inline EBS block device is not encrypted");
      return problems.map((p) => finding(this, i, p));
    });
  },
};
