/**
 * Validator figures: signature verification cost per scheme against a bare HMAC, and in-process
 * handler throughput over in-memory ports. Prints numbers only; nothing here asserts a budget.
 */
import { createHmac, randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { headersFrom, SCHEME_IDS, SCHEMES, type SchemeId } from "@webhooks/shared";
import { createHarness, signedEvent, T0_SECONDS } from "../../__tests__/functions/validator/support/harness";
import { median } from "../support/measure";

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

export function benchVerification(): void {
  const body = randomBytes(1024);
  const nowSeconds = T0_SECONDS;
  const secretFor = (scheme: SchemeId) =>
    scheme === "standard-webhooks"
      ? `whsec_${randomBytes(32).toString("base64")}`
      : "bench-secret-0123456789";
  console.log("\n## Signature verification, 1 KB body, one active secret (median ns/op)");
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

export async function benchValidatorThroughput(): Promise<void> {
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
  console.log("\n## Validator handler, in-process, in-memory ports, 1 KB generic deliveries, one at a time");
  console.log(`${((count - 2_000) / seconds).toFixed(0)} requests/s (${accepted} of ${count} accepted)`);
}
