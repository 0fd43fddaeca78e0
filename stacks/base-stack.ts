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
import type { Construct, IValidation, Node } from "constructs";
import { TerraformStack, type TerraformElement } from "cdktf";
// Not exported from the package root; the deep path is what cdktf's own constructs import.
import { ValidateBinaryVersion } from "cdktf/lib/validations/validate-binary-version";
import { ConfigError, type EnvironmentConfig } from "../config";
import { POLICY_FIELDS } from "../config/construct-fields";
import { redactSecrets } from "../config/redact";
import { describeViolation, evaluate, SUPPRESSIONS, type Finding } from "../policy";
import type { Suppression } from "../policy/suppressions";

export function snakeCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toLowerCase();
}

/**
 * The Terraform versions every stack accepts, written as `terraform.required_version`: Terraform itself refuses
 * to init, plan or apply a configuration whose constraint its version does not meet ("Unsupported Terraform Core
 * version"), which is where the version matters. 1.10 for the S3 backend's `use_lockfile` (stacks/backend.ts);
 * import blocks need 1.5.
 */
export const TERRAFORM_REQUIRED_VERSION = ">= 1.10";

/** A stack's validations failed: the messages (secrets redacted), without cdktf's advice to skip validation. */
export class StackValidationError extends Error {
  readonly problems: readonly string[];

  constructor(readonly stack: string, readonly environment: string | undefined, problems: readonly string[]) {
    const redacted = problems.map(redactSecrets);
    super(`${stack}: ${redacted.length} check(s) failed:\n${redacted.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = redacted;
    this.name = "StackValidationError";
  }
}

/**
 * The validations a construct carries. constructs 10.x keeps them in a private array (`Node#_validations`, pinned
 * at 10.4.2 in package.json); a change of that shape fails here, loudly, rather than skipping validation.
 */
function validationsOf(node: Node): readonly IValidation[] {
  const list = (node as unknown as { _validations?: unknown })._validations;
  if (!Array.isArray(list)) throw new Error("stacks/base-stack.ts: constructs' Node no longer keeps _validations; review runAllValidations");
  return list as IValidation[];
}

export interface PackagecloudStackOptions {
  /**
   * Run the policy pack (policy/) on every synth: a violation that policy/suppressions.ts does not cover fails
   * synth with the rule, the address and the fix.
   * @default - true; only tests of a single construct in isolation turn it off
   */
  readonly enforcePolicy?: boolean;
  /**
   * The environment the stack deploys: the policy pack checks the stack against this configuration, and a
   * violation a configuration value causes fails as a ConfigError naming the environment and the field
   * (config/construct-fields.ts, POLICY_FIELDS).
   */
  readonly environment?: EnvironmentConfig;
}

export class PackagecloudStack extends TerraformStack {
  private readonly addresses = new Map<string, string>();
  private readonly targetSuppressions: Suppression[] = [];

  private readonly environment: EnvironmentConfig | undefined;
  private readonly enforcePolicy: boolean;

  constructor(scope: Construct, id: string, options: PackagecloudStackOptions = {}) {
    super(scope, id);
    this.environment = options.environment;
    this.enforcePolicy = options.enforcePolicy ?? true;
    this.addOverride("terraform.required_version", TERRAFORM_REQUIRED_VERSION);
  }

  /**
   * cdktf's `TerraformStack#runAllValidations` (cdktf 0.21 lib/terraform-stack.js), with two differences:
   *
   * - cdktf's `ValidateTerraformVersion` is not run. cdktf adds one to every resource with an import block and
   *   each runs `terraform version` through `execSync` (validations/validate-binary-version.js): 1.5 s of a 2.7 s
   *   synth here, and a synth that fails where no Terraform is installed, though synth never runs it. The
   *   version is held where Terraform runs: `terraform.required_version` above.
   * - The policy pack runs here too. A violation a configuration value causes (POLICY_FIELDS) fails as a
   *   ConfigError naming the environment and the field, like every other configuration error; the rest fail as
   *   StackValidationError, which names the stack. cdktf's own error advises passing `skipValidation: true`,
   *   which no operator should do, and neither error does.
   */
  runAllValidations(): void {
    const problems = this.node.findAll().flatMap((construct) =>
      validationsOf(construct.node)
        .filter((v) => !(v instanceof ValidateBinaryVersion))
        .flatMap((v) => v.validate())
        .map((message) => (construct === this ? message : `[${construct.node.path}] ${message}`)),
    );
    const findings: Finding[] = [];
    if (this.enforcePolicy) {
      const report = evaluate(this.toTerraform(), [...SUPPRESSIONS, ...this.targetSuppressions], this.environment && [this.environment]);
      problems.push(...report.invalidSuppressions);
      findings.push(...report.violations);
    }
    const env = this.environment;
    const fromConfig = env ? findings.filter((f) => POLICY_FIELDS[f.rule] !== undefined) : [];
    const others = [...problems, ...findings.filter((f) => !fromConfig.includes(f)).map(describeViolation)];
    if (env && fromConfig.length > 0) {
      throw new ConfigError(env.name, [
        ...fromConfig.map((f) => `${POLICY_FIELDS[f.rule]}: the stacks built from it break the policy pack (stack ${this.node.id}): ${describeViolation(f)}`),
        ...others.map((p) => `(stack ${this.node.id}) ${p}`),
      ]);
    }
    if (others.length > 0) throw new StackValidationError(this.node.id, env?.name, others);
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
