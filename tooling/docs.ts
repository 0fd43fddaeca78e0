/**
 * `npm run docs`: writes docs/architecture.md, the architecture drawn from the synthesized stacks
 * (tooling/lib/architecture.ts). test/architecture.test.ts fails when the committed file is out of date.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, loadEnvironments } from "../config";
import { ARCHITECTURE_FILE, architectureMarkdown, synthesizeStacks } from "./lib/architecture";

try {
  fs.writeFileSync(ARCHITECTURE_FILE, architectureMarkdown(synthesizeStacks(loadEnvironments())));
  console.log(`wrote ${path.relative(process.cwd(), ARCHITECTURE_FILE)}`);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
