import {
  ENVELOPE_VERSION,
  type Envelope,
  inlinePayloadProblem,
  serializeEnvelope,
  sha256Hex,
  webhookIdFor,
} from "@webhooks/shared";
import type { APIGatewayProxyResult } from "aws-lambda";
import { QUEUE_ATTRIBUTE_MARGIN_BYTES } from "./config";
import type {
  BlobsPort,
  ClaimResult,
  ClockPort,
  LoggerPort,
  MetricsPort,
  QueuePort,
  StorePort,
} from "./ports";
import { respond, unavailable } from "./responses";

export interface DeliveryDeps {
  readonly store: StorePort;
  readonly queue: QueuePort;
  readonly blobs: BlobsPort;
  readonly clock: ClockPort;
  readonly logger: LoggerPort;
  readonly metrics: MetricsPort;
  readonly config: { readonly dedupeTtlSeconds: number; readonly queueMaxMessageBytes: number };
}

/** A verified, parsed and identified request. */
export interface Delivery {
  readonly provider: string;
  readonly deliveryId: string;
  readonly eventType: string;
  /** Media type for the envelope (never empty). */
  readonly contentType: string;
  readonly data: unknown;
  readonly body: Uint8Array;
  /** What the claim keeps to tell a duplicate (same digest) from a conflict (see `contentDigest`). */
  readonly contentDigest: string;
  readonly nowMs: number;
  /** How long the RECEIVED claim is held: the invocation's remaining time. */
  readonly leaseMs: number;
  readonly requestId: string | undefined;
}

/** `payloads/<provider>/<yyyy>/<mm>/<dd>/<webhookId>` (date prefixes keep listings and lifecycle rules cheap). */
export function payloadKey(provider: string, receivedAt: string, webhookId: string): string {
  return `payloads/${provider}/${receivedAt.slice(0, 4)}/${receivedAt.slice(5, 7)}/${receivedAt.slice(8, 10)}/${webhookId}`;
}

/**
 * Claim → (claim check) → SendMessage → mark QUEUED. A 2xx only once SQS holds the message; every
 * failure before that releases the claim and answers 503 so the sender's retry goes through. A
 * delivery id already claimed for another content digest is a conflict: 409, never queued.
 */
export async function deliver(deps: DeliveryDeps, delivery: Delivery): Promise<APIGatewayProxyResult> {
  const { store, queue, blobs, clock, logger, metrics, config } = deps;
  const { provider, deliveryId, eventType, nowMs } = delivery;
  const webhookId = webhookIdFor(provider, deliveryId);
  const receivedAt = new Date(nowMs).toISOString();
  const leaseUntil = nowMs + delivery.leaseMs;
  const fields = { provider, webhookId, deliveryId, eventType, requestId: delivery.requestId };

  const failed = (reason: string, message: string, error: unknown) => {
    logger.error(message, { ...fields, reason, error: errorFields(error) });
    metrics.count(provider, "failed", reason);
    return unavailable();
  };
  const releaseAndFail = async (reason: string, message: string, error: unknown) => {
    try {
      await store.release(webhookId, leaseUntil);
    } catch (releaseError) {
      // The lease still lapses on its own; the retry then takes the claim over.
      logger.error("releasing the claim failed", { ...fields, error: errorFields(releaseError) });
    }
    return failed(reason, message, error);
  };

  let claim: ClaimResult;
  try {
    claim = await store.claim({
      webhookId,
      provider,
      deliveryId,
      eventType,
      receivedAt,
      nowMs,
      leaseUntil,
      expiresAt: Math.floor(nowMs / 1000) + config.dedupeTtlSeconds,
      contentDigest: delivery.contentDigest,
    });
  } catch (error) {
    return failed("store_claim", "claiming the delivery record failed", error);
  }
  if (claim.outcome === "conflict") {
    // Not a duplicate (dropping it would lose the new content) and not a delivery (queuing it would
    // put two bodies under one webhookId, and the router routes only one of them).
    logger.warn("delivery id reused for a different body", { ...fields, status: claim.status });
    metrics.count(provider, "rejected", "delivery_id_conflict");
    return respond(409, {
      message: "Conflict",
      reason: `delivery id ${deliveryId} was already received with a different body`,
      webhookId,
    });
  }
  if (claim.outcome === "duplicate") {
    logger.info("duplicate delivery", { ...fields, status: claim.status });
    metrics.count(provider, "duplicate");
    return respond(200, { webhookId, duplicate: true });
  }
  if (claim.outcome === "in-progress") {
    // Not 2xx: the first copy may still fail, and then only this sender's retry would bring it.
    logger.info("delivery in progress elsewhere", fields);
    metrics.count(provider, "in_progress");
    return respond(409, { message: "Delivery in progress, retry later", webhookId });
  }

  // A payload the bus cannot carry inline unchanged (too deep, an integer beyond 2^53, a character
  // SQS does not allow) travels by reference, as the raw bytes: never serialized, so never a 5xx.
  const inlineProblem = inlinePayloadProblem(delivery.data);
  const envelope: Envelope = {
    version: ENVELOPE_VERSION,
    webhookId,
    provider,
    deliveryId,
    eventType,
    receivedAt,
    contentType: delivery.contentType,
    payload: { kind: "inline", data: delivery.data },
  };
  let body = inlineProblem === undefined ? serializeEnvelope(envelope) : undefined;
  if (
    body === undefined ||
    Buffer.byteLength(body, "utf8") > config.queueMaxMessageBytes - QUEUE_ATTRIBUTE_MARGIN_BYTES
  ) {
    const key = payloadKey(provider, receivedAt, webhookId);
    const sha256 = sha256Hex(delivery.body);
    try {
      await blobs.put({ key, body: delivery.body, contentType: delivery.contentType, sha256 });
    } catch (error) {
      return releaseAndFail("blob_put", "storing the payload failed", error);
    }
    const ref = { bucket: blobs.bucket, key, sha256, size: delivery.body.byteLength };
    body = serializeEnvelope({ ...envelope, payload: { kind: "reference", ref } });
    if (inlineProblem) logger.info("payload travels by reference", { ...fields, reason: inlineProblem });
  }

  try {
    await queue.send({ body, webhookId, provider });
  } catch (error) {
    return releaseAndFail("queue_send", "sending to the queue failed", error);
  }

  try {
    await store.markQueued(webhookId, clock.now());
  } catch (error) {
    // The message is durably in SQS, so this is a 2xx ("a 2xx means durably in SQS"). A 503 would
    // make the sender retry, and after the lease that retry would enqueue the delivery again; with
    // a 202 the sender stops and the record stays RECEIVED (in the pending index) until the router
    // marks it ROUTED. Logged and counted so an alarm can watch it.
    logger.error("marking the delivery QUEUED failed; it is queued", {
      ...fields,
      error: errorFields(error),
    });
    metrics.count(provider, "failed", "mark_queued");
  }
  // No log line: the access log has the request, the audit trail the record's RECEIVED and QUEUED,
  // the metric the count. Only what those cannot say (rejections, failures) is logged.
  metrics.count(provider, "accepted");
  return respond(202, { webhookId });
}

/** Name and message of an error for the log (SDK errors carry no secrets; stacks stay out). */
export function errorFields(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: "Error", message: String(error) };
}
