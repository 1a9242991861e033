import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { wholeRef } from "../../cli/src/inventory/references";
import { median } from "../support/measure";
import { zipSize } from "../support/zip-size";

// biome-ignore lint/suspicious/noExplicitAny: the Terraform JSON document is untyped by nature
type Doc = any;

/** Lambda's limit on a function's unzipped code plus its layers. */
const UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024;

/** An environment variable value Terraform fills at apply, replaced by a stand-in of the right shape. */
function standIn(name: string, value: string): string {
  if (!value.includes("${")) return value;
  if (/URL$/.test(name)) return "https://sqs.us-east-1.amazonaws.com/123456789012/whk-bench-ingest";
  return `whk-bench-${name.toLowerCase().replace(/_/g, "-")}`;
}

/**
 * Each zip the stack builds (archive_file over the synthesized assets) with its deflated size, and
 * each function's module init: a fresh node requiring the bundle with the layer on NODE_PATH, as
 * Lambda resolves /opt/nodejs/node_modules, and the function's own environment.
 */
export function benchBundles(doc: Doc, stackDir: string, runs: number): void {
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
    const script = `const t = performance.now(); require(${JSON.stringify(bundle)}); process.stdout.write(String(performance.now() - t));`;
    const samples = Array.from({ length: runs }, () =>
      Number(execFileSync(process.execPath, ["-e", script], { env, encoding: "utf8" })),
    );
    console.log(
      `${`${fn.function_name} init`.padEnd(44)} median ${median(samples).toFixed(1)} ms, min ${Math.min(...samples).toFixed(1)} ms (${runs} runs, node ${process.version})`,
    );
  }
}
