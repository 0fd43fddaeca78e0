import { finding, type Rule } from "../engine";
import { coversPort, fromWorld, ingressRules } from "../ingress";

export const sgNoWorldAdmin: Rule = {
  id: "PC_SG_NO_WORLD_ADMIN",
  maps: ["CKV_AWS_24", "CKV_AWS_25", "AVD-AWS-0107"],
  title: "No security group opens SSH (22) or RDP (3389) to the whole internet",
  fix: "Allow the admin networks only (config network.adminCidrs)",
  check(stack) {
    return ingressRules(stack)
      .filter((r) => fromWorld(r) && (coversPort(r, 22) || coversPort(r, 3389)))
      .map((r) => finding(this, r.resource, `opens port ${coversPort(r, 22) ? 22 : 3389} to ${r.cidrs.join(", ")}`));
  },
};
