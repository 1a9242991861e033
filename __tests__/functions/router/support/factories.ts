import { createHash } from "node:crypto";
import { type Envelope, type PayloadReference, serializeEnvelope, webhookIdFor } from "@webhooks/shared";
import type { SQSEvent, SQSRecord } from "aws-lambda";

export const STANDARD_QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:wh-test-ingest";
export const FIFO_QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:wh-test-ingest.fifo";
export const PAYLOAD_BUCKET = "wh-test-payloads";

let sequence = 0;

/** A valid envelope with an inline JSON payload; every call is a new delivery. */
export function envelope(overrides: Partial<Envelope> = {}): Envelope {
  sequence += 1;
  const provider = overrides.provider ?? "stripe";
  const deliveryId = overrides.deliveryId ?? `evt_${sequence}`;
  return {
    version: 1,
    webhookId: webhookIdFor(provider, deliveryId),
    provider,
    deliveryId,
    eventType: "invoice.paid",
    receivedAt: "2026-11-23T10:00:00.000Z",
    contentType: "application/json",
    payload: { kind: "inline", data: { id: deliveryId, amount: 4200 } },
    ...overrides,
  };
}

/** The claim-check reference the validator would enqueue for these bytes. */
export function referenceTo(bytes: Uint8Array, key = `payloads/${++sequence}`): PayloadReference {
  return {
    bucket: PAYLOAD_BUCKET,
    key,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    size: bytes.byteLength,
  };
}

export interface SqsRecordOptions {
  /** Defaults to a fresh {@link envelope}. */
  readonly envelope?: Envelope;
  /** A raw body instead of an envelope. */
  readonly body?: string;
  readonly messageId?: string;
  /** Makes it a FIFO record in this message group. */
  readonly groupId?: string;
}

export function sqsRecord(options: SqsRecordOptions = {}): SQSRecord {
  sequence += 1;
  return {
    messageId: options.messageId ?? `msg-${sequence}`,
    receiptHandle: `receipt-${sequence}`,
    body: options.body ?? serializeEnvelope(options.envelope ?? envelope()),
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "1795428000000",
      SenderId: "AROAEXAMPLE:validator",
      ApproximateFirstReceiveTimestamp: "1795428000100",
      ...(options.groupId === undefined
        ? {}
        : { MessageGroupId: options.groupId, SequenceNumber: `${sequence}` }),
    },
    messageAttributes: {},
    md5OfBody: "not-checked-by-the-router",
    eventSource: "aws:sqs",
    eventSourceARN: options.groupId === undefined ? STANDARD_QUEUE_ARN : FIFO_QUEUE_ARN,
    awsRegion: "us-east-1",
  };
}

export function sqsEvent(records: readonly SQSRecord[]): SQSEvent {
  return { Records: [...records] };
}

/** `count` fresh records, each with its own envelope. */
export function sqsRecords(
  count: number,
  options: Omit<SqsRecordOptions, "envelope" | "body" | "messageId"> = {},
) {
  return Array.from({ length: count }, () => sqsRecord(options));
}
