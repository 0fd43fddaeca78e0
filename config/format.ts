/**
 * Prints any value for an error message: readable, bounded, and never throwing.
 *
 * Configuration errors quote the value an operator wrote. `JSON.stringify` is the wrong tool for that: it throws on
 * BigInt and cyclic objects, prints NaN and Infinity as `null`, drops functions and symbols, and prints a 10 MB
 * string whole. This printer shows each as itself and cuts what is long.
 *
 * @example
 *   formatValue(NaN)                 // "NaN"
 *   formatValue(10n)                 // "10n"
 *   formatValue("x".repeat(500))     // "\"xxxx…\" (500 characters)"
 */
import { concealUrlSecrets } from "./url-secrets";

/** Longest string shown before it is cut. */
export const MAX_STRING = 80;
/** Longest rendering of any value. */
export const MAX_VALUE = 200;
const MAX_ITEMS = 5;
const MAX_DEPTH = 2;

export function formatValue(value: unknown): string {
  const text = render(value, 0, new Set());
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

function render(value: unknown, depth: number, seen: Set<object>): string {
  try {
    switch (typeof value) {
      case "undefined":
        return "missing";
      case "number":
        return Object.is(value, -0) ? "-0" : String(value);
      case "bigint":
        return `${value}n`;
      case "boolean":
        return String(value);
      case "symbol":
        return `a symbol (${cut(value.description ?? "")})`;
      case "function":
        return "a function";
      case "string": {
        // A URL carrying a secret is shown with the secret cut out (config/url-secrets.ts).
        const shown = concealUrlSecrets(value);
        const quoted = shown.length > MAX_STRING ? `${quote(shown.slice(0, MAX_STRING))}… (${shown.length} characters)` : quote(shown);
        // The redaction marker is the one non-ASCII text shown as itself (config/redact.ts writes it too).
        return shown === value || value.includes("…") ? quoted : quoted.split("\\u{2026}").join("…");
      }
    }
    if (value === null) return "null";
    const object = value as object;
    if (seen.has(object)) return "(a reference back to an enclosing object)";
    seen.add(object);
    try {
      if (Array.isArray(object)) {
        if (depth >= MAX_DEPTH) return `[… ${object.length} items]`;
        const items = object.slice(0, MAX_ITEMS).map((v) => render(v, depth + 1, seen));
        if (object.length > MAX_ITEMS) items.push(`… ${object.length - MAX_ITEMS} more`);
        return `[${items.join(", ")}]`;
      }
      if (object instanceof Date) return Number.isNaN(object.getTime()) ? "an invalid Date" : `Date ${object.toISOString()}`;
      if (object instanceof RegExp) return `RegExp ${cut(String(object))}`;
      if (object instanceof Map || object instanceof Set) return `a ${object.constructor.name} of ${object.size}`;
      const keys = Reflect.ownKeys(object).filter((k): k is string => typeof k === "string");
      if (depth >= MAX_DEPTH) return `{… ${keys.length} keys}`;
      const shown = keys.slice(0, MAX_ITEMS).map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(cut(k))}: ${renderProperty(object, k, depth, seen)}`);
      if (keys.length > MAX_ITEMS) shown.push(`… ${keys.length - MAX_ITEMS} more`);
      return `{${shown.join(", ")}}`;
    } finally {
      seen.delete(object);
    }
  } catch {
    // A Proxy or getter that throws: say so rather than fail the error message itself.
    return "(an unreadable value)";
  }
}

function renderProperty(object: object, key: string, depth: number, seen: Set<object>): string {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  if (descriptor && !("value" in descriptor)) return "(a getter)";
  return render(descriptor?.value, depth + 1, seen);
}

/** Quoted, with anything outside printable ASCII escaped: a look-alike or invisible character shows as \u{…}. */
function quote(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/gu, (ch) => `\\u{${ch.codePointAt(0)!.toString(16)}}`);
}

function cut(text: string): string {
  return text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text;
}

/** A field path as operators write it: `gcp.cluster.masterAuthorizedNetworks.0.cidr`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.length > 0 ? path.map((k) => cut(String(k))).join(".") : "(top level)";
}
