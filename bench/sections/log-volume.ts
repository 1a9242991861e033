import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { marshall } from "@aws-sdk/util-dynamodb";
import { RecordStatus, serializeEnvelope, webhookIdFor } from "@webhooks/shared";
import type { Context, DynamoDBRecord } from "aws-lambda";
import { createAuditHandler } from "../../functions/audit/handler";
import { powertoolsCounters } from "../../functions/router/adapters/metrics";
import { ROUTER_DEFAULTS } from "../../functions/router/config";
import { createRouterHandler } from "../../functions/router/handler";
import { createPowertoolsMetrics } from "../../functions/validator/adapters/powertools-metrics";
import { sqsEvent } from "../support/sqs-event";

/** Bytes the functions write to CloudWatch Logs themselves (Powertools log lines and EMF), per unit of work. */
export interface LogVolume {
  /** Per accepted request: the outcome metric. */
  readonly validatorBytesPerRequest: number;
  /** Per batch of ten: "batch routed" and the batch's EMF counters. */
  readonly routerBytesPerBatch: number;
  /** Per status transition: one audit line. */
  readonly auditBytesPerTransition: number;
}

function lambdaContext(name: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: `whk-prod-${name}`,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:whk-prod-${name}`,
    memoryLimitInMB: "256",
    awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e812345678",
    logGroupName: `/aws/lambda/whk-prod-${name}`,
    logStreamName: "2026/11/23/[$LATEST]0123456789abcdef0123456789abcdef",
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** Runs `work` with stdout captured; returns the bytes written. */
async function capturedBytes(work: () => Promise<void> | void): Promise<number> {
  const write = process.stdout.write;
  let bytes = 0;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
    return true;
  }) as typeof process.stdout.write;
  try {
    await work();
  } finally {
    process.stdout.write = write;
  }
  return bytes;
}

function powertools(name: string) {
  const logger = new Logger({ serviceName: `webhooks-${name}` });
  logger.addContext(lambdaContext(name));
  const metrics = new Metrics({ namespace: "Webhooks", serviceName: `webhooks-${name}` });
  return { logger, metrics };
}

function streamRecord(
  eventName: "INSERT" | "MODIFY",
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  sequence: number,
): DynamoDBRecord {
  return {
    eventID: `event-${sequence}`,
    eventName,
    dynamodb: {
      SequenceNumber: String(sequence),
      ApproximateCreationDateTime: 1_795_000_000,
      // biome-ignore lint/suspicious/noExplicitAny: aws-lambda's stream image type is the SDK's AttributeValue by another name
      OldImage: before ? (marshall(before, { removeUndefinedValues: true }) as any) : undefined,
      // biome-ignore lint/suspicious/noExplicitAny: see OldImage
      NewImage: marshall(after, { removeUndefinedValues: true }) as any,
    },
  };
}

/**
 * Runs the functions' real Powertools logger and metrics through the calls each makes on the happy
 * path and counts the bytes. Lambda's own platform lines are not included (see prices.json).
 */
export async function measureLogVolume(): Promise<LogVolume> {
  const validator = powertools("validator");
  const count = createPowertoolsMetrics(validator.metrics);
  const validatorBytesPerRequest = await capturedBytes(() => count.count("stripe", "accepted"));

  const router = powertools("router");
  const route = createRouterHandler({
    records: {
      statuses: async (ids) => new Map(ids.map((id) => [id, RecordStatus.Queued])),
      markRouted: async () => true,
    },
    bus: { putEvents: async (entries) => entries.map(() => ({ ok: true }) as const) },
    blobs: { get: async () => new Uint8Array(), put: async () => {} },
    clock: { now: () => Date.now(), sleep: async () => {} },
    logger: router.logger,
    counters: powertoolsCounters(router.metrics),
    config: { ...ROUTER_DEFAULTS, eventBusName: "whk-prod-bus", payloadBucket: "whk-prod-payloads" },
  });
  const batch = sqsEvent(
    Array.from({ length: 10 }, (_, n) => {
      const deliveryId = `evt_${n}`;
      return serializeEnvelope({
        version: 1,
        webhookId: webhookIdFor("stripe", deliveryId),
        provider: "stripe",
        deliveryId,
        eventType: "invoice.paid",
        receivedAt: new Date().toISOString(),
        contentType: "application/json",
        payload: { kind: "inline", data: { id: deliveryId } },
      });
    }),
  );
  const routerBytesPerBatch = await capturedBytes(async () => {
    await route(batch, { getRemainingTimeInMillis: () => 30_000 });
  });

  const audit = powertools("audit");
  const auditHandler = createAuditHandler({ logger: audit.logger });
  const received = {
    webhookId: webhookIdFor("stripe", "evt_1"),
    provider: "stripe",
    deliveryId: "evt_1",
    eventType: "invoice.paid",
    status: RecordStatus.Received,
    receivedAt: "2026-11-23T12:00:00.000Z",
    providerDay: "stripe#2026-11-23",
    pendingDay: "2026-11-23#a",
    leaseUntil: 1_795_000_030_000,
    expiresAt: 1_795_604_800,
    updatedAt: 1_795_000_000_000,
  };
  const queued = { ...received, status: RecordStatus.Queued, leaseUntil: undefined };
  const routed = { ...queued, status: RecordStatus.Routed, pendingDay: undefined };
  const transitions = [
    streamRecord("INSERT", undefined, received, 1),
    streamRecord("MODIFY", received, queued, 2),
    streamRecord("MODIFY", queued, routed, 3),
  ];
  const auditBytes = await capturedBytes(async () => {
    await auditHandler({ Records: transitions });
  });
  return {
    validatorBytesPerRequest,
    routerBytesPerBatch,
    auditBytesPerTransition: auditBytes / transitions.length,
  };
}
