/**
 * Router figures: in-process cost per batch of 10 (in-memory ports, so this is the router's own
 * CPU, not AWS latency), PutEvents calls per 100 records, and the bundle sizes Lambda would load.
 * Run: npx tsx bench/router.ts
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { type RecordStatus, serializeEnvelope, webhookIdFor } from "@webhooks/shared";
import type { SQSEvent } from "aws-lambda";
import { build } from "esbuild";
import { ROUTER_DEFAULTS } from "../functions/router/config";
import { createRouterHandler } from "../functions/router/handler";
import type { BlobStore, Counters, EventBus, Log, RecordStore } from "../functions/router/ports";

const BATCH = 10;
const WARMUP_BATCHES = 200;
const MEASURED_BATCHES = 2_000;

function inMemoryPorts() {
  const statuses = new Map<string, RecordStatus>();
  let putEventsCalls = 0;
  const records: RecordStore = {
    statuses: async (ids) =>
      new Map(ids.flatMap((id) => (statuses.has(id) ? [[id, statuses.get(id)!]] : []))),
    markRouted: async (id) => {
      statuses.set(id, "ROUTED");
      return true;
    },
  };
  const bus: EventBus = {
    putEvents: async (entries) => {
      putEventsCalls += 1;
      return entries.map(() => ({ ok: true }) as const);
    },
  };
  const blobs: BlobStore = {
    get: async () => {
      throw new Error("the bench uses inline payloads only");
    },
    put: async () => {},
  };
  const quiet: Log = { info: () => {}, warn: () => {}, error: () => {} };
  const counters: Counters = { count: () => {}, publish: () => {} };
  const handler = createRouterHandler({
    records,
    bus,
    blobs,
    clock: { now: () => Date.now(), sleep: async () => {} },
    logger: quiet,
    counters,
    config: { ...ROUTER_DEFAULTS, eventBusName: "bench-bus", payloadBucket: "bench-payloads" },
  });
  return {
    route: (event: SQSEvent) => handler(event, { getRemainingTimeInMillis: () => 30_000 }),
    putEventsCalls: () => putEventsCalls,
    seed: (id: string, status: RecordStatus) => statuses.set(id, status),
  };
}

let delivery = 0;
/** A batch of 10 new deliveries with ~1 KB JSON payloads, their records QUEUED. */
function batch(seed: (id: string, status: RecordStatus) => void): SQSEvent {
  return {
    Records: Array.from({ length: BATCH }, () => {
      delivery += 1;
      const deliveryId = `evt_${delivery}`;
      const webhookId = webhookIdFor("stripe", deliveryId);
      seed(webhookId, "QUEUED");
      const body = serializeEnvelope({
        version: 1,
        webhookId,
        provider: "stripe",
        deliveryId,
        eventType: "invoice.paid",
        receivedAt: new Date().toISOString(),
        contentType: "application/json",
        payload: { kind: "inline", data: { id: deliveryId, object: "invoice", lines: "x".repeat(900) } },
      });
      return {
        messageId: `m-${delivery}`,
        receiptHandle: "r",
        body,
        attributes: {
          ApproximateReceiveCount: "1",
          SentTimestamp: "0",
          SenderId: "bench",
          ApproximateFirstReceiveTimestamp: "0",
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:bench",
        awsRegion: "us-east-1",
      };
    }),
  };
}

async function costPerBatch(): Promise<void> {
  const ports = inMemoryPorts();
  const events = Array.from({ length: WARMUP_BATCHES + MEASURED_BATCHES }, () => batch(ports.seed));
  for (const event of events.slice(0, WARMUP_BATCHES)) await ports.route(event);
  const micros: number[] = [];
  const started = process.hrtime.bigint();
  for (const event of events.slice(WARMUP_BATCHES)) {
    const start = process.hrtime.bigint();
    await ports.route(event);
    micros.push(Number(process.hrtime.bigint() - start) / 1_000);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  micros.sort((a, b) => a - b);
  const median = micros[Math.floor(micros.length / 2)]!;
  const p99 = micros[Math.floor(micros.length * 0.99)]!;
  console.log(
    `router, batch of ${BATCH} (in-memory ports): median ${median.toFixed(1)} µs, p99 ${p99.toFixed(1)} µs, ` +
      `${Math.round(MEASURED_BATCHES / seconds)} batches/s`,
  );
}

async function callsPer100Records(): Promise<void> {
  const ports = inMemoryPorts();
  for (let i = 0; i < 100 / BATCH; i++) await ports.route(batch(ports.seed));
  console.log(`PutEvents calls per 100 records (10 batches of 10): ${ports.putEventsCalls()}`);
}

async function bundleSize(name: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  try {
    const outfile = join(dir, "index.js");
    await build({
      entryPoints: [join(__dirname, "..", "functions", name, "index.ts")],
      bundle: true,
      platform: "node",
      target: "node24",
      format: "cjs",
      minify: true,
      external: ["@aws-sdk/*", "@aws-lambda-powertools/*", "@webhooks/shared"],
      outfile,
      logLevel: "error",
    });
    const code = readFileSync(outfile);
    console.log(`${name} bundle: ${code.byteLength} bytes raw, ${gzipSync(code).byteLength} bytes gzipped`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await costPerBatch();
  await callsPer100Records();
  await bundleSize("router");
  await bundleSize("audit");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
