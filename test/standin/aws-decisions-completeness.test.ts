/**
 * Completeness of the aws decision table (emulator/standin/decisions/aws.ts): every AWS resource and data source
 * type the synthesized stacks use, and every attribute path they set, has a reviewed entry, in both environments and
 * for both targets (the emulator target leaves some types out and sets provider endpoints). A new resource, or a new
 * argument on an old one, fails here until its entry is read from the provider's source and recorded; an entry for a
 * path no stack sets any more fails too, so the table stays the stacks' table. The binary-side check of the entries
 * is test/engine/aws-decisions.test.ts.
 */
import * as os from "node:os";
import * as path from "node:path";
import { ENV_NAMES } from "../../config";
import { LAYER_CLOUDS, LAYERS } from "../../config/naming";
import { AWS_DECISIONS, AWS_SOURCES_READ } from "../../emulator/standin/decisions/aws";
import type { TypeDecision } from "../../emulator/standin/decisions/types";
import { deriveProviderSchema } from "../../emulator/standin/schema";
import type { DeployTarget } from "../../stacks/target";
import { setPaths } from "../support/schema-diff";
import { synthLayer, UNIT_TARGET } from "../support/synth";

const EMULATOR_TARGET: DeployTarget = {
  kind: "emulator",
  endpoint: "http://127.0.0.1:1",
  stateDir: path.join(os.tmpdir(), "packagecloud-aws-decisions-state"),
};
const AWS_LAYERS = LAYERS.filter((layer) => LAYER_CLOUDS[layer] === "aws");

/** The types ("aws_x", "data.aws_y") and attribute paths ("aws_x.a.b") the stacks set. */
interface StackUse {
  readonly types: ReadonlySet<string>;
  readonly paths: ReadonlySet<string>;
}

function stackUse(): StackUse {
  const objects: { type: string; body: Record<string, unknown> }[] = [];
  for (const env of ENV_NAMES) {
    for (const layer of AWS_LAYERS) {
      for (const target of [UNIT_TARGET, EMULATOR_TARGET]) {
        const json = synthLayer(env, layer, target).out.json;
        for (const [kind, prefix] of [
          ["resource", ""],
          ["data", "data."],
        ] as const) {
          for (const [type, byName] of Object.entries<Record<string, Record<string, unknown>>>(json[kind] ?? {})) {
            if (!type.startsWith("aws_")) continue;
            for (const body of Object.values(byName)) objects.push({ type: `${prefix}${type}`, body });
          }
        }
      }
    }
  }
  const types = new Set(objects.map((o) => o.type));
  // The schema tells a block (descend into it) from a map attribute (tags: stop); derived from the pinned bindings,
  // which test/engine/standin-schema.test.ts proves equal to the binary's schema in every path the stacks set.
  const schema = deriveProviderSchema("@cdktf/provider-aws", { types: [...types] });
  const paths = new Set<string>();
  for (const { type, body } of objects) {
    const entry = type.startsWith("data.") ? schema.data_source_schemas[type.slice(5)] : schema.resource_schemas[type];
    if (!entry) throw new Error(`no schema derived for ${type}`);
    setPaths(type, body, entry.block, paths);
  }
  return { types, paths };
}

/** What the stacks use that the table has no entry for, and entries for what no stack uses. */
export function tableGaps(use: StackUse, table: readonly TypeDecision[]): { missing: string[]; stale: string[] } {
  const typesInTable = new Set(table.map((t) => t.type));
  const pathsInTable = new Set(table.flatMap((t) => t.attributes.map((a) => a.path)));
  const missing = [
    ...[...use.types].filter((t) => !typesInTable.has(t)).map((t) => `type ${t}`),
    ...[...use.paths].filter((p) => !pathsInTable.has(p)),
  ];
  const stale = [
    ...[...typesInTable].filter((t) => !use.types.has(t)).map((t) => `type ${t}`),
    ...[...pathsInTable].filter((p) => !use.paths.has(p)),
  ];
  return { missing: missing.sort(), stale: stale.sort() };
}

let use: StackUse;

beforeAll(() => {
  use = stackUse();
}, 120_000);

it("reads the stacks' AWS use: dozens of types and a few hundred paths, the emulator target's included", () => {
  expect(use.types.size).toBeGreaterThan(40);
  expect(use.paths.size).toBeGreaterThan(200);
  expect(use.types).toContain("data.aws_availability_zone");
  expect(use.paths).toContain("aws_instance.metadata_options.http_tokens");
});

it("has a reviewed entry for every AWS type and attribute path the stacks set, and none for what they do not set", () => {
  expect(tableGaps(use, AWS_DECISIONS)).toEqual({ missing: [], stale: [] });
});

it("cites each entry as <file>:<line> in a provider file read at a recorded commit (one path unpinned, and said so)", () => {
  const sources = AWS_DECISIONS.flatMap((t) => [t.source, ...t.attributes.map((a) => a.source)]);
  const unpinned = sources.filter((s) => !/^internal\/service\/\w+\/\w+\.go:\d+$/.test(s));
  expect(unpinned).toEqual(["internal/service/s3/bucket.go (line not pinned: the stored copy read predates the attribute)"]);
  const files = new Set(sources.map((s) => s.split(/[: ]/)[0]));
  expect([...files].filter((f) => !(f in AWS_SOURCES_READ))).toEqual([]);
  expect(Object.values(AWS_SOURCES_READ).every((commit) => /^[0-9a-f]{40}$/.test(commit))).toBe(true);
});

describe("the completeness check can fail", () => {
  it("names a path the stacks set that has no entry", () => {
    const table = AWS_DECISIONS.map((t) =>
      t.type === "aws_ebs_volume" ? { ...t, attributes: t.attributes.filter((a) => a.path !== "aws_ebs_volume.kms_key_id") } : t,
    );
    expect(tableGaps(use, table)).toEqual({ missing: ["aws_ebs_volume.kms_key_id"], stale: [] });
  });

  it("names a type the stacks use that has no entry", () => {
    const table = AWS_DECISIONS.filter((t) => t.type !== "aws_volume_attachment");
    expect(tableGaps(use, table).missing).toEqual(expect.arrayContaining(["type aws_volume_attachment", "aws_volume_attachment.device_name"]));
  });

  it("names a new argument a stack starts to set", () => {
    const grown: StackUse = { types: use.types, paths: new Set([...use.paths, "aws_instance.hibernation"]) };
    expect(tableGaps(grown, AWS_DECISIONS)).toEqual({ missing: ["aws_instance.hibernation"], stale: [] });
  });

  it("names an entry no stack uses any more", () => {
    const shrunk: StackUse = { types: use.types, paths: new Set([...use.paths].filter((p) => p !== "aws_kms_key.description")) };
    expect(tableGaps(shrunk, AWS_DECISIONS)).toEqual({ missing: [], stale: ["aws_kms_key.description"] });
  });
});
