/**
 * Reads the VM's user data back out of the synthesized expression `${base64gzip(join("", [literal, ref, ...]))}`
 * (constructs/first-boot.ts): the literals are HCL quoted strings, the references bare Terraform expressions.
 *
 * @example
 *   decodeUserDataExpression(instance.user_data_base64)  // { text: "#cloud-config\n…${aws_ebs_volume…id}…", references: [...] }
 */
export interface DecodedUserData {
  /** The document, each reference written as `${<reference>}` where it stands. */
  readonly text: string;
  readonly references: readonly string[];
}

const CALL = /^\$\{base64gzip\(join\("", \[(.*)\]\)\)\}$/s;

export function decodeUserDataExpression(expression: string): DecodedUserData | undefined {
  const call = CALL.exec(expression);
  if (!call) return undefined;
  // Literals are JSON-compatible once HCL's two template escapes are undone; references are dotted names.
  const items = call[1].split(/, ([a-z_][a-z0-9_]*\.[a-z0-9_]+\.[a-z0-9_]+), /);
  const references = items.filter((_, i) => i % 2 === 1);
  const text = items
    .map((item, i) => (i % 2 === 1 ? `\${${item}}` : (JSON.parse(item) as string).replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{")))
    .join("");
  return { text, references };
}

/** A copy of a synthesized stack with every decodable user_data_base64 shown as its document (for snapshots). */
export function withReadableUserData(json: Record<string, any>): Record<string, any> {
  const copy = structuredClone(json);
  for (const instance of Object.values<any>(copy.resource?.aws_instance ?? {})) {
    const decoded = typeof instance.user_data_base64 === "string" ? decodeUserDataExpression(instance.user_data_base64) : undefined;
    if (decoded) instance.user_data_base64 = { "base64gzip(join(...)), decoded for review": decoded.text };
  }
  return copy;
}
