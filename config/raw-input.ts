/**
 * The first pass over an environment's raw configuration, before the schema: whatever was written (a cyclic
 * object, a getter, a symbol key, a 10 MB string, a Cyrillic letter in an e-mail domain), it comes out as plain
 * data plus a list of problems with their field paths, and nothing in it can throw later.
 *
 * The schema then checks types and values on the plain copy; the loader reports both lists together.
 */
import { formatValue } from "./format";
import { checkText } from "./lookalikes";

/** Longest string any field accepts: the longest real value (a URL) is far below it. */
export const MAX_TEXT = 2048;
/** Deepest nesting the schema has is 5; anything much deeper is not configuration. */
const MAX_DEPTH = 12;
/** Longest list any field accepts. */
const MAX_ITEMS = 256;

export interface RawProblem {
  readonly path: ReadonlyArray<string | number>;
  /** The value as printed in the message (read without running getters). */
  readonly shown: string;
  readonly message: string;
}

/** Plain data (objects, arrays, strings, numbers, booleans, null) and the problems found on the way. */
export function toPlainData(input: unknown): { data: unknown; problems: RawProblem[] } {
  const problems: RawProblem[] = [];
  const ancestors: object[] = [];
  const report = (path: ReadonlyArray<string | number>, value: unknown, message: string) => problems.push({ path, shown: formatValue(value), message });

  const walk = (value: unknown, path: Array<string | number>): unknown => {
    if (typeof value === "string") {
      if (value.length > MAX_TEXT) {
        report(path, value, `must be at most ${MAX_TEXT} characters (got ${value.length})`);
        return undefined;
      }
      const problem = checkText(value);
      if (problem) report(path, value, problem);
      return value;
    }
    if (value === null || typeof value !== "object") return value;
    if (ancestors.includes(value)) {
      report(path, value, "refers back to an enclosing object (a cycle): configuration must be plain data");
      return undefined;
    }
    if (ancestors.length >= MAX_DEPTH) {
      report(path, value, `is nested more than ${MAX_DEPTH} levels deep: configuration must be plain data of the documented shape`);
      return undefined;
    }
    let keys: Array<string | symbol>;
    try {
      keys = Reflect.ownKeys(value);
    } catch {
      problems.push({ path, shown: "(unreadable)", message: "cannot be read (a Proxy that throws): configuration must be plain data" });
      return undefined;
    }
    ancestors.push(value);
    try {
      if (Array.isArray(value)) {
        if (value.length > MAX_ITEMS) {
          report(path, value, `must list at most ${MAX_ITEMS} entries (got ${value.length})`);
          return undefined;
        }
        return Array.from({ length: value.length }, (_, i) => read(value, String(i), [...path, i]));
      }
      if (value instanceof Date || value instanceof Map || value instanceof Set || value instanceof RegExp || ArrayBuffer.isView(value)) {
        // Built-ins the schema reads without running user code; it then says which type was expected.
        return value;
      }
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        if (typeof key === "symbol") {
          report(path, value, `has a symbol key (${String(key.description ?? "")}): configuration keys are strings`);
          continue;
        }
        const keyProblem = key.length > 100 ? `must be at most 100 characters` : checkText(key);
        if (keyProblem) {
          report([...path, key.slice(0, 100)], key, `key ${keyProblem}`);
          continue;
        }
        out[key] = read(value, key, [...path, key]);
      }
      return out;
    } catch {
      problems.push({ path, shown: "(unreadable)", message: "cannot be read (a Proxy or accessor that throws): configuration must be plain data" });
      return undefined;
    } finally {
      ancestors.pop();
    }
  };

  // Read through descriptors: a getter is never run (it could throw, or answer differently the second time).
  const read = (object: object, key: string, path: Array<string | number>): unknown => {
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    if (descriptor === undefined) return undefined;
    if (!("value" in descriptor)) {
      problems.push({ path, shown: "(a getter)", message: "is a getter: configuration must be plain data" });
      return undefined;
    }
    return walk(descriptor.value, path);
  };

  return { data: walk(input, []), problems };
}
