/**
 * The stand-in for hashicorp/random, which cannot be installed here: its ephemeral resource `random_password`, the
 * one thing the stacks use (constructs/cloud-sql-mysql.ts makes the Cloud SQL admin password with it).
 *
 * Written from the provider's source at the pinned tag, v3.9.0 (github.com/hashicorp/terraform-provider-random):
 * - the schema: internal/provider/ephemeral_password.go:49-143 (framework `ephemeral/schema`: `length` required;
 *   `special`, `upper`, `lower`, `numeric`, `min_*` optional and computed; `override_special` optional; `result` and
 *   `bcrypt_hash` computed and sensitive); the provider itself has an empty schema (internal/provider/provider.go:28);
 * - the validators: `length` at least 1 and at least the sum of the `min_*` (ephemeral_password.go:63-70,
 *   int64validator.AtLeast / AtLeastSumOf), `numeric` false only while one of special, upper, lower is not false
 *   (ephemeral_password.go:94-100, internal/validators/boolvalidator.go:42-96);
 * - Open: the defaults (ephemeral_password.go:185-211: the four character classes on, every minimum 0) and the
 *   generation (internal/random/string.go:26-113: the minimum of each class first, the rest from every enabled class,
 *   then shuffled, all from a cryptographic source). No Renew and no Close of its own: the framework's defaults.
 * What is not modelled: `bcrypt_hash` (Node has no bcrypt; nothing here reads it) and the ephemeral `random_bytes`
 * the release also serves (ephemeral_bytes.go; no stack uses it, so the stand-in answers that it has no such type).
 */
import { randomInt } from "node:crypto";
import { isObject, Unknown, type ProviderSchemaJson, type Schema } from "./cty";

export const RANDOM_ADDRESS = "registry.terraform.io/hashicorp/random";

type Obj = Record<string, unknown>;

const optionalComputed = (type: "bool" | "number", description: string) => ({ type, optional: true, computed: true, description, description_kind: "plain" });

/** ephemeral_password.go:58-141, attribute by attribute. */
const PASSWORD_SCHEMA: Schema = {
  version: 0,
  block: {
    attributes: {
      length: { type: "number", required: true, description: "The length of the string desired." },
      special: optionalComputed("bool", "Include special characters in the result. Default value is `true`."),
      upper: optionalComputed("bool", "Include uppercase alphabet characters in the result. Default value is `true`."),
      lower: optionalComputed("bool", "Include lowercase alphabet characters in the result. Default value is `true`."),
      numeric: optionalComputed("bool", "Include numeric characters in the result. Default value is `true`."),
      min_numeric: optionalComputed("number", "Minimum number of numeric characters in the result. Default value is `0`."),
      min_upper: optionalComputed("number", "Minimum number of uppercase alphabet characters in the result. Default value is `0`."),
      min_lower: optionalComputed("number", "Minimum number of lowercase alphabet characters in the result. Default value is `0`."),
      min_special: optionalComputed("number", "Minimum number of special characters in the result. Default value is `0`."),
      override_special: { type: "string", optional: true, description: "Supply your own list of special characters to use for string generation." },
      result: { type: "string", computed: true, sensitive: true, description: "The generated random string." },
      bcrypt_hash: { type: "string", computed: true, sensitive: true, description: "A bcrypt hash of the generated random string." },
    },
  },
};

/** The random stand-in's schema, in `terraform providers schema -json` shape. */
export const RANDOM_SCHEMA: ProviderSchemaJson & { ephemeral_resource_schemas: Record<string, Schema> } = {
  provider: { version: 0, block: {} },
  resource_schemas: {},
  data_source_schemas: {},
  ephemeral_resource_schemas: { random_password: PASSWORD_SCHEMA },
};

/** One ephemeral resource type a stand-in serves. */
export interface EphemeralResourceType {
  readonly schema: Schema;
  /** ValidateEphemeralResourceConfig: the provider's refusals, as messages (none: valid). Unknown values pass. */
  validate(config: Obj): string[];
  /** OpenEphemeralResource: the result object (every attribute of the schema). */
  open(config: Obj): Obj;
}

const known = (value: unknown): value is number | boolean | string => value !== null && value !== undefined && !(value instanceof Unknown);

