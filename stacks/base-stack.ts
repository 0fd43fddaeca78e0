/**
 * The project's stack base class: the only cdktf-specific subclassing, kept thin.
 *
 * Terraform addresses are derived from the construct path in snake case, with no hash suffix
 * (`aws_s3_bucket.packages_source_bucket`, not `Packages_Source_Bucket_938FDFA3`), so that plans read
 * naturally and `terraform state mv` / `-replace` / `-target` can be typed. Construct ids are therefore
 * Terraform addresses: renaming one moves state and needs a `moved` block. Two paths that would map to the
 * same address fail synth instead of silently sharing one. As in the AWS CDK, a child with the id `Default`
 * is a construct's main resource and adds nothing to the name (`aws_kms_key.backups_key`).
 */
import type { Construct, Node } from "constructs";
import { TerraformStack, type TerraformElement } from "cdktf";
import { describeViolation, evaluate, SUPPRESSIONS } from "../policy";
import type { Suppression } from "../policy/suppressions";

export function snakeCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toLowerCase();
}

export interface PackagecloudStackOptions {
  /**
   * Run the policy pack (policy/) on every synth: a violation that policy/suppressions.ts does not cover fails
   * synth with the rule, the address and the fix.
   * @default - true; only tests of a single construct in isolation turn it off
   */
  readonly enforcePolicy?: boolean;
}

export class PackagecloudStack extends TerraformStack {
  private readonly addresses = new Map<string, string>();
  private readonly targetSuppressions: Suppression[] = [];

  constructor(scope: Construct, id: string, options: PackagecloudStackOptions = {}) {
    super(scope, id);
    if (options.enforcePolicy ?? true) {
      this.node.addValidation({
        validate: () => {
          const report = evaluate(this.toTerraform(), [...SUPPRESSIONS, ...this.targetSuppressions]);
          return [...report.invalidSuppressions, ...report.violations.map(describeViolation)];
        },
      });
    }
  }

  /**
   * Accepts findings that a deploy target causes on purpose (the emulator's quirks), for this stack only.
   * Project-wide suppressions belong in policy/suppressions.ts.
   */
  acceptForTarget(suppression: Suppression): void {
    this.targetSuppressions.push(suppression);
  }

  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = "node" in element ? element.node : element;
    const scopes = node.scopes.slice(node.scopes.indexOf(this) + 1);
    const path = scopes.map((s) => s.node.id).join("/");
    const logicalId = scopes
      .filter((s) => s.node.id !== "Default")
      .map((s) => snakeCase(s.node.id))
      .join("_");
    // Names only clash within one kind: resources and data sources per type, outputs among outputs.
    const kind = "terraformResourceType" in element ? String(element.terraformResourceType) : element.constructor.name;
    const address = `${kind}.${logicalId}`;
    const owner = this.addresses.get(address);
    if (owner !== undefined && owner !== path) {
      throw new Error(`${this.node.id}: construct paths "${owner}" and "${path}" both map to Terraform name "${logicalId}"; rename one`);
    }
    this.addresses.set(address, path);
    return logicalId;
  }
}
