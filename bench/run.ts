/**
 * Every benchmark figure in one run: synth against the root-import baseline, the test suite's
 * time, each zip's size and each function's init time, verification against a bare HMAC, the
 * validator's and router's in-process throughput, the table's write units per webhook, and the
 * AWS cost per million 1 KB webhooks. Prints figures; asserts no budget.
 *
 *   npm run bench [-- --runs 5] [--skip-suite]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_CONFIG } from "../stacks/config";
import { stackIdFor } from "../stacks/stack-ids";
import { benchBundles } from "./sections/bundles";
import { benchCost } from "./sections/cost-report";
import { benchRouter } from "./sections/router";
import { benchSuite } from "./sections/suite";
import { benchSynth } from "./sections/synth";
import { benchValidatorThroughput, benchVerification } from "./sections/validator";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: "string", default: "5" }, "skip-suite": { type: "boolean", default: false } },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs must be a positive integer, got ${values.runs}`);
  console.log(`bench: node ${process.version}, ${new Date().toISOString()}`);

  const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
  try {
    benchSynth(runs, outdir);
    // The default configuration's environment stack (the regional stack beside it holds no platform).
    const stackDir = join(outdir, "stacks", stackIdFor(DEFAULT_CONFIG));
    const doc = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
    benchBundles(doc, stackDir, runs);
    benchVerification();
    await benchValidatorThroughput();
    await benchRouter();
    await benchCost(doc);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  if (!values["skip-suite"]) benchSuite();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
