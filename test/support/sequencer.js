/**
 * The order jest starts test files in: the long engine files first, longest first, then everything else in jest's
 * own order (failed and slow first when it has timings from an earlier run, else largest first).
 *
 * Why: a clean checkout has no timings, so jest would start by file size, and a five-minute deployment test that
 * starts last ends last. The long files mostly wait (on Terraform applies, the provider's waiters, moto), so
 * starting them at once lets the CPU-bound unit files run in their shadow (docs/speed.md). Plain JavaScript:
 * jest loads the sequencer before any transform. test/sequencer.test.ts checks that every file named here exists.
 */
const path = require("node:path");
const Sequencer = require("@jest/test-sequencer").default;

/** Longest first, by the wall-clock times in docs/speed.md. */
const LONG_FILES = [
  "test/engine/pipeline-deploy.test.ts",
  "test/engine/ops.test.ts",
  "test/engine/adoption.test.ts",
  "test/engine/backup-job.test.ts",
  "test/engine/pipeline.test.ts",
  "test/engine/standin-terraform.test.ts",
  "test/engine/validate.test.ts",
];

const ROOT = path.resolve(__dirname, "..", "..");

class LongFilesFirst extends Sequencer {
  async sort(tests) {
    const rank = (test) => LONG_FILES.indexOf(path.relative(ROOT, test.path).split(path.sep).join("/"));
    const long = tests.filter((test) => rank(test) >= 0).sort((a, b) => rank(a) - rank(b));
    const rest = await super.sort(tests.filter((test) => rank(test) < 0));
    return [...long, ...rest];
  }
}

module.exports = LongFilesFirst;
module.exports.LONG_FILES = LONG_FILES;
