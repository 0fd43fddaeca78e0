#!/usr/bin/env node
// @ts-check
/**
 * Reads `terraform show -json plan.tfplan` output and
 *   - prints GitLab's Terraform report ({"create": n, "update": n, "delete": n}), shown on the merge request;
 *   - with --guard <stack>: refuses (exit 3) a plan that deletes or replaces anything, unless
 *     ALLOW_DESTRUCTIVE_APPLY names that exact stack. Used before applying a protected layer.
 * Plain JavaScript, no dependencies: it runs in deploy jobs that install nothing.
 *
 * Usage: node operator/ci/plan-report.js plan.json [--guard packagecloud-ops-storage]
 */
"use strict";
const fs = require("node:fs");

/** @param {any} plan */
function summarize(plan) {
  const counts = { create: 0, update: 0, delete: 0 };
  /** @type {string[]} */
  const destructive = [];
  for (const change of plan.resource_changes ?? []) {
    const actions = change.change?.actions ?? [];
    if (actions.includes("create")) counts.create += 1;
    if (actions.includes("update")) counts.update += 1;
    if (actions.includes("delete")) {
      counts.delete += 1;
      destructive.push(`${change.address} (${actions.join(", ")})`);
    }
  }
  return { counts, destructive };
}

function main() {
  const [file, flag, stack] = process.argv.slice(2);
  if (!file) {
    console.error("usage: plan-report.js plan.json [--guard <stack>]");
    process.exit(2);
  }
  const { counts, destructive } = summarize(JSON.parse(fs.readFileSync(file, "utf8")));
  if (flag === "--guard") {
    if (!stack) {
      console.error("plan-report.js: --guard needs the stack name");
      process.exit(2);
    }
    if (destructive.length > 0 && process.env.ALLOW_DESTRUCTIVE_APPLY !== stack) {
      console.error(
        `Refusing to apply ${stack}: the plan deletes or replaces ${destructive.length} resource(s) of a protected layer:\n` +
          destructive.map((d) => `  - ${d}`).join("\n") +
          `\nIf this is intended, re-run the job with ALLOW_DESTRUCTIVE_APPLY=${stack}.`,
      );
      process.exit(3);
    }
    console.error(`${stack}: no deletes or replacements (or explicitly allowed); ${JSON.stringify(counts)}`);
    return;
  }
  process.stdout.write(`${JSON.stringify(counts)}\n`);
}

if (require.main === module) main();
module.exports = { summarize };
