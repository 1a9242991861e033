import { createHash } from "node:crypto";

/**
 * The delivery record kept in the webhooks table: one item per (provider, delivery id).
 *
 * Life cycle: RECEIVED (claimed, lease held while the validator enqueues) → QUEUED (durably in SQS)
 * → ROUTED (put on the bus). Write-unit budget per webhook (items ≤ 1 KB): claim 3 (item + two
 * KEYS_ONLY index entries), mark QUEUED 1 (no index key changes), mark ROUTED 2 (item + removal of
 * the sparse pending entry) = 6.
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
  /** ISO-8601 UTC with milliseconds; sort key of both indexes. */
  receivedAt: "receivedAt",
  /** `<provider>#<yyyy-mm-dd>`: partition key of the by-provider index (a day per partition, never one hot provider key). */
  providerDay: "providerDay",
  /** `<yyyy-mm-dd>#<hex shard>`: present only until ROUTED, so the by-pending index is sparse. */
  pendingDay: "pendingDay",
  /** Epoch milliseconds until which a RECEIVED claim is held by the invocation that made it. */
  leaseUntil: "leaseUntil",
  /** Epoch seconds; the table's TTL attribute. TTL deletes lazily, so readers compare it themselves. */
  expiresAt: "expiresAt",
  /** Epoch milliseconds of the last status change. */
  updatedAt: "updatedAt",
} as const;

export const TTL_ATTRIBUTE = RecordAttribute.expiresAt;

/** Global secondary indexes. Both KEYS_ONLY: status updates never write them unless a key changes. */
export const RecordIndex = {
  byProviderDay: {
    name: "byProviderDay",
    partitionKey: RecordAttribute.providerDay,
    sortKey: RecordAttribute.receivedAt,
  },
  byPendingDay: {
    name: "byPendingDay",
    partitionKey: RecordAttribute.pendingDay,
    sortKey: RecordAttribute.receivedAt,
  },
} as const;

/** Shards per day of the pending index; a query for a day reads each shard. */
export const PENDING_SHARDS = 16;

/**
 * A deterministic, URL-safe webhook id for a delivery: the table key, so claim, lookup and dedupe
 * share one key and need no index.
 *
 * @example webhookIdFor("stripe", "evt_123") // "wh_" + 32 lowercase hex characters
 */
export function webhookIdFor(provider: string, deliveryId: string): string {
  return `wh_${createHash("sha256").update(`${provider}#${deliveryId}`).digest("hex").slice(0, 32)}`;
}

/** `<provider>#<yyyy-mm-dd>` for the by-provider index. */
export function providerDayFor(provider: string, receivedAt: string): string {
  return `${provider}#${receivedAt.slice(0, 10)}`;
}

/** `<yyyy-mm-dd>#<shard>` for the sparse pending index; the shard comes from the webhook id. */
export function pendingDayFor(webhookId: string, receivedAt: string): string {
  const shard = Number.parseInt(webhookId.slice(-1), 16) % PENDING_SHARDS;
  return `${receivedAt.slice(0, 10)}#${shard.toString(16)}`;
}

/** The shape of a delivery record as the functions read it (unmarshalled). */
export interface DeliveryRecord {
  readonly webhookId: string;
  readonly provider: string;
  readonly deliveryId: string;
  readonly eventType: string;
  readonly status: RecordStatus;
  readonly receivedAt: string;
  readonly providerDay: string;
  readonly pendingDay?: string;
  readonly leaseUntil?: number;
  readonly expiresAt: number;
  readonly updatedAt: number;
}
