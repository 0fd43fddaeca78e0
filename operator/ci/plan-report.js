#!/usr/bin/env node
// @ts-check
/**
 * Reads `terraform show -json plan.tfplan` output and
 *   - prints GitLab's Terraform report ({"create": n, "update": n, "delete": n}), shown on the merge request;
 *   - with --guard <stack>: refuses (exit 3) a plan that deletes or replaces anything, unless
 *     ALLOW_DESTRUCTIVE_APPLY names that exact stack, or that updates a running EC2 instance beyond its tags and
 *     API protections, unless ALLOW_INSTANCE_RESTART names that exact stack: aws 5.100.0 applies a change of
 *     user data or instance type by StopInstances → ModifyInstanceAttribute → StartInstances, which takes the
 *     service down (REFERENCE/issue 28). Used before applying a protected layer, and by the routine-edit corpus.
 * Plain JavaScript, no dependencies: it runs in deploy jobs that install nothing.
 *
 * Usage: node operator/ci/plan-report.js plan.json [--guard packagecloud-ops-storage]
 */
"use strict";
const fs = require("node:fs");

/** Attributes of aws_instance that an update changes without touching the running machine. */
const ONLINE_INSTANCE_ATTRIBUTES = new Set(["tags", "tags_all", "volume_tags", "disable_api_termination", "disable_api_stop"]);

/** The top-level attributes whose planned value differs from the prior one (unknown after apply counts as changed). */
function changedAttributes(/** @type {any} */ change) {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const unknown = change.after_unknown ?? {};
  const names = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  return [...names].filter((name) => unknown[name] === true || JSON.stringify(before[name] ?? null) !== JSON.stringify(after[name] ?? null)).sort();
}

/** @param {any} plan */
function summarize(plan) {
  const counts = { create: 0, update: 0, delete: 0 };
  /** @type {string[]} */
  const destructive = [];
  /** @type {string[]} */
  const disruptive = [];
  for (const change of plan.resource_changes ?? []) {
    const actions = change.change?.actions ?? [];
    if (actions.includes("create")) counts.create += 1;
    if (actions.includes("update")) counts.update += 1;
    if (actions.includes("delete")) {
      counts.delete += 1;
      destructive.push(`${change.address} (${actions.join(", ")})`);
    }
    if (change.type === "aws_instance" && actions.length === 1 && actions[0] === "update") {
      const offline = changedAttributes(change.change).filter((name) => !ONLINE_INSTANCE_ATTRIBUTES.has(name));
      if (offline.length > 0) disruptive.push(`${change.address} (update of ${offline.join(", ")})`);
    }
  }
  return { counts, destructive, disruptive };
}

function main() {
  const [file, flag, stack] = process.argv.slice(2);
  if (!file) {
    console.error("usage: plan-report.js plan.json [--guard <stack>]");
    process.exit(2);
  }
  const { counts, destructive, disruptive } = summarize(JSON.parse(fs.readFileSync(file, "utf8")));
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
    if (disruptive.length > 0 && process.env.ALLOW_INSTANCE_RESTART !== stack) {
      console.error(
        `Refusing to apply ${stack}: the plan updates ${disruptive.length} running instance(s) in a way that stops them:\n` +
          disruptive.map((d) => `  - ${d}`).join("\n") +
          `\nIf a restart is intended (a maintenance window), re-run the job with ALLOW_INSTANCE_RESTART=${stack}.`,
      );
      process.exit(3);
    }
    console.error(`${stack}: no deletes, replacements or instance restarts (or explicitly allowed); ${JSON.stringify(counts)}`);
    return;
  }
  process.stdout.write(`${JSON.stringify(counts)}\n`);
}

if (require.main === module) main();
module.exports = { summarize };
