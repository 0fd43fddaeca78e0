/**
 * Reads the VM's user data back out of the synthesized expression `${base64gzip(join("", [literal, ref, ...]))}`
 * (constructs/first-boot.ts): the literals are HCL quoted strings, the references bare Terraform expressions.
 *
 * @example
 *   decodeUserDataExpression(instance.user_data_base64)  // { text: "#cloud-config\n…${aws_ebs_volume…id}…", references: [...] }
 */
import { gunzipSync } from "node:zlib";

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

const JOIN = /^\$\{join\("", \[(.*)\]\)\}$/s;

/** The same for `${join("", [literal, ref, ...])}` (the VM's configuration bundle, constructs/vm-config.ts). */
export function decodeJoinExpression(expression: string): DecodedUserData | undefined {
  const call = JOIN.exec(expression);
  return call ? decodeUserDataExpression(`\${base64gzip(join("", [${call[1]}]))}`) : undefined;
}

/** A gzipped, base64-encoded literal user data (the VM's bootstrap), as its document. */
export function gunzipUserData(base64: string): string {
  return gunzipSync(Buffer.from(base64, "base64")).toString("utf8");
}

/** A copy of a synthesized stack with every decodable user_data_base64 shown as its document (for snapshots). */
export function withReadableUserData(json: Record<string, any>): Record<string, any> {
  const copy = structuredClone(json);
  for (const instance of Object.values<any>(copy.resource?.aws_instance ?? {})) {
    const decoded = typeof instance.user_data_base64 === "string" ? decodeUserDataExpression(instance.user_data_base64) : undefined;
    if (decoded) instance.user_data_base64 = { "base64gzip(join(...)), decoded for review": decoded.text };
    else if (typeof instance.user_data_base64 === "string" && !instance.user_data_base64.includes("${")) {
      instance.user_data_base64 = { "gzip + base64, decoded for review": gunzipUserData(instance.user_data_base64) };
    }
  }
  for (const object of Object.values<any>(copy.resource?.aws_s3_object ?? {})) {
    const decoded = typeof object.content === "string" ? decodeJoinExpression(object.content) : undefined;
    if (decoded) object.content = { "join(...), decoded for review": decoded.text };
  }
  return copy;
}
