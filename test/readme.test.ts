/**
 * The README restates code in a few tables; these tests keep it true.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadEnvironments } from "../config";
import { LAYERS } from "../constructs/naming";
import { environmentTable, rulesTable } from "../scripts/lib/readme-tables";

const ROOT = path.resolve(__dirname, "..");
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

describe("README", () => {
  it("shows the environment table generated from the configuration", () => {
    expect(readme).toContain(environmentTable(loadEnvironments()));
  });

  it("shows the policy rules table generated from the policy pack", () => {
    expect(readme).toContain(rulesTable());
  });

  it("lists every stack layer", () => {
    for (const layer of LAYERS) expect(readme).toContain(`\`packagecloud-<env>-${layer}\``);
  });

  it("lists every construct class with its file", () => {
    const files = fs.readdirSync(path.join(ROOT, "constructs")).filter((f) => f.endsWith(".ts"));
    for (const file of files) {
      const source = fs.readFileSync(path.join(ROOT, "constructs", file), "utf8");
      for (const [, name] of source.matchAll(/export class (\w+) extends Construct/g)) {
        expect(readme).toContain(`| \`${name}\` | \`constructs/${file}\` |`);
      }
    }
  });

  it("names the two set-up commands and the test command CI runs", () => {
    expect(readme).toContain("npm ci && npm run local");
    expect(readme).toContain("npm ci && npm test");
    expect(fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8")).toMatch(/^npm test$/m);
  });
});
