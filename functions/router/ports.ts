import type { RecordStatus } from "@webhooks/shared";

/** Reads and writes delivery records (the webhooks table). */
export interface RecordStore {
  /**
   * Status of each record that exists, read strongly consistent: a ROUTED mark made by the previous
   * receive of a message must be seen, or the redelivery would put the event on the bus again.
   * Ids without a record (expired, TTL-deleted) are absent from the map.
   */
  statuses(webhookIds: readonly string[]): Promise<ReadonlyMap<string, RecordStatus>>;
  /**
   * Sets status ROUTED and removes the lease.
   * @returns false when the record no longer exists
   */
  markRouted(webhookId: string, nowMs: number): Promise<boolean>;
}

/** One PutEvents entry, field for field. */
export interface BusEntry {
  readonly source: string;
  readonly detailType: string;
  readonly detail: string;
  readonly time: Date;
  readonly eventBusName: string;
}

/** The result for one entry, in request order. */
export type PutResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** EventBridge's per-entry ErrorCode, or the error name when the whole call failed. */
      readonly code: string;
      readonly message: string;
      /** Whether sending the same entry again can succeed (throttling, internal failure, 5xx, network). */
      readonly retryable: boolean;
    };

export interface EventBus {
  /**
   * Puts ≤ 10 entries in one call. Never rejects for an AWS error: a failed call yields a failed
   * result for each of its entries, so the caller has one retry path for both kinds of failure.
   */
  putEvents(entries: readonly BusEntry[], signal: AbortSignal): Promise<readonly PutResult[]>;
}

/** The payload bucket. */
export interface BlobStore {
  get(bucket: string, key: string, signal: AbortSignal): Promise<Uint8Array>;
  put(bucket: string, key: string, bytes: Uint8Array, contentType: string): Promise<void>;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Structured logger; Powertools Logger satisfies it. Attributes never carry payloads. */
export interface Log {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/** Counters emitted as CloudWatch EMF metrics. */
export interface Counters {
  count(name: string, value: number, dimensions?: Readonly<Record<string, string>>): void;
  /** Flushes the counters of this invocation. */
  publish(): void;
}

/** The part of the Lambda context the router reads: its own deadline. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}
