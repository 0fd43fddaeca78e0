/**
 * The stand-ins' value encoding against cty's msgpack wire format (hashicorp/terraform v1.11.4
 * docs/plugin-protocol/object-wire-format.md; zclconf/go-cty cty/msgpack): what Terraform sends must come back
 * byte for byte, and an unknown is the extension Terraform decodes as one.
 */
import { decodeMsgpack, encodeMsgpack, normalizeBlock, Unknown } from "../../emulator/standin/cty";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

describe("cty msgpack", () => {
  it("writes an unknown as cty does: fixext1 of type 0 (d4 00 00)", () => {
    expect(hex(encodeMsgpack(new Unknown()))).toBe("d40000");
  });

  it("reads an unknown with refinements (extension 12) and writes it back unchanged", () => {
    // {x: <ext8 (c7), length 3, type 12, payload {1: true}>}: a refined unknown ("not null") as cty writes one.
    const wire = Uint8Array.from([0x81, 0xa1, 0x78, 0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc3]);
    const value = decodeMsgpack(wire) as { x: unknown };
    expect(value.x).toBeInstanceOf(Unknown);
    expect((value.x as Unknown).extType).toBe(12);
    expect(hex(encodeMsgpack(value))).toBe(hex(wire));
  });

  it("keeps a DynamicPseudoType value ([type JSON as bytes, value]) opaque", () => {
    const wire = encodeMsgpack([Buffer.from('"string"'), "hello"]);
    expect(hex(encodeMsgpack(decodeMsgpack(wire)))).toBe(hex(wire));
  });

  it("normalizes an object to exactly its schema: absent attributes null, absent blocks empty, extras dropped", () => {
    const block = {
      attributes: { a: { type: "string", optional: true }, b: { type: "number", computed: true } },
      block_types: {
        l: { nesting_mode: "list" as const, block: { attributes: { c: { type: "bool", optional: true } } } },
        s: { nesting_mode: "single" as const, block: { attributes: {} } },
      },
    };
    expect(normalizeBlock(block, { a: "x", extra: 1, l: [{}] })).toEqual({ a: "x", b: null, l: [{ c: null }], s: null });
  });
});
