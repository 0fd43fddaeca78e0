/**
 * Security-group ingress in all three shapes the AWS provider offers, flattened for rules to read.
 */
import type { StackView, TfResource } from "./engine";

export interface IngressRule {
  readonly resource: TfResource;
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidrs: string[];
  readonly description?: string;
}

const asArray = (v: unknown): string[] => (v === undefined || v === null ? [] : [v].flat().map(String));

export function ingressRules(stack: StackView): IngressRule[] {
  const rules: IngressRule[] = [];
  for (const r of stack.resources("aws_vpc_security_group_ingress_rule")) {
    rules.push({
      resource: r,
      protocol: String(r.config.ip_protocol),
      fromPort: Number(r.config.from_port ?? 0),
      toPort: Number(r.config.to_port ?? 65535),
      cidrs: [...asArray(r.config.cidr_ipv4), ...asArray(r.config.cidr_ipv6)],
      description: r.config.description,
    });
  }
  for (const r of stack.resources("aws_security_group_rule").filter((x) => x.config.type === "ingress")) {
    rules.push({
      resource: r,
      protocol: String(r.config.protocol),
      fromPort: Number(r.config.from_port),
      toPort: Number(r.config.to_port),
      cidrs: [...asArray(r.config.cidr_blocks), ...asArray(r.config.ipv6_cidr_blocks)],
      description: r.config.description,
    });
  }
  for (const g of stack.resources("aws_security_group")) {
    for (const i of [g.config.ingress ?? []].flat()) {
      rules.push({
        resource: g,
        protocol: String(i.protocol),
        fromPort: Number(i.from_port),
        toPort: Number(i.to_port),
        cidrs: [...asArray(i.cidr_blocks), ...asArray(i.ipv6_cidr_blocks)],
        description: i.description,
      });
    }
  }
  return rules;
}

export function coversPort(rule: IngressRule, port: number): boolean {
  return rule.protocol === "-1" || rule.protocol === "all" || (rule.fromPort <= port && port <= rule.toPort);
}

export function fromWorld(rule: IngressRule): boolean {
  return rule.cidrs.some((c) => c === "0.0.0.0/0" || c === "::/0");
}
