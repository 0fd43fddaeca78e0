/**
 * The random stand-in's ephemeral `random_password` (emulator/standin/random.ts), against hashicorp/random v3.9.0
 * as its source and docs say (docs/ephemeral-resources/password.md: "length (Number) … minimum value for length is 1
 * and, length must also be >= (min_upper + min_lower + min_numeric + min_special)"; "special … These are
 * !@#$%&*()-_=+[]{}<>:?. Default value is true"; upper, lower, numeric default true; min_* default 0;
 * "If numeric, upper, lower, and special are all configured, at least one of them must be set to true"; result and
 * bcrypt_hash read-only and sensitive).
 */
import { ephemeralResource, RANDOM_SCHEMA } from "../../emulator/standin/random";

const password = ephemeralResource("random", "random_password");
/** A configuration as Terraform sends it: every attribute present, unset ones null. */
const config = (set: Record<string, unknown>) => ({
  length: null,
  special: null,
  upper: null,
  lower: null,
  numeric: null,
  min_numeric: null,
  min_upper: null,
  min_lower: null,
  min_special: null,
  override_special: null,
  result: null,
  bcrypt_hash: null,
  ...set,
});

describe("the random stand-in's schema", () => {
  it("serves random_password as an ephemeral resource, and nothing else", () => {
    expect(Object.keys(RANDOM_SCHEMA.ephemeral_resource_schemas)).toEqual(["random_password"]);
    expect(RANDOM_SCHEMA.resource_schemas).toEqual({});
    const attributes = RANDOM_SCHEMA.ephemeral_resource_schemas.random_password.block.attributes!;
    expect(attributes.length).toMatchObject({ type: "number", required: true });
    for (const name of ["special", "upper", "lower", "numeric", "min_numeric", "min_upper", "min_lower", "min_special"]) {
      expect([name, attributes[name].optional, attributes[name].computed]).toEqual([name, true, true]);
    }
    expect(attributes.override_special).toMatchObject({ type: "string", optional: true });
    expect(attributes.result).toMatchObject({ type: "string", computed: true, sensitive: true });
    expect(attributes.bcrypt_hash).toMatchObject({ type: "string", computed: true, sensitive: true });
  });
});

describe("opening random_password", () => {
  it("fills the defaults and draws from every class: upper, lower, digits and the documented special characters", () => {
    const opened = password.open(config({ length: 200 }));
    expect(opened).toMatchObject({ length: 200, special: true, upper: true, lower: true, numeric: true, min_numeric: 0, min_upper: 0, min_lower: 0, min_special: 0 });
    const result = opened.result as string;
    expect(result).toHaveLength(200);
    expect(result).toMatch(/^[A-Za-z0-9!@#$%&*()\-_=+[\]{}<>:?]+$/);
  });

  it("leaves special characters out when special is false (the admin password's shape)", () => {
    const result = password.open(config({ length: 40, special: false })).result as string;
    expect(result).toMatch(/^[A-Za-z0-9]{40}$/);
  });

  it("meets every minimum, and makes a new value each time", () => {
    const opened = password.open(config({ length: 12, special: false, min_numeric: 5, min_upper: 5 }));
    const result = opened.result as string;
    expect(result.replace(/[^0-9]/g, "").length).toBeGreaterThanOrEqual(5);
    expect(result.replace(/[^A-Z]/g, "").length).toBeGreaterThanOrEqual(5);
    expect(password.open(config({ length: 40, special: false })).result).not.toBe(password.open(config({ length: 40, special: false })).result);
  });
});

describe("validating random_password", () => {
  it("accepts the admin password's configuration", () => {
    expect(password.validate(config({ length: 40, special: false }))).toEqual([]);
  });

  it("fails if length is below 1, or below the sum of the minimums", () => {
    expect(password.validate(config({ length: 0 }))).toEqual([expect.stringMatching(/length value must be at least 1, got: 0/)]);
    expect(password.validate(config({ length: 3, min_upper: 2, min_lower: 2 }))).toEqual([
      expect.stringMatching(/length value must be at least sum of min_upper \+ min_lower \+ min_numeric \+ min_special, got: 3/),
    ]);
  });

  it("fails if numeric, upper, lower and special are all false, and only then", () => {
    expect(password.validate(config({ length: 8, numeric: false, special: false, upper: false, lower: false }))).toEqual([expect.stringMatching(/At least one attribute out of \[special,upper,lower,numeric\] must be specified as true/)]);
    expect(password.validate(config({ length: 8, numeric: false, special: false, upper: false }))).toEqual([]);
  });
});
