import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { wholeRef } from "../../cli/src/inventory/references";
import { median } from "../support/measure";
import { loadPrevious, was } from "../support/previous";
import { zipSize } from "../support/zip-size";

// biome-ignore lint/suspicious/noExplicitAny: the Terraform JSON document is untyped by nature
type Doc = any;

/** Lambda's limit on a function's unzipped code plus its layers. */
const UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024;

/** The cold-start goal for the validator's and the router's module init, on this machine. */
const INIT_GOAL_MS = 150;

/**
 * Run in a fresh node: requires the bundle, prints its init time and the SDK clients it required
 * while initialising (a client a function loads on first use is not among them).
 */
const INIT_PROBE = `
const Module = require("node:module");
const load = Module._load;
const clients = new Set();
Module._load = function (request, ...rest) {
  if (/^@aws-sdk\\/client-/.test(request)) clients.add(request);
  return load.call(this, request, ...rest);
};
const started = performance.now();
require(process.env.BENCH_BUNDLE);
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, clients: [...clients].sort() }));
`;

/** Run in a fresh node: requires only the given SDK client modules and prints the time. */
const FLOOR_PROBE = `
const started = performance.now();
for (const name of JSON.parse(process.env.BENCH_CLIENTS)) require(name);
process.stdout.write(String(performance.now() - started));
`;

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
 * floor: a fresh node requiring only the SDK clients that init required, from the same layer.
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
    const inits = Array.from(
      { length: runs },
      () =>
        JSON.parse(
          execFileSync(process.execPath, ["-e", INIT_PROBE], {
            cwd: dirname(bundle),
            env: { ...env, BENCH_BUNDLE: bundle },
            encoding: "utf8",
          }),
        ) as { ms: number; clients: string[] },
    );
    const clients = inits[0]!.clients;
    // Both probes run in the bundle's directory: `-e` resolves from its cwd before NODE_PATH, and
    // only the layer may answer, as in Lambda.
    const floors = Array.from({ length: runs }, () =>
      Number(
        execFileSync(process.execPath, ["-e", FLOOR_PROBE], {
          cwd: dirname(bundle),
          env: { ...env, BENCH_CLIENTS: JSON.stringify(clients) },
          encoding: "utf8",
        }),
      ),
    );
    const purpose = (fn.function_name as string).split("-").at(-1)!;
    const times = inits.map((init) => init.ms);
    const figures = (values: number[]) =>
      `median ${median(values).toFixed(1)} ms, min ${Math.min(...values).toFixed(1)} ms`;
    console.log(
      `${`${fn.function_name} init`.padEnd(44)} ${figures(times)}${was(previous.initMs[purpose], " ms")}; floor ${figures(floors)} (${clients.map((client) => client.replace("@aws-sdk/", "")).join(", ") || "no SDK client"})`,
    );
  }
}
