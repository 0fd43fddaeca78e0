import { finding, type Rule } from "../engine";
import { coversPort, fromWorld, ingressRules } from "../ingress";

/** Flags port 80 open to the world; the package server's web ports are suppressed with their reason. */
export const sgWorldHttp: Rule = {
  id: "PC_SG_WORLD_HTTP",
  maps: ["CKV_AWS_260"],
  title: "No security group opens HTTP (80) to the whole internet",
  fix: "Restrict the sources, or add the rule to policy/suppressions.ts with the reason it must be public",
  check(stack) {
    return ingressRules(stack)
      .filter((r) => fromWorld(r) && coversPort(r, 80))
      .map((r) => finding(this, r.resource, `opens port 80 to ${r.cidrs.join(", ")}`));
  },
};
