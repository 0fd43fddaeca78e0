// A bundled entry, built on demand and cached outside git (node_modules/.cache/packagecloud-bundle): the first run
// of an entry point (e.g. `main.ts`) records every CommonJS module it loads (the code Node compiled: swc's output for
// TypeScript, the file for JavaScript and JSON) and how each `require` resolved; the next runs load that one file
// instead of ~840 files, 21 MB with the providers' inline source maps, and skip Node's resolution (stat calls,
// package.json reads). V8's code cache for the bundle, taken after a run, spares compiling it again.
//
// Module semantics stay Node's: each module still gets its own `module` object in `require.cache`, loaded by
// Node's loader when first required, in the same order; only where the code comes from and where a request
// resolves to are answered from the bundle. A module or request the bundle does not hold (another target, a
// file added since) is loaded from disk as usual.
//
// The bundle is used only while every file in it is unchanged (modification time and size, one stat each) and
// node, the transpiler and this file are the same; otherwise the run records a new one. It is written only by a
// run that exits 0. Off with PACKAGECLOUD_BUNDLE=0; off whenever PACKAGECLOUD_SOURCE_MAPS=1 (stack traces then
// point at TypeScript lines; from the bundle they point into it).
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const vm = require("node:vm");

const FORMAT = 1;
const EXTENSIONS = [".js", ".ts", ".json"];

const sha256 = (...parts) => crypto.createHash("sha256").update(parts.join("\0")).digest("hex");

/**
 * Non-ASCII characters as `\\uXXXX` escapes (valid in strings, templates, regular expressions, identifiers, and
 * harmless in comments): an all-ASCII bundle is read as latin1 into a one-byte string, without decoding UTF-8
 * (a tenth of a synth).
 */
const asciiOnly = (code) => code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** Unicode white space and line terminators: outside a literal an escape of one is a syntax error. */
const UNICODE_SPACE = /[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** The trailing `//# sourceMappingURL=…` comment (most of a generated provider file's size). */
const stripSourceMap = (code) => code.replace(/\n\/\/# sourceMappingURL=[^\n]*\s*$/, "\n");

function writeAtomically(file, data) {
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, data);
  fs.renameSync(partial, file);
}

/** The manifest, if every file it lists is as it was when the bundle was recorded; else the stale bundle's name. */
function readValidManifest(manifestFile) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  } catch {
    return {};
  }
  if (manifest.format !== FORMAT || typeof manifest.bundle !== "string") return {};
  for (const [file, mtimeMs, size] of manifest.files) {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs !== mtimeMs || stat.size !== size) return { previous: manifest.bundle };
  }
  return { manifest };
}

/** `require` for a module whose code the bundle holds, as Node's loader would make it. */
function makeRequire(module) {
  const require = function require(id) {
    return module.require(id);
  };
  require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

function useBundle(manifest, bundleFile, codeCacheFile) {
  let source;
  try {
    source = fs.readFileSync(bundleFile, "latin1");
  } catch {
    return false; // replaced by a newer recording meanwhile
  }
  let cachedData;
  try {
    cachedData = fs.readFileSync(codeCacheFile);
  } catch {
    // first run of this bundle
  }
  let script;
  let factories;
  try {
    script = new vm.Script(source, { filename: bundleFile, cachedData });
    factories = script.runInThisContext();
  } catch {
    return false; // a bundle V8 cannot compile is recorded again; the run loads from disk meanwhile
  }
  const resolved = new Map(Object.entries(manifest.resolve));

  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function resolveFromBundle(request, parent, isMain, options) {
    if (parent && parent.path && options === undefined) {
      const file = resolved.get(`${parent.path}\0${request}`);
      if (file !== undefined) return file;
    }
    return resolveFilename.call(this, request, parent, isMain, options);
  };
  for (const ext of EXTENSIONS) {
    const load = Module._extensions[ext];
    Module._extensions[ext] = function loadFromBundle(module, filename) {
      const factory = Object.hasOwn(factories, filename) ? factories[filename] : undefined;
      if (factory === undefined) return load.call(this, module, filename);
      factory.call(module.exports, module.exports, makeRequire(module), module, filename, path.dirname(filename));
    };
  }
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the run, so the cache holds the functions the run compiled, not only the top level.
    process.once("exit", (code) => {
      if (code !== 0) return;
      try {
        writeAtomically(codeCacheFile, script.createCachedData());
      } catch {
        // A read-only cache only costs speed.
      }
    });
  }
  return true;
}

