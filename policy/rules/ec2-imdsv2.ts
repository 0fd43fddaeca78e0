import { finding, type Rule } from "../engine";

/** Instances answer metadata requests only with a session token (IMDSv2), closing SSRF credential theft. */
export const ec2Imdsv2: Rule = {
  id: "PC_EC2_IMDSV2",
  maps: ["CKV_AWS_79", "AVD-AWS-0028"],
  title: "EC2 instances require IMDSv2",
  fix: "Set metadata_options { http_tokens = \"required\" } (PackagecloudVm does)",
  check(stack) {
    return stack.resources("aws_instance").flatMap((i) => {
      const options = [i.config.metadata_options].flat()[0];
      return options?.http_tokens === "required" ? [] : [finding(this, i, `allows IMDSv1 (http_tokens ${options?.http_tokens ?? "unset"})`)];
    });
  },
};
