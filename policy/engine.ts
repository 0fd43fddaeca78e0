/**
 * The policy pack's engine: rules read the synthesized Terraform JSON of a stack, so a raw provider resource
 * added beside the constructs is checked exactly like one the constructs made.
 */

import { loadEnvironments, type EnvironmentConfig } from "../config";

/** One resource of a synthesized stack. */
export interface TfResource {
  readonly type: string;
  readonly name: string;
  readonly config: Record<string, any>;
}

export function addressOf(r: TfResource): string {
  return `${r.type}.${r.name}`;
}

/** A rule's verdict on one resource. */
export interface Finding {
  readonly rule: string;
  readonly address: string;
  readonly message: string;
}

export interface Rule {
  /** This project's id; the checkov/trivy ids it emulates are in `maps`. */
  readonly id: string;
  readonly maps: readonly string[];
  readonly title: string;
  /** What to do about a finding, said once for every finding of the rule. */
  readonly fix: string;
  check(stack: StackView): Finding[];
}

/** Read access to a synthesized stack's resources, with the lookups rules need. */
export class StackView {
  readonly all: TfResource[];
  private configured?: readonly EnvironmentConfig[];

  constructor(readonly json: Record<string, any>, environments?: readonly EnvironmentConfig[]) {
    this.configured = environments;
    this.all = Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName as Record<string, any>).map(([name, config]) => ({ type, name, config })),
    );
  }

  /**
   * The configuration the stack was built from, for rules that compare the two: the stack's own environment when
   * it said which, else the project's environments (loaded once, when a rule first asks).
   */
  get environments(): readonly EnvironmentConfig[] {
    this.configured ??= Object.values(loadEnvironments());
    return this.configured;
  }

  resources(type: string): TfResource[] {
    return this.all.filter((r) => r.type === type);
  }

  /**
   * The resources of `type` attached to `bucket` by their `bucket` argument, whether it references the bucket
   * resource (`${aws_s3_bucket.x.id}`) or repeats its literal name.
   */
  attachedToBucket(bucket: TfResource, type: string): TfResource[] {
    const ref = new RegExp(`^\\$\\{aws_s3_bucket\\.${bucket.name}\\.(id|bucket)\\}$`);
    return this.resources(type).filter((r) => ref.test(String(r.config.bucket)) || r.config.bucket === bucket.config.bucket);
  }
}

export function finding(rule: Rule, resource: TfResource, message: string): Finding {
  return { rule: rule.id, address: addressOf(resource), message };
}

/** Parses an IAM/bucket policy attribute; undefined when it is not literal JSON (e.g. a data source reference). */
export function parsePolicy(value: unknown): { Statement: any[] } | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const parsed = JSON.parse(value);
    return { Statement: [parsed.Statement ?? []].flat() };
  } catch {
    return undefined;
  }
}

export const asList = (value: unknown): any[] => (value === undefined || value === null ? [] : [value].flat());
