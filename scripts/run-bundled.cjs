"use strict";
/**
 * Loads a TypeScript entry of this repository as one CommonJS file: esbuild bundles the entry and
 * every module of the repository it imports (the workspace packages included; packages from
 * node_modules stay external), caches the bundle under .cache/ (git-ignored) and rebuilds it only
 * when one of its inputs changes. Node then loads one file instead of transpiling and resolving
 * each module on every run. Used by the cdktf app command (run-app.cjs) and the CLI's bin.
 * Plain JavaScript, so it runs on any Node that runs npm.
 */
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require("node:fs");
const { dirname, join, resolve } = require("node:path");

const ROOT = resolve(__dirname, "..");
// Outside node_modules: Node maps stack traces only for files outside it (see loadBundled).
const CACHE_DIR = join(ROOT, ".cache", "bundled-entries");

/** Size and mtime of a file the bundle was built from; any change rebuilds it. */
function stamp(path) {
  try {
    const stats = statSync(path);
    return `${stats.size}:${stats.mtimeMs}`;
  } catch {
    return "missing";
  }
}

function upToDate(inputsFile) {
  try {
    const inputs = JSON.parse(readFileSync(inputsFile, "utf8"));
    return Object.entries(inputs).every(([path, recorded]) => stamp(path) === recorded);
  } catch {
    return false;
  }
}

/**
 * Modules that read their own location (`__dirname`, `__filename`) keep it in the bundle: both are
 * declared at the top of such a module with its original path.
 */
const ownLocation = {
  name: "own-location",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
      const header = `const __dirname = ${JSON.stringify(dirname(args.path))}; const __filename = ${JSON.stringify(args.path)};\n`;
      return { contents: header + source, loader: "ts" };
    });
  },
};

/** The dependencies of the root package and its workspaces: loaded from node_modules at run time. */
function externals() {
  const manifest = (path) => JSON.parse(readFileSync(join(ROOT, path, "package.json"), "utf8"));
  const root = manifest(".");
  const workspaces = root.workspaces.map(manifest);
  const own = new Set(workspaces.map((workspace) => workspace.name));
  const names = [root, ...workspaces].flatMap((pkg) =>
    Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }),
  );
  return [...new Set(names)].filter((name) => !own.has(name)).flatMap((name) => [name, `${name}/*`]);
}

async function build(entry, bundleFile, inputsFile) {
  const { build: esbuild } = require("esbuild");
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    // Not written (write: false), but it places the source map's paths relative to the bundle.
    outfile: bundleFile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: `node${process.versions.node.split(".")[0]}`,
    external: externals(),
    // A bug's stack trace points into the TypeScript.
    sourcemap: "inline",
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: "error",
    plugins: [ownLocation],
  });
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs).map((input) => {
      const path = resolve(ROOT, input);
      return [path, stamp(path)];
    }),
  );
  mkdirSync(CACHE_DIR, { recursive: true });
  // Parallel runs may build at once: a rename never leaves half a file.
  for (const [file, contents] of [
    [bundleFile, result.outputFiles[0].contents],
    [inputsFile, JSON.stringify(inputs)],
  ]) {
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, contents);
    renameSync(temporary, file);
  }
}

/**
 * The exports of `entry` (a path relative to the repository root), bundled. Source maps are on
 * while it loads, for files outside node_modules only: Node keeps the map of a file loaded while
 * they are on, so a bug's stack trace is mapped even if the entry turns them off afterwards.
 *
 * @example const { main } = await loadBundled("cli/src/main.ts")
 */
async function loadBundled(entry) {
  const { version: esbuildVersion } = require("esbuild/package.json");
  const key = createHash("sha256")
    .update(readFileSync(__filename))
    .update(entry)
    .update(esbuildVersion)
    .update(process.version)
    .digest("hex")
    .slice(0, 16);
  const name = entry.replace(/\.ts$/, "").replace(/[^A-Za-z0-9]+/g, "-");
  const bundleFile = join(CACHE_DIR, `${name}-${key}.cjs`);
  const inputsFile = join(CACHE_DIR, `${name}-${key}.inputs.json`);
  if (!upToDate(inputsFile)) await build(join(ROOT, entry), bundleFile, inputsFile);
  require("node:module").setSourceMapsSupport?.(true, { nodeModules: false, generatedCode: false });
  return require(bundleFile);
}

module.exports = { loadBundled };
