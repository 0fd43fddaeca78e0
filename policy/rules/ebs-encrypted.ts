import { finding, type Rule } from "../engine";

export const ebsEncrypted: Rule = {
  id: "PC_EBS_ENCRYPTED_CMK",
  maps: ["CKV_AWS_3", "CKV_AWS_189", "AVD-AWS-0026", "AVD-AWS-0027"],
  title: "EBS volumes are encrypted with a customer-managed key",
  fix: "Set encrypted = true and kms_key_id to an EncryptionKey's ARN",
  check(stack) {
    return stack.resources("aws_ebs_volume").flatMap((v) => {
      if (v.config.encrypted !== true) return [finding(this, v, "is not encrypted")];
      return v.config.kms_key_id ? [] : [finding(this, v, "is encrypted with the AWS-managed key, not a customer-managed one")];
    });
  },
};
