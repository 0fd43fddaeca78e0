import { finding, type Rule } from "../engine";
import { ingressRules } from "../ingress";

export const sgDescriptions: Rule = {
  id: "PC_SG_DESCRIPTIONS",
  maps: ["CKV_AWS_23", "AVD-AWS-0099", "AVD-AWS-0124"],
  title: "Security groups and every rule carry a description",
  fix: "Say what the rule is for and who it admits in description",
  check(stack) {
    const groups = stack
      .resources("aws_security_group")
      .filter((g) => !g.config.description || String(g.config.description).trim() === "")
      .map((g) => finding(this, g, "has no description"));
    const egress = stack.resources("aws_vpc_security_group_egress_rule").filter((r) => !r.config.description);
    const rules = [...ingressRules(stack).filter((r) => !r.description).map((r) => r.resource), ...egress];
    return [...groups, ...rules.map((r) => finding(this, r, "a rule has no description"))];
  },
};
