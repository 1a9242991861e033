import {
  DETAIL_TYPE_MAX_CHARS,
  type Envelope,
  type PayloadReference,
  SOURCE_MAX_CHARS,
} from "@webhooks/shared";
import type { BusEntry } from "./ports";

/** EventBridge counts a set Time as 14 bytes, whatever its value. */
const TIME_BYTES = 14;
/** PutEvents accepts 1–10 entries per request. */
export const MAX_ENTRIES_PER_CALL = 10;

/** Where a consumer finds a payload that did not fit in the event: fetch, verify sha256, parse by contentType. */
export interface PayloadRef extends PayloadReference {
  readonly contentType: string;
}

/** Detail of a routed event: the payload inline (`data`) or by reference (`payloadRef`), never both. */
export type EventDetail = {
  readonly webhookId: string;
  readonly provider: string;
  readonly deliveryId: string;
  readonly eventType: string;
  readonly receivedAt: string;
} & ({ readonly data: unknown } | { readonly payloadRef: PayloadRef });

export interface EntrySettings {
  readonly eventBusName: string;
  readonly sourcePrefix: string;
}

/**
 * The bus entry for an envelope and its payload.
 *
 * @example busEntry(envelope, { data: { id: 1 } }, { eventBusName: "bus", sourcePrefix: "webhooks" })
 */
export function busEntry(
  envelope: Envelope,
  payload: { readonly data: unknown } | { readonly payloadRef: PayloadRef },
  settings: EntrySettings,
): BusEntry {
  const detail: EventDetail = {
    webhookId: envelope.webhookId,
    provider: envelope.provider,
    deliveryId: envelope.deliveryId,
    eventType: envelope.eventType,
    receivedAt: envelope.receivedAt,
    ...payload,
  };
  return {
    source: `${settings.sourcePrefix}.${envelope.provider}`,
    detailType: envelope.eventType,
    detail: JSON.stringify(detail),
    time: new Date(envelope.receivedAt),
    eventBusName: settings.eventBusName,
  };
}

/**
 * Why EventBridge would reject the entry's fields whatever its size, or undefined. Checked before
 * the call: a field-level violation fails the whole request, taking the other entries down with it.
 */
export function entryFieldProblem(entry: BusEntry): string | undefined {
  if (entry.detailType.length > DETAIL_TYPE_MAX_CHARS)
    return `DetailType is over ${DETAIL_TYPE_MAX_CHARS} characters`;
  if (entry.source.length > SOURCE_MAX_CHARS) return `Source is over ${SOURCE_MAX_CHARS} characters`;
  if (Number.isNaN(entry.time.getTime())) return "receivedAt is not a timestamp";
  return undefined;
}

/**
 * Entry size by EventBridge's documented formula: Time 14 bytes plus the UTF-8 bytes of Source,
 * DetailType and Detail (the router sets no Resources). EventBusName does not count.
 */
export function entrySize(entry: BusEntry): number {
  return (
    TIME_BYTES +
    Buffer.byteLength(entry.source, "utf8") +
    Buffer.byteLength(entry.detailType, "utf8") +
    Buffer.byteLength(entry.detail, "utf8")
  );
}

/**
 * Splits items, in order, into PutEvents requests of at most 10 entries and at most `maxBytes`
 * together. Every item must fit on its own.
 */
export function chunkForPutEvents<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  maxBytes: number,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length === MAX_ENTRIES_PER_CALL || (current.length > 0 && bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
