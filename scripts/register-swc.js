// Transpile-only TypeScript loader: `node -r ./scripts/register-swc.js main.ts`.
// Type-checking happens once, in `tsc --noEmit`; running code only strips types (swc, a few ms a file),
// which is what keeps a full synth under a second (see `npm run bench`).
"use strict";
const fs = require("node:fs");
const { transformSync } = require("@swc/core");

// Stack traces point at the TypeScript lines.
process.setSourceMapsEnabled(true);

const options = {
  jsc: { parser: { syntax: "typescript" }, target: "es2022" },
  module: { type: "commonjs" },
  sourceMaps: "inline",
  swcrc: false,
  configFile: false,
};

require.extensions[".ts"] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const { code } = transformSync(source, { ...options, filename });
  module._compile(code, filename);
};
