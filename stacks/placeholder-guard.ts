/**
 * Keeps this repository's stand-in values (config/placeholders.ts) away from a real deployment: every stack of an
 * environment that still holds one carries a Terraform precondition that fails `terraform plan` and `apply`
 * (and so `cdktf plan/deploy` and the pipeline's plan and deploy jobs), naming each field. `terraform validate`,
 * synth, the unit tests and the emulator target are unaffected.
 *
 * ```ts
 * guardPlaceholders(stack, env); // in stacks/app.ts, for the aws target
 * ```
 */
import { TerraformLocal, TerraformOutput, type TerraformStack } from "cdktf";
import { placeholderFields, type EnvironmentConfig } from "../config";

/** The Terraform local listing the placeholder fields; operator/ci/terraform.sh reads it before `init`. */
export const PLACEHOLDER_LOCAL = "placeholder_fields";

export function placeholderMessage(stack: string, env: string, fields: readonly string[]): string {
  return (
    `${stack}: environment ${env} still holds this repository's placeholder values in ${fields.join(", ")}. ` +
    "Replace each with the real value in config/environments.ts (and drop its placeholder(...) marker) before planning against the real target."
  );
}

export function guardPlaceholders(stack: TerraformStack, env: EnvironmentConfig): void {
  const fields = placeholderFields(env);
  if (fields.length === 0) return;
  const local = new TerraformLocal(stack, PLACEHOLDER_LOCAL, fields);
  const guard = new TerraformOutput(stack, "placeholder_guard", {
    value: local.expression,
    description: "Fails plan and apply while the environment holds placeholder values (stacks/placeholder-guard.ts)",
  });
  // cdktf 0.21 accepts TerraformOutputConfig.precondition but never writes it out: set it on the JSON directly.
  guard.addOverride("precondition", [
    {
      // Terraform rejects a condition that refers to nothing, hence the local. plantimestamp() is unknown during
      // `terraform validate`, which then passes; during plan and apply it is known and the condition is false.
      condition: `\${length(local.${PLACEHOLDER_LOCAL}) == 0 || plantimestamp() == ""}`,
      error_message: placeholderMessage(stack.node.id, env.name, fields),
    },
  ]);
}