function record(manifestFile, base, previous) {
  const resolve = {};
  const code = new Map();
  let loading;

  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function recordResolution(request, parent, isMain, options) {
    const file = resolveFilename.call(this, request, parent, isMain, options);
    if (parent && parent.path && options === undefined && path.isAbsolute(file)) resolve[`${parent.path}\0${request}`] = file;
    return file;
  };
  const compile = Module.prototype._compile;
  Module.prototype._compile = function recordCode(content, filename) {
    if (filename === loading) code.set(filename, content);
    return compile.call(this, content, filename);
  };
  for (const ext of EXTENSIONS) {
    const load = Module._extensions[ext];
    Module._extensions[ext] = function recordLoad(module, filename) {
      const outer = loading;
      loading = filename;
      try {
        // As Node's JSON loader: without a byte-order mark.
        if (ext === ".json") code.set(filename, `module.exports = JSON.parse(${JSON.stringify(fs.readFileSync(filename, "utf8").replace(/^\uFEFF/, ""))});`);
        return load.call(this, module, filename);
      } finally {
        loading = outer;
      }
    };
  }

  process.once("exit", (exitCode) => {
    if (exitCode !== 0) return;
    try {
      const files = [...code.keys()].map((file) => {
        const stat = fs.statSync(file);
        return [file, stat.mtimeMs, stat.size];
      });
      // A module with Unicode white space stays out (loaded from disk as usual): its escape could not be told
      // from its use as a separator.
      const parts = [...code].filter(([, content]) => !UNICODE_SPACE.test(content)).map(
        ([file, content]) =>
          `${JSON.stringify(file)}: function (exports, require, module, __filename, __dirname) {\n${asciiOnly(stripSourceMap(content.replace(/^#!.*/, "")))}\n}`,
      );
      const bundle = `({\n${parts.join(",\n")}\n})`;
      // Named by its content, so a manifest never points at another run's bundle.
      const bundleFile = `${base}.${sha256(bundle).slice(0, 16)}.js`;
      fs.mkdirSync(path.dirname(bundleFile), { recursive: true });
      writeAtomically(bundleFile, bundle);
      // The manifest last: it is what says the bundle is complete.
      writeAtomically(manifestFile, JSON.stringify({ format: FORMAT, bundle: bundleFile, files, resolve }));
      if (previous && previous !== bundleFile) {
        for (const stale of [previous, `${previous}.v8cache`]) fs.rmSync(stale, { force: true });
      }
      // Bundles of entries or versions of this file not run for a week.
      const dir = path.dirname(bundleFile);
      for (const name of fs.readdirSync(dir)) {
        const stat = fs.statSync(path.join(dir, name), { throwIfNoEntry: false });
        if (stat && Date.now() - stat.mtimeMs > 7 * 24 * 3600 * 1000) fs.rmSync(path.join(dir, name), { force: true });
      }
    } catch {
      // A read-only cache only costs speed.
    }
  });
}

/**
 * Loads the entry's modules from its bundle when one is valid, or records one during this run.
 * `salt` names everything else the code depends on (the transpiler's version and options).
 */
function install({ cacheDir, entry, salt }) {
  if (process.env.PACKAGECLOUD_BUNDLE === "0" || process.env.PACKAGECLOUD_SOURCE_MAPS === "1" || !entry) return;
  const self = fs.readFileSync(__filename, "utf8");
  const key = sha256(FORMAT, process.version, process.arch, salt, self, path.resolve(entry)).slice(0, 32);
  const base = path.join(cacheDir, key);
  const { manifest, previous } = readValidManifest(`${base}.json`);
  if (manifest && useBundle(manifest, manifest.bundle, `${manifest.bundle}.v8cache`)) return;
  record(`${base}.json`, base, previous);
}

module.exports = { install };
