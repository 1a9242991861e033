/**
 * Validator figures: signature verification cost per scheme against a bare HMAC, in-process handler
 * throughput over in-memory ports, and the bundle's size and module init time. Prints numbers only;
 * nothing here asserts a budget.
 *
 * Run: npx tsx bench/validator.ts
 */
import { execFileSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { FunctionEnv, headersFrom, SCHEME_IDS, SCHEMES, type SchemeId } from "@webhooks/shared";
import { build } from "esbuild";
import { createHarness, signedEvent, T0_SECONDS } from "../__tests__/functions/validator/support/harness";

const ROOT = resolve(__dirname, "..");
const OUT = join(ROOT, "bench/.out/validator");

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** ns per call of `fn`, median of `rounds` timed rounds of `iterations` calls each. */
function nsPerOp(fn: () => unknown, iterations: number, rounds: number): number {
  for (let i = 0; i < iterations; i++) fn();
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    samples.push(((performance.now() - start) * 1e6) / iterations);
  }
  return median(samples);
}

function verificationCost(): void {
  const body = randomBytes(1024);
  const nowSeconds = T0_SECONDS;
  const secretFor = (scheme: SchemeId) =>
    scheme === "standard-webhooks"
      ? `whsec_${randomBytes(32).toString("base64")}`
      : "bench-secret-0123456789";
  console.log("\nSignature verification, 1 KB body, one active secret (median ns/op)");
  console.log("scheme              verify ns   bare HMAC ns   ratio");
  for (const scheme of SCHEME_IDS) {
    const secret = secretFor(scheme);
    const headers = headersFrom(
      SCHEMES[scheme].sign({ body, secrets: [secret], timestamp: nowSeconds - 5, id: "msg_bench" }),
    );
    const request = { headers, body };
    if (!SCHEMES[scheme].verify(request, [secret], nowSeconds).ok)
      throw new Error(`${scheme} did not verify`);
    const key = SCHEMES[scheme].key(secret);
    if (!key.ok) throw new Error(`${scheme} key`);
    // Interleave the two measurements so drift (JIT, frequency scaling) hits both alike.
    const verifySamples: number[] = [];
    const bareSamples: number[] = [];
    for (let round = 0; round < 7; round++) {
      verifySamples.push(nsPerOp(() => SCHEMES[scheme].verify(request, [secret], nowSeconds), 20_000, 1));
      bareSamples.push(nsPerOp(() => createHmac("sha256", key.key).update(body).digest(), 20_000, 1));
    }
    const verify = median(verifySamples);
    const bare = median(bareSamples);
    console.log(
      `${scheme.padEnd(18)} ${verify.toFixed(0).padStart(10)} ${bare.toFixed(0).padStart(14)} ${(verify / bare).toFixed(2).padStart(7)}×`,
    );
  }
}

async function handlerThroughput(): Promise<void> {
  const harness = createHarness();
  const count = 20_000;
  const pad = "x".repeat(900);
  // Distinct deliveries (no duplicates), 1 KB each, signed before the clock starts.
  const events = Array.from({ length: count }, (_, index) =>
    signedEvent("acme", {
      body: `{"type":"order.created","n":${index},"pad":"${pad}"}`,
      identity: { "X-Webhook-Id": `bench-${index}` },
    }),
  );
  for (const event of events.slice(0, 2_000)) await harness.handler(event);
  const start = performance.now();
  for (const event of events.slice(2_000)) await harness.handler(event);
  const seconds = (performance.now() - start) / 1000;
  const accepted = harness.queue.messages.length;
  console.log("\nHandler, in-process, in-memory ports, 1 KB generic deliveries, one at a time");
  console.log(`${((count - 2_000) / seconds).toFixed(0)} requests/s (${accepted} of ${count} accepted)`);
}

async function bundleAndInit(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const external = ["@aws-sdk/*", "@aws-lambda-powertools/*", "@webhooks/shared"];
  const result = await build({
    entryPoints: [join(ROOT, "functions/validator/index.ts")],
    bundle: true,
    minify: true,
    platform: "node",
    target: "node24",
    format: "cjs",
    external,
    outfile: join(OUT, "function/index.js"),
    logLevel: "silent",
  });
  if (result.errors.length > 0) throw new Error("bundle failed");
  // The layer ships @webhooks/shared compiled; resolve it ahead of the workspace's TypeScript link.
  const layerShared = join(OUT, "node_modules/@webhooks/shared");
  await build({
    entryPoints: [join(ROOT, "functions/shared/index.ts")],
    bundle: true,
    platform: "node",
    target: "node24",
    format: "cjs",
    outfile: join(layerShared, "index.js"),
    logLevel: "silent",
  });
  writeFileSync(
    join(layerShared, "package.json"),
    JSON.stringify({ name: "@webhooks/shared", main: "index.js" }),
  );
  const size = statSync(join(OUT, "function/index.js")).size;
  console.log(
    "\nBundle (esbuild, minified; @aws-sdk/*, @aws-lambda-powertools/*, @webhooks/shared external)",
  );
  console.log(`functions/validator/index.ts → ${(size / 1024).toFixed(1)} KB (${size} bytes)`);

  const env = {
    ...process.env,
    AWS_REGION: "us-east-1",
    [FunctionEnv.providers]: JSON.stringify([{ id: "acme", scheme: "generic", secretId: "webhooks/acme" }]),
    [FunctionEnv.tableName]: "webhooks",
    [FunctionEnv.queueUrl]: "https://sqs.us-east-1.amazonaws.com/123456789012/ingest",
    [FunctionEnv.payloadBucket]: "payloads",
  };
  const script = `const t = performance.now(); require(${JSON.stringify(join(OUT, "function/index.js"))}); process.stdout.write(String(performance.now() - t));`;
  const samples = Array.from({ length: 7 }, () =>
    Number(execFileSync(process.execPath, ["-e", script], { env, encoding: "utf8" })),
  );
  console.log(
    `module init (require of the bundle incl. SDK clients, Powertools, shared; fresh node ${process.version}, 7 runs): median ${median(samples).toFixed(1)} ms, min ${Math.min(...samples).toFixed(1)} ms`,
  );
}

async function main(): Promise<void> {
  console.log(`validator bench, node ${process.version}`);
  verificationCost();
  await handlerThroughput();
  await bundleAndInit();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
