import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type BuildOptions, buildSync } from "esbuild";
import { wholeRef } from "../../cli/src/inventory/references";
import { NODE_TARGET, PROJECT_ROOT } from "../../constructs/bundle";
import { LAYER_PACKAGES } from "../../constructs/shared-layer";
import { median } from "../support/measure";
import { loadPrevious, was } from "../support/previous";
import { zipSize } from "../support/zip-size";

// biome-ignore lint/suspicious/noExplicitAny: the Terraform JSON document is untyped by nature
type Doc = any;

/** Lambda's limit on a function's unzipped code plus its layers. */
const UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024;

/** The cold-start goal for the validator's and the router's module init, on this machine. */
const INIT_GOAL_MS = 150;

/** Run in a fresh node: requires a bundle and prints the time it took. */
const INIT_PROBE = `
const started = performance.now();
require(process.env.BENCH_BUNDLE);
process.stdout.write(String(performance.now() - started));
`;

/** esbuild options the functions are bundled with (constructs/bundle.ts), for the floor bundles. */
const AS_FUNCTIONS: BuildOptions = {
  absWorkingDir: PROJECT_ROOT,
  bundle: true,
  platform: "node",
  target: NODE_TARGET,
  format: "cjs",
  minify: true,
  legalComments: "none",
  external: [...LAYER_PACKAGES],
  logLevel: "silent",
};

/** The SDK client packages bundled into a function (read from esbuild's metafile of its entry). */
function bundledClients(entry: string): string[] {
  const { metafile } = buildSync({ ...AS_FUNCTIONS, entryPoints: [entry], write: false, metafile: true });
  const clients = Object.keys(metafile!.inputs).map(
    (path) => /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\//.exec(path)?.[1],
  );
  return [...new Set(clients.filter((client): client is string => client !== undefined))].sort();
}

/**
 * The floor of a function's init: a bundle that requires only the SDK clients bundled into the
 * function, bundled the same way, so they share the SDK core as they do in the function.
 */
function floorBundle(clients: readonly string[], dir: string): string {
  const outfile = join(dir, "floor.js");
  buildSync({
    ...AS_FUNCTIONS,
    stdin: {
      contents: clients.map((client) => `require(${JSON.stringify(client)});`).join("\n"),
      resolveDir: PROJECT_ROOT,
      loader: "js",
    },
    outfile,
  });
  return outfile;
}

/** An environment variable value Terraform fills at apply, replaced by a stand-in of the right shape. */
function standIn(name: string, value: string): string {
  if (!value.includes("${")) return value;
  if (/URL$/.test(name)) return "https://sqs.us-east-1.amazonaws.com/123456789012/whk-bench-ingest";
  return `whk-bench-${name.toLowerCase().replace(/_/g, "-")}`;
}

/**
 * Each zip the stack builds (archive_file over the synthesized assets) with its deflated size, and
 * each function's module init: a fresh node requiring the bundle with the layer on NODE_PATH, as
 * Lambda resolves /opt/nodejs/node_modules, and the function's own environment. Beside it the
 * floor: a fresh node requiring a bundle of only the SDK clients bundled into the function.
 */
export function benchBundles(doc: Doc, stackDir: string, runs: number): void {
  const previous = loadPrevious();
  const zips = Object.entries(doc.data?.archive_file ?? {}) as Array<[string, { source_dir: string }]>;
  const sourceOf = (reference: string) => {
    const ref = wholeRef(reference);
    const zip = ref?.data && ref.type === "archive_file" && doc.data.archive_file[ref.id];
    if (!zip) throw new Error(`no archive_file behind ${reference}`);
    return join(stackDir, zip.source_dir);
  };
  console.log(
    "\n## Bundles (zips as archive_file builds them; init = require of the bundle in a fresh node)",
  );
  console.log(
    `${"zip".padEnd(44)} ${"files".padStart(5)} ${"raw KB".padStart(9)} ${"zipped KB".padStart(10)}`,
  );
  for (const [, zip] of zips) {
    const figures = zipSize(join(stackDir, zip.source_dir));
    console.log(
      `${zip.source_dir.split("/")[1]!.padEnd(44)} ${String(figures.files).padStart(5)} ${(figures.rawBytes / 1024).toFixed(1).padStart(9)} ${(figures.zipBytes / 1024).toFixed(1).padStart(10)}`,
    );
    if (figures.rawBytes > UNZIPPED_LIMIT_BYTES) console.log("  over Lambda's 250 MB unzipped limit");
  }
  console.log(
    `init goal ≤ ${INIT_GOAL_MS} ms for the validator and the router (medians of ${runs} runs, node ${process.version})`,
  );
  for (const [, fn] of Object.entries(doc.resource.aws_lambda_function) as Array<[string, Doc]>) {
    const layers = (fn.layers as string[]).map((layer) => {
      const version = doc.resource.aws_lambda_layer_version[wholeRef(layer)!.id];
      return join(sourceOf(version.filename), "nodejs/node_modules");
    });
    const bundle = join(sourceOf(fn.filename), `${(fn.handler as string).split(".")[0]}.js`);
    const variables = Object.entries((fn.environment?.variables ?? {}) as Record<string, string>);
    const env = {
      PATH: process.env.PATH,
      AWS_REGION: "us-east-1",
      NODE_PATH: layers.join(":"),
      ...Object.fromEntries(variables.map(([name, value]) => [name, standIn(name, value)])),
    };
    const purpose = (fn.function_name as string).split("-").at(-1)!;
    const entry = join(PROJECT_ROOT, "functions", purpose, "index.ts");
    if (!existsSync(entry)) throw new Error(`${fn.function_name}: no entry at functions/${purpose}/index.ts`);
    const clients = bundledClients(entry);
    const dir = mkdtempSync(join(tmpdir(), "bench-floor-"));
    const floor = floorBundle(clients, dir);
    // In the bundle's directory, where nothing but NODE_PATH (the layer) resolves a package.
    const time = (file: string) =>
      Number(
        execFileSync(process.execPath, ["-e", INIT_PROBE], {
          cwd: dirname(bundle),
          env: { ...env, BENCH_BUNDLE: file },
          encoding: "utf8",
        }),
      );
    const times = Array.from({ length: runs }, () => time(bundle));
    const floors = Array.from({ length: runs }, () => time(floor));
    rmSync(dir, { recursive: true, force: true });
    const figures = (values: number[]) =>
      `median ${median(values).toFixed(1)} ms, min ${Math.min(...values).toFixed(1)} ms`;
    console.log(
      `${`${fn.function_name} init`.padEnd(44)} ${figures(times)}${was(previous.initMs[purpose], " ms")}; floor ${figures(floors)} (${clients.map((client) => client.replace("@aws-sdk/", "")).join(", ") || "no SDK client"})`,
    );
  }
}
