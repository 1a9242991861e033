import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { marshall } from "@aws-sdk/util-dynamodb";
import { type DeliveryRecord, RecordStatus, serializeEnvelope, webhookIdFor } from "@webhooks/shared";
import type { Context, DynamoDBRecord } from "aws-lambda";
import { createHarness, signedEvent } from "../../__tests__/functions/validator/support/harness";
import { createAuditHandler } from "../../functions/audit/handler";
import { stdoutTrail } from "../../functions/audit/stdout-trail";
import { powertoolsCounters } from "../../functions/router/adapters/metrics";
import { ROUTER_DEFAULTS } from "../../functions/router/config";
import { createRouterHandler } from "../../functions/router/handler";
import { createPowertoolsMetrics } from "../../functions/validator/adapters/powertools-metrics";
import { sqsEvent } from "../support/sqs-event";

/** Bytes written to CloudWatch Logs for 1 KB webhooks on the happy path, by writer. */
export interface LogVolume {
  /** One stage access-log line, each `$context` variable at a typical value for an accepted webhook. */
  readonly accessLogBytesPerRequest: number;
  /** Everything the validator writes for an accepted webhook: its real handler, Powertools and all. */
  readonly validatorBytesPerRequest: number;
  /** Everything the router writes for a batch of ten. */
  readonly routerBytesPerBatch: number;
  /** The audit trail of one webhook: its three status changes. */
  readonly auditBytesPerWebhook: number;
}

// biome-ignore lint/suspicious/noExplicitAny: the Terraform JSON document is untyped by nature
type Doc = any;

/** A typical value of each `$context` variable an access log format may name (an accepted webhook). */
const TYPICAL_CONTEXT: Readonly<Record<string, string>> = {
  requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
  extendedRequestId: "BQGojGV8IAMFpYw=",
  "identity.sourceIp": "203.0.113.17",
  requestTime: "23/Nov/2026:12:00:00 +0000",
  httpMethod: "POST",
  resourcePath: "/webhooks/stripe",
  status: "202",
  protocol: "HTTP/1.1",
  responseLength: "48",
  responseLatency: "41",
  "integration.status": "200",
  "integration.latency": "38",
  "identity.apiKeyId": "a1b2c3d4e5",
  xrayTraceId: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0",
};

/**
 * A stage access-log line with every `$context` variable replaced by a typical value; a variable
 * without a value on success (errors, WAF verdicts) renders as API Gateway writes it, `-`.
 */
export function accessLogBytes(format: string): number {
  return Buffer.byteLength(
    format.replace(/\$context\.([A-Za-z.]+)/g, (_, name: string) => TYPICAL_CONTEXT[name] ?? "-"),
  );
}

/** The access log format of the stack's stage (the first stage that writes one). */
export function accessLogFormat(doc: Doc): string | undefined {
  const stages = Object.values(doc.resource?.aws_api_gateway_stage ?? {}) as Doc[];
  return stages.find((stage) => stage.access_log_settings?.format)?.access_log_settings.format;
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
async function capturedBytes(work: () => Promise<unknown> | unknown): Promise<number> {
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
  const logger = new Logger({ serviceName: `whk-prod-${name}` });
  logger.addContext(lambdaContext(name));
  const metrics = new Metrics({ namespace: "Webhooks", serviceName: `whk-prod-${name}` });
  return { logger, metrics };
}

/** A Stripe-like delivery id, the length most providers send. */
const DELIVERY_ID = "evt_1NqX2bL3kKzE8mQp";

function streamRecord(
  before: DeliveryRecord | undefined,
  after: DeliveryRecord,
  sequence: number,
): DynamoDBRecord {
  const image = (record: DeliveryRecord) =>
    // biome-ignore lint/suspicious/noExplicitAny: aws-lambda's stream image type is the SDK's AttributeValue by another name
    marshall(record, { removeUndefinedValues: true }) as any;
  return {
    eventID: `event-${sequence}`,
    eventName: before ? "MODIFY" : "INSERT",
    dynamodb: {
      SequenceNumber: `${sequence}00000000000000000001`,
      ApproximateCreationDateTime: 1_795_000_000 + sequence,
      OldImage: before && image(before),
      NewImage: image(after),
    },
  };
}

/**
 * Runs each function's real code and logging (Powertools where the function uses it) through what
 * it does for 1 KB webhooks on the happy path and counts the bytes it writes. API Gateway's line
 * is the stack's own format at typical values; Lambda's platform lines are priced from the
 * functions' system log level in the cost model (see prices.json).
 */
export async function measureLogVolume(doc: Doc): Promise<LogVolume> {
  const format = accessLogFormat(doc);

  const validatorLogging = powertools("validator");
  const validator = createHarness({
    logger: validatorLogging.logger,
    metrics: createPowertoolsMetrics(validatorLogging.metrics),
  });
  const body = JSON.stringify({ id: DELIVERY_ID, type: "invoice.paid", pad: "x".repeat(960) });
  const validatorBytesPerRequest = await capturedBytes(async () => {
    const response = await validator.handler(signedEvent("stripe", { body }));
    if (response.statusCode !== 202) throw new Error(`the validator answered ${response.statusCode}`);
  });

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
      const deliveryId = `${DELIVERY_ID}${n}`;
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
  const routerBytesPerBatch = await capturedBytes(() =>
    route(batch, { getRemainingTimeInMillis: () => 30_000 }),
  );

  const received: DeliveryRecord = {
    webhookId: webhookIdFor("stripe", DELIVERY_ID),
    provider: "stripe",
    deliveryId: DELIVERY_ID,
    eventType: "invoice.paid",
    status: RecordStatus.Received,
    receivedAt: "2026-11-23T12:00:00.000Z",
    leaseUntil: 1_795_000_030_000,
    expiresAt: 1_795_604_800,
    updatedAt: 1_795_000_000_000,
  };
  const queued: DeliveryRecord = { ...received, status: RecordStatus.Queued, leaseUntil: undefined };
  const routed: DeliveryRecord = { ...queued, status: RecordStatus.Routed };
  const audit = createAuditHandler({ trail: stdoutTrail() });
  const auditBytesPerWebhook = await capturedBytes(() =>
    audit({
      Records: [
        streamRecord(undefined, received, 1),
        streamRecord(received, queued, 2),
        streamRecord(queued, routed, 3),
      ],
    }),
  );
  return {
    accessLogBytesPerRequest: format ? accessLogBytes(format) : 0,
    validatorBytesPerRequest,
    routerBytesPerBatch,
    auditBytesPerWebhook,
  };
}
