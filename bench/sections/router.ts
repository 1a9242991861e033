/**
 * Router figures: in-process cost per batch of 10 (in-memory ports, so this is the router's own
 * CPU, not AWS latency) and PutEvents calls per 100 records.
 */
import { type RecordStatus, serializeEnvelope, webhookIdFor } from "@webhooks/shared";
import type { SQSEvent } from "aws-lambda";
import { ROUTER_DEFAULTS } from "../../functions/router/config";
import { createRouterHandler } from "../../functions/router/handler";
import type { BlobStore, Counters, EventBus, Log, RecordStore } from "../../functions/router/ports";
import { sqsEvent } from "../support/sqs-event";

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
  return sqsEvent(
    Array.from({ length: BATCH }, () => {
      delivery += 1;
      const deliveryId = `evt_${delivery}`;
      const webhookId = webhookIdFor("stripe", deliveryId);
      seed(webhookId, "QUEUED");
      return serializeEnvelope({
        version: 1,
        webhookId,
        provider: "stripe",
        deliveryId,
        eventType: "invoice.paid",
        receivedAt: new Date().toISOString(),
        contentType: "application/json",
        payload: { kind: "inline", data: { id: deliveryId, object: "invoice", lines: "x".repeat(900) } },
      });
    }),
  );
}

/** Prints the router's cost per batch of 10 and PutEvents calls per 100 records. */
export async function benchRouter(): Promise<void> {
  console.log("\n## Router handler, in-process, in-memory ports, batches of 10 ~1 KB deliveries");
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
      `${Math.round(MEASURED_BATCHES / seconds)} batches/s (${Math.round((MEASURED_BATCHES * BATCH) / seconds)} messages/s)`,
  );
  const counted = inMemoryPorts();
  for (let i = 0; i < 100 / BATCH; i++) await counted.route(batch(counted.seed));
  console.log(`PutEvents calls per 100 records (10 batches of 10): ${counted.putEventsCalls()}`);
}