const NUMERIC = "0123456789";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const SPECIAL = "!@#$%&*()-_=+[]{}<>:?";

/** string.go:91-113: `length` characters of the set, each drawn uniformly by a cryptographic source. */
function draw(set: readonly string[], length: number): string[] {
  if (set.length === 0 && length > 0) throw new Error("charSet is empty");
  return Array.from({ length }, () => set[randomInt(set.length)]);
}

const randomPassword: EphemeralResourceType = {
  schema: PASSWORD_SCHEMA,
  validate(config) {
    const errors: string[] = [];
    const length = config.length;
    if (known(length) && (length as number) < 1) errors.push(`Invalid Attribute Value: Attribute length value must be at least 1, got: ${length}`);
    const mins = ["min_upper", "min_lower", "min_numeric", "min_special"].map((k) => config[k]);
    if (known(length) && mins.every((m) => m === null || known(m))) {
      const sum = mins.reduce<number>((total, m) => total + ((m as number | null) ?? 0), 0);
      if ((length as number) < sum) {
        errors.push(`Invalid Attribute Value: Attribute length value must be at least sum of min_upper + min_lower + min_numeric + min_special, got: ${length}`);
      }
    }
    // boolvalidator.go:42-96: a false `numeric` needs one of the others not false (null counts as not false).
    if (config.numeric === false && ["special", "upper", "lower"].every((k) => config[k] === false)) {
      errors.push("Invalid Attribute Combination: At least one attribute out of [special,upper,lower,numeric] must be specified as true");
    }
    return errors;
  },
  open(config) {
    // ephemeral_password.go:185-211.
    const on = (k: string) => (config[k] === null || config[k] === undefined ? true : config[k] === true);
    const min = (k: string) => (typeof config[k] === "number" ? (config[k] as number) : 0);
    const special = typeof config.override_special === "string" && config.override_special !== "" ? config.override_special : SPECIAL;
    // string.go:37-49: the character set of every enabled class; [...s] counts characters, not bytes (3.9.0's fix).
    const chars = [...(on("upper") ? UPPER : ""), ...(on("lower") ? LOWER : ""), ...(on("numeric") ? NUMERIC : ""), ...(on("special") ? special : "")];
    if (chars.length === 0) throw new Error("the character set specified is empty");
    const length = config.length as number;
    // string.go:55-77: each class's minimum first (whether or not the class is enabled, as the source does), then the rest.
    const picked = [
      ...draw([...NUMERIC], min("min_numeric")),
      ...draw([...LOWER], min("min_lower")),
      ...draw([...UPPER], min("min_upper")),
      ...draw([...special], min("min_special")),
    ];
    picked.push(...draw(chars, length - picked.length));
    // string.go:79-86: shuffled.
    for (let i = picked.length - 1; i > 0; i -= 1) {
      const j = randomInt(i + 1);
      [picked[i], picked[j]] = [picked[j], picked[i]];
    }
    return {
      length,
      special: on("special"),
      upper: on("upper"),
      lower: on("lower"),
      numeric: on("numeric"),
      min_numeric: min("min_numeric"),
      min_upper: min("min_upper"),
      min_lower: min("min_lower"),
      min_special: min("min_special"),
      override_special: config.override_special ?? null,
      result: picked.join(""),
      // Not a bcrypt hash (see the file's comment), and nothing derived from the result.
      bcrypt_hash: "(bcrypt_hash is not modelled by the stand-in)",
    };
  },
};

/** The ephemeral resource types each stand-in provider serves, by the provider's short name. */
export const EPHEMERAL_RESOURCES: Readonly<Record<string, Readonly<Record<string, EphemeralResourceType>>>> = {
  random: { random_password: randomPassword },
};

/** The ephemeral resource type, or an error naming what the provider serves. */
export function ephemeralResource(provider: string, type: string): EphemeralResourceType {
  const found = EPHEMERAL_RESOURCES[provider]?.[type];
  if (!found) throw new Error(`${provider} stand-in: no ephemeral resource type ${type}`);
  return found;
}

export function asObject(value: unknown): Obj {
  return isObject(value) ? value : {};
}
