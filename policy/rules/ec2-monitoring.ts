import { finding, type Rule } from "../engine";

export const ec2Monitoring: Rule = {
  id: "PC_EC2_MONITORING",
  maps: ["CKV_AWS_126", "CKV_AWS_135"],
  title: "EC2 instances have detailed monitoring and are EBS-optimized",
  fix: "Set monitoring = true and ebs_optimized = true",
  check(stack) {
    return stack.resources("aws_instance").flatMap((i) => {
      const problems: string[] = [];
      if (i.config.monitoring !== true) problems.push("detailed monitoring is off");
      if (i.config.ebs_optimized !== true) problems.push("it is not EBS-optimized");
      return problems.map((p) => finding(this, i, p));
    });
  },
};
