#!/usr/bin/env node
"use strict";
/**
 * The cdktf app command (`cdktf.json`): runs main.ts. esbuild bundles main.ts and every module of
 * this repository it imports into one CommonJS file (the packages in node_modules stay external),
 * cached under .cache/ (git-ignored) and rebuilt only when one of its inputs changes; Node then loads
 * one file instead of transpiling and resolving each module on every synth (tsx did, and it cost
 * most of a synth's time). Plain JavaScript, so it runs on any Node the cdktf CLI uses.
 */
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require("node:fs");
const { dirname, join, resolve } = require("node:path");
const { build: esbuild, version: esbuildVersion } = require("esbuild");

const ROOT = resolve(__dirname, "..");
const ENTRY = join(ROOT, "main.ts");
// Outside node_modules: Node maps stack traces only for modules outside it (main.ts asks so).
const CACHE_DIR = join(ROOT, ".cache", "webhook-app");
const key = createHash("sha256")
  .update(readFileSync(__filename))
  .update(esbuildVersion)
  .update(process.version)
  .digest("hex")
  .slice(0, 16);
const bundleFile = join(CACHE_DIR, `main-${key}.cjs`);
const inputsFile = join(CACHE_DIR, `main-${key}.inputs.json`);

/** Size and mtime of every file the bundle was built from; any change rebuilds it. */
function stamp(path) {
  try {
    const stats = statSync(path);
    return `${stats.size}:${stats.mtimeMs}`;
  } catch {
    return "missing";
  }
}

function upToDate() {
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

/** Packages load from node_modules at run time; the workspace's own TypeScript packages are bundled. */
function externals() {
  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const workspacePackages = new Set(["@webhooks/shared", "@webhooks/cli"]);
  return Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })
    .filter((name) => !workspacePackages.has(name))
    .flatMap((name) => [name, `${name}/*`]);
}

async function build() {
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    // Not written (write: false), but it places the source map's paths relative to the bundle.
    outfile: bundleFile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: `node${process.versions.node.split(".")[0]}`,
    external: externals(),
    // Positions of a bug's stack trace point into the TypeScript (main.ts turns maps on for it).
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
  // Parallel synths may build at once: a rename never leaves half a file.
  for (const [file, contents] of [
    [bundleFile, result.outputFiles[0].contents],
    [inputsFile, JSON.stringify(inputs)],
  ]) {
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, contents);
    renameSync(temporary, file);
  }
}

(async () => {
  if (!upToDate()) await build();
  // Node keeps the map of a file loaded while maps are on (main.ts turns them off to synthesize).
  require("node:module").setSourceMapsSupport?.(true, { nodeModules: false, generatedCode: false });
  require(bundleFile);
})().catch((error) => {
  // esbuild has printed what it could not compile (file, line, message).
  if (!error.errors) console.error(error);
  process.exitCode = 1;
});
