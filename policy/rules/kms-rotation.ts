import { finding, type Rule } from "../engine";

export const kmsRotation: Rule = {
  id: "PC_KMS_ROTATION",
  maps: ["CKV_AWS_7"],
  title: "KMS keys rotate",
  fix: "Use EncryptionKey, or set enable_key_rotation = true",
  check(stack) {
    return stack.resources("aws_kms_key").flatMap((key) => (key.config.enable_key_rotation === true ? [] : [finding(this, key, "rotation is off")]));
  },
};
