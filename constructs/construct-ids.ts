/**
 * Construct ids derived from configured values (an e-mail address, a CIDR): the readable form of each value, as
 * before, so existing resources keep their Terraform addresses; distinct values whose readable forms, or the
 * Terraform names those become (stacks/base-stack.ts's snakeCase), coincide (`a.b@x.com` and `a-b@x.com`;
 * `2001:db8::a/128` and `2001:db8:a::/128`) get a suffix from the value's own SHA-256 on the later one, stable
 * whatever its position, instead of failing synth as a duplicate.
 */
import { createHash } from "node:crypto";

/** The Terraform name a construct id becomes (stacks/base-stack.ts's snakeCase, repeated: constructs sit below stacks). */
export const terraformNameOf = (id: string) =>
  id.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").replace(/[^A-Za-z0-9]+/g, "_").toLowerCase();

/** `[value, id]` for each value, `id` from `readable(value)` unless an earlier value's id took its Terraform name. */
export function distinctIds(values: readonly string[], readable: (value: string) => string): Array<[string, string]> {
  const taken = new Set<string>();
  return values.map((value) => {
    let id = readable(value);
    if (taken.has(terraformNameOf(id))) id = `${id}-${createHash("sha256").update(value).digest("hex").slice(0, 8)}`;
    taken.add(terraformNameOf(id));
    return [value, id];
  });
}
