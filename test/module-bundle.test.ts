/**
 * tooling/module-bundle.js: the cached bundle that `npm run synth` and the other scripts load their modules from.
 * It must change nothing but the speed: same results as loading from disk, a changed file noticed at once, and
 * code it cannot hold loaded from disk as before.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const BUNDLER = path.resolve(__dirname, "..", "tooling", "module-bundle.js");

let dir: string;
let cacheDir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "module-bundle-"));
  cacheDir = path.join(dir, "cache");
  const files: Record<string, string> = {
    "preload.js": `require(${JSON.stringify(BUNDLER)}).install({ cacheDir: ${JSON.stringify(cacheDir)}, entry: process.argv[1], salt: "test" });`,
    "entry.js": [
      "#!/usr/bin/env node",
      'const lib = require("./lib");',
      'const data = require("./data.json");',
      'const spaced = require("./spaced");',
      'const dep = require("dep");',
      "console.log(JSON.stringify({ lib: lib.value, same: lib === require('./lib.js'), data, spaced, dep, main: require.main === module, self: __filename.endsWith('entry.js'), bundled: /[.][0-9a-f]{16}[.]js:/.test(new Error().stack) }));",
    ].join("\n"),
    "lib.js": '"use strict";\nexports.value = "gr\u00fc\u00dfe \u{1F600} " + /[\u00e0-\u00fc]+/u.exec("x\u00e4\u00f6y")[0];\n//# sourceMappingURL=data:application/json;base64,eyJ9',
    "data.json": "\ufeff{ \"name\": \"caf\u00e9\" }",
    // A no-break space as a separator: it cannot be escaped, so this module stays out of the bundle.
    "spaced.js": "module.exports =\u00a0{ ok: true };",
    "node_modules/dep/package.json": '{ "name": "dep", "main": "main.js" }',
    "node_modules/dep/main.js": 'module.exports = this === module.exports;',
  };
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ["-r", "./preload.js", "entry.js"], { cwd: dir, encoding: "utf8", env: { ...process.env, ...env } });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout);
}

const bundles = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).filter((f) => /\.[0-9a-f]{16}\.js$/.test(f)) : []);

describe("module bundle", () => {
  it("gives the same results from the bundle as from disk, and records only after a successful run", () => {
    const fromDisk = run({ PACKAGECLOUD_BUNDLE: "0" });
    expect(bundles()).toEqual([]);
    expect(fromDisk).toEqual({ lib: "gr\u00fc\u00dfe \u{1F600} \u00e4\u00f6", same: true, data: { name: "caf\u00e9" }, spaced: { ok: true }, dep: true, main: true, self: true, bundled: false });
    expect(run()).toEqual(fromDisk); // records
    expect(bundles()).toHaveLength(1);
    const bundle = fs.readFileSync(path.join(cacheDir, bundles()[0]!), "latin1");
    expect(bundle).not.toMatch(/[^\x00-\x7f]/);
    expect(bundle).not.toContain("sourceMappingURL");
    expect(bundle).not.toContain("spaced.js");
    const bundled = { ...fromDisk, bundled: true };
    expect(run()).toEqual(bundled); // from the bundle
    expect(run()).toEqual(bundled); // from the bundle and V8's code cache
    expect(run({ PACKAGECLOUD_SOURCE_MAPS: "1" })).toEqual(fromDisk);
  });

  it("notices a changed file at once and records again", () => {
    run();
    const first = bundles();
    fs.writeFileSync(path.join(dir, "lib.js"), 'exports.value = "changed";');
    expect(run().lib).toBe("changed");
    expect(run().lib).toBe("changed");
    expect(bundles()).toHaveLength(1);
    expect(bundles()).not.toEqual(first);
  });

  it("writes nothing for a run that fails", () => {
    fs.writeFileSync(path.join(dir, "entry.js"), 'require("./lib"); process.exitCode = 1;');
    spawnSync(process.execPath, ["-r", "./preload.js", "entry.js"], { cwd: dir });
    expect(bundles()).toEqual([]);
  });
});
