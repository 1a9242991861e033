import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { buildSync, version as esbuildVersion } from "esbuild";

/** Node major the functions run on; the bundles target it. */
export const NODE_TARGET = "node24";

/** A bundled file: its path inside the zip and its bytes. */
export interface BundledFile {
  readonly path: string;
  readonly contents: Uint8Array;
}

/** A staged directory ready to become a TerraformAsset, named by its content hash. */
export interface StagedFiles {
  readonly dir: string;
  /** Hex SHA-256 prefix of the staged paths and bytes; passed to TerraformAsset as its hash. */
  readonly hash: string;
}

/** The project root (where package.json is), so bundling works from any working directory. */
export const PROJECT_ROOT = resolve(__dirname, "..");

/**
 * Bundles are cached on disk with the size and mtime of every input esbuild read, so a synth
 * rebuilds only bundles whose sources changed (the layer's SDK clients take ~0.5 s to bundle).
 */
const CACHE_DIR = join(PROJECT_ROOT, "node_modules", ".cache", "webhook-bundles");
const memory = new Map<string, BundledFile>();

type InputStamp = readonly [path: string, size: number, mtimeMs: number];

/**
 * Bundles one entry point to a single minified CommonJS file with esbuild. Output depends on the
 * sources only (no timestamps, no absolute paths), so unchanged code gives identical bytes.
 *
 * @param external package names left to `require` at run time (the layer's packages)
 */
export function bundleEntry(entry: string, outFile: string, external: readonly string[]): BundledFile {
  const key = createHash("sha256")
    .update(JSON.stringify([entry, outFile, external, esbuildVersion, NODE_TARGET]))
    .digest("hex")
    .slice(0, 32);
  const remembered = memory.get(key) ?? readCache(key, outFile);
  if (remembered) {
    memory.set(key, remembered);
    return remembered;
  }
  const result = buildSync({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    target: NODE_TARGET,
    format: "cjs",
    minify: true,
    legalComments: "none",
    sourcemap: false,
    external: [...external],
    logLevel: "silent",
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error(`esbuild produced no output for ${entry}`);
  const bundled = { path: outFile, contents: file.contents };
  writeCache(key, Object.keys(result.metafile.inputs), bundled);
  memory.set(key, bundled);
  return bundled;
}

function stamp(path: string): InputStamp | undefined {
  try {
    const stats = statSync(resolve(PROJECT_ROOT, path));
    return [path, stats.size, stats.mtimeMs];
  } catch {
    return undefined;
  }
}

function readCache(key: string, outFile: string): BundledFile | undefined {
  try {
    const inputs = JSON.parse(readFileSync(join(CACHE_DIR, `${key}.json`), "utf8")) as InputStamp[];
    const unchanged = inputs.every(([path, size, mtimeMs]) => {
      const now = stamp(path);
      return now !== undefined && now[1] === size && now[2] === mtimeMs;
    });
    return unchanged ? { path: outFile, contents: readFileSync(join(CACHE_DIR, `${key}.js`)) } : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(key: string, inputs: readonly string[], bundled: BundledFile): void {
  const stamps = inputs.map(stamp);
  if (stamps.some((s) => s === undefined)) return;
  mkdirSync(CACHE_DIR, { recursive: true });
  writeAtomically(join(CACHE_DIR, `${key}.js`), bundled.contents);
  writeAtomically(join(CACHE_DIR, `${key}.json`), JSON.stringify(stamps));
}

/** Parallel synths (tests, CI) may race on one cache entry; a rename never leaves half a file. */
function writeAtomically(path: string, contents: Uint8Array | string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/**
 * Writes files into a staging directory named after their content hash (once: the name is the
 * content) and returns it. The directory becomes a cdktf TerraformAsset, which copies it into
 * the stack's output folder.
 */
export function stageFiles(label: string, files: readonly BundledFile[]): StagedFiles {
  const hasher = createHash("sha256");
  for (const file of files) hasher.update(file.path).update("\0").update(file.contents).update("\0");
  const hash = hasher.digest("hex").slice(0, 32).toUpperCase();
  const dir = join(tmpdir(), "webhook-platform-bundles", `${label}-${hash}`);
  if (!existsSync(dir)) {
    for (const file of files) {
      const target = join(dir, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeAtomically(target, file.contents);
    }
  }
  return { dir, hash };
}
