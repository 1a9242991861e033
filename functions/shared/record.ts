import { createHash } from "node:crypto";

/**
 * The delivery record kept in the webhooks table: one item per (provider, delivery id), keyed by a
 * deterministic id, with no secondary index.
 *
 * Life cycle: RECEIVED (claimed, lease held while the validator enqueues) → QUEUED (durably in SQS)
 * → ROUTED (put on the bus). Write-unit budget per webhook: claim 1, mark QUEUED 1, mark ROUTED 1
 * = 3, each write one unit because the item stays under 1 KB and no index is written. Listings by
 * provider and day read the payload archive in S3, the pending listing scans the table: both are
 * rare operator queries, not worth an index entry on every webhook.
 */
export const RecordStatus = {
  Received: "RECEIVED",
  Queued: "QUEUED",
  Routed: "ROUTED",
} as const;
export type RecordStatus = (typeof RecordStatus)[keyof typeof RecordStatus];

/** Attribute names of the table item. The table construct and every adapter use these. */
export const RecordAttribute = {
  /** Partition key: {@link webhookIdFor}(provider, deliveryId). */
  webhookId: "webhookId",
  provider: "provider",
  deliveryId: "deliveryId",
  eventType: "eventType",
  status: "status",
  /** ISO-8601 UTC with milliseconds. */
  receivedAt: "receivedAt",
  /** Epoch milliseconds until which a RECEIVED claim is held by the invocation that made it. */
  leaseUntil: "leaseUntil",
  /** Epoch seconds; the table's TTL attribute. TTL deletes lazily, so readers compare it themselves. */
  expiresAt: "expiresAt",
  /** Epoch milliseconds of the last status change. */
  updatedAt: "updatedAt",
  /**
   * Lowercase hex SHA-256 of what identifies the content (the raw body by default), set by the
   * claim: the same delivery id with another digest is refused as a conflict.
   */
  contentDigest: "contentDigest",
} as const;

export const TTL_ATTRIBUTE = RecordAttribute.expiresAt;

/**
 * A deterministic, URL-safe webhook id for a delivery: the table key, so claim, lookup and dedupe
 * share one key and need no index.
 *
 * @example webhookIdFor("stripe", "evt_123") // "wh_" + 32 lowercase hex characters
 */
export function webhookIdFor(provider: string, deliveryId: string): string {
  return `wh_${createHash("sha256").update(`${provider}#${deliveryId}`).digest("hex").slice(0, 32)}`;
}

/** The shape of a delivery record as the functions read it (unmarshalled). */
export interface DeliveryRecord {
  readonly webhookId: string;
  readonly provider: string;
  readonly deliveryId: string;
  readonly eventType: string;
  readonly status: RecordStatus;
  readonly receivedAt: string;
  readonly leaseUntil?: number;
  readonly expiresAt: number;
  readonly updatedAt: number;
  /** Absent on records claimed before digests were kept. */
  readonly contentDigest?: string;
}
