// Transpile-only TypeScript loader: `node -r ./tooling/register-swc.js main.ts`.
// Type-checking happens once, in `tsc --noEmit`; running code only strips types with swc. Transpiled files are
// cached by content hash under node_modules/.cache, so a synth with a warm cache does not even load swc
// (see `npm run bench`).
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

// Source maps make every stack trace point at TypeScript lines, but cdktf captures a stack trace for each token
// it creates, and resolving them through source maps costs a fifth of a synth. Errors here carry messages that
// name the construct and the field; set PACKAGECLOUD_SOURCE_MAPS=1 when a trace's line numbers are needed.
if (process.env.PACKAGECLOUD_SOURCE_MAPS === "1") process.setSourceMapsEnabled(true);

const options = {
  jsc: { parser: { syntax: "typescript" }, target: "es2022" },
  module: { type: "commonjs" },
  sourceMaps: "inline",
  swcrc: false,
  configFile: false,
};
const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "packagecloud-swc");
// A new swc release or new options invalidate every entry.
const CACHE_SALT = `${require("@swc/core/package.json").version} ${JSON.stringify(options)}`;

let swc;

function transpile(source, filename) {
  const key = crypto.createHash("sha256").update(CACHE_SALT).update("\0").update(filename).update("\0").update(source).digest("hex");
  const cached = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // not cached yet
  }
  swc ??= require("@swc/core");
  const { code } = swc.transformSync(source, { ...options, filename });
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Write then rename: a parallel process never reads half a file.
    const partial = `${cached}.${process.pid}.partial`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, cached);
  } catch {
    // A read-only node_modules only costs speed.
  }
  return code;
}

require.extensions[".ts"] = function compileTypeScript(module, filename) {
  module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
};

// After the .ts hook, so the bundle records swc's output (tooling/module-bundle.js).
require("./module-bundle").install({ cacheDir: path.join(CACHE_DIR, "..", "packagecloud-bundle"), entry: process.argv[1], salt: CACHE_SALT });
