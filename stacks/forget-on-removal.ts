/**
 * Resources whose destroy would take away something this project does not own, so that leaving the configuration
 * must never destroy them: when one of the listed addresses is not in the synthesized stack (a mode that does not
 * create it, a renamed construct id), the stack writes a Terraform `removed` block with `destroy = false` for it
 * (Terraform >= 1.7), and the plan forgets the object instead of destroying it. `prevent_destroy` cannot do this:
 * it lives in the resource's block, and a resource that left the configuration has none (Terraform docs,
 * "prevent_destroy": it "does not prevent the remote object from being destroyed if the resource block were removed
 * from configuration entirely").
 *
 * Decided at synth, from the stack's resources as they are then: an address in the list that is present gets no
 * block (Terraform refuses a `removed` block for a resource still configured), and one with no object in state is a
 * no-op. List every address such a resource has had; never remove one.
 *
 * @example
 *   forgetOnRemoval(this, "ForgetServiceNetworkingGrant", ["google_project_iam_member.network_service_networking_agent"]);
 */
import type { Construct } from "constructs";
import { TerraformElement, TerraformResource, TerraformStack } from "cdktf";

class ForgetOnRemoval extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly addresses: readonly string[],
  ) {
    super(scope, id);
  }

  /** The addresses no resource of the stack has now. */
  absent(): string[] {
    const stack = TerraformStack.of(this);
    const present = new Set(
      stack.node
        .findAll()
        .filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c))
        .map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`),
    );
    return this.addresses.filter((address) => !present.has(address));
  }

  toTerraform(): Record<string, unknown> {
    const gone = this.absent();
    return gone.length === 0 ? {} : { removed: gone.map((from) => ({ from, lifecycle: { destroy: false } })) };
  }
}

export function forgetOnRemoval(scope: Construct, id: string, addresses: readonly string[]): void {
  if (addresses.some((a) => !/^[a-z][a-z0-9_]*\.[a-z0-9_]+$/.test(a))) {
    throw new Error(`forgetOnRemoval ${id}: each address must be <type>.<name> (got ${addresses.join(", ")})`);
  }
  new ForgetOnRemoval(scope, id, addresses);
}
