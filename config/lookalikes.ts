/**
 * Look-alike text: configuration values are ASCII, and a non-ASCII character where ASCII is expected is either a
 * typo or an attack. `packagecloud-alerts@gitlаb.com` with a Cyrillic `а` (U+0430) looks right in review and sends
 * every alert to someone else's domain; so does its punycode spelling `xn--gitlb-…`.
 *
 * @example
 *   checkText("ops@gitlаb.com")   // "contains U+0430 (Cyrillic) among Latin letters: a look-alike …"
 */
import { domainToUnicode } from "node:url";

const SCRIPTS = ["Latin", "Cyrillic", "Greek", "Armenian", "Cherokee", "Han", "Arabic", "Hebrew"] as const;

function scriptOf(ch: string): string | undefined {
  for (const script of SCRIPTS) if (new RegExp(`\\p{Script=${script}}`, "u").test(ch)) return script;
  return undefined;
}

const codePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/** Why a text is refused, or undefined when it is plain printable ASCII with no look-alike punycode. */
export function checkText(text: string): string | undefined {
  for (const ch of text) {
    if (/[\x00-\x1f\x7f]/.test(ch)) return `contains the control character ${codePoint(ch)}: configuration values are printable ASCII`;
    if (ch.codePointAt(0)! > 0x7e) {
      const script = scriptOf(ch);
      const latin = /\p{Script=Latin}/u.test(text.replace(ch, ""));
      if (script && script !== "Latin" && latin) {
        return `contains ${codePoint(ch)} (${script}) among Latin letters: a look-alike (homoglyph) of an ASCII character; configuration values are ASCII only`;
      }
      if (/[\u200b-\u200f\u2060\ufeff\u00ad]/.test(ch)) return `contains the invisible character ${codePoint(ch)}: configuration values are printable ASCII`;
      return `contains the non-ASCII character ${codePoint(ch)}: configuration values are ASCII only (write internationalized domain names as punycode, xn--)`;
    }
  }
  return checkPunycode(text);
}

/** A punycode label (`xn--…`) in a domain or e-mail that decodes to mixed scripts is a look-alike too. */
function checkPunycode(text: string): string | undefined {
  if (!/xn--/i.test(text)) return undefined;
  const domain = text.includes("@") ? text.slice(text.lastIndexOf("@") + 1) : text.replace(/^[a-z]+:\/\//i, "").split(/[/:]/)[0];
  const decoded = domainToUnicode(domain.toLowerCase());
  if (decoded === "") return `contains a punycode label that does not decode (${domain}): write the domain as it is registered`;
  for (const label of decoded.split(".")) {
    const scripts = new Set([...label].map(scriptOf).filter((s): s is string => s !== undefined));
    if (scripts.size > 1) {
      return `contains the punycode label for "${label}", which mixes ${[...scripts].join(" and ")} letters: a look-alike (homoglyph) domain`;
    }
  }
  return undefined;
}
