import type { KeyRequest, RecordStatus } from "@webhooks/shared";

/** Reads a provider's secret document (the raw `SecretString`). Throws on any failure. */
export interface SecretsPort {
  fetch(secretId: string): Promise<string>;
}

export interface ClaimRequest {
  readonly webhookId: string;
  readonly provider: string;
  readonly deliveryId: string;
  readonly eventType: string;
  /** ISO-8601 UTC with milliseconds. */
  readonly receivedAt: string;
  /** Epoch ms: a RECEIVED record whose lease ended before this may be taken over. */
  readonly nowMs: number;
  /** Epoch ms until which this claim is held; also the claim's fencing token for `release`. */
  readonly leaseUntil: number;
  /** Epoch seconds: the record's TTL. A record expired before now counts as absent. */
  readonly expiresAt: number;
  /** What identifies the content (see `contentDigest`): a copy with another digest is a conflict. */
  readonly contentDigest: string;
}

export type ClaimResult =
  | { readonly outcome: "claimed" }
  /** Already QUEUED or ROUTED: acknowledged before, nothing to do. */
  | { readonly outcome: "duplicate"; readonly status: RecordStatus }
  /** Another invocation holds a live RECEIVED lease. */
  | { readonly outcome: "in-progress" }
  /** The delivery id is taken, in any status, by a request with another content digest. */
  | { readonly outcome: "conflict"; readonly status: RecordStatus };

/** The idempotency records (the webhooks table). Every method throws on a failure of the store. */
export interface StorePort {
  /**
   * One conditional write: new, expired, or RECEIVED with a lapsed lease and the same (or no)
   * content digest → claimed.
   */
  claim(request: ClaimRequest): Promise<ClaimResult>;
  /** RECEIVED → QUEUED. A record no longer RECEIVED (taken over, already routed) is left alone. */
  markQueued(webhookId: string, nowMs: number): Promise<void>;
  /** Deletes this invocation's RECEIVED claim so the sender's retry proceeds at once. */
  release(webhookId: string, leaseUntil: number): Promise<void>;
}

export interface QueueMessage {
  readonly body: string;
  readonly webhookId: string;
  readonly provider: string;
}

/** The ingest queue. `send` resolves only once SQS has accepted the message. */
export interface QueuePort {
  send(message: QueueMessage): Promise<void>;
}

export interface BlobObject {
  readonly key: string;
  readonly body: Uint8Array;
  readonly contentType: string;
  /** Lowercase hex SHA-256 of `body`; the store checks it on upload. */
  readonly sha256: string;
}

/** The payload bucket (claim check). */
export interface BlobsPort {
  readonly bucket: string;
  put(object: BlobObject): Promise<void>;
}

export interface ClockPort {
  /** Epoch milliseconds. */
  now(): number;
}

/** Structural subset of the Powertools Logger. Attributes never hold secrets, signatures or payloads. */
export interface LoggerPort {
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

/**
 * How a request ended. `rejected` is the sender's mistake (4xx; a delivery id reused for another
 * body is a 409 with reason `delivery_id_conflict`), `failed` ours (503), `in_progress` a concurrent
 * duplicate (409), `challenge` a handshake answered without storing.
 */
export type Outcome = "accepted" | "duplicate" | "in_progress" | "challenge" | "rejected" | "failed";

export interface MetricsPort {
  /**
   * One count per request, by outcome; `reason` (a bounded code) only for `rejected` and `failed`.
   * An accepted delivery whose QUEUED mark failed also counts `failed` / `mark_queued`.
   */
  count(provider: string, outcome: Outcome, reason?: string): void;
}

/**
 * Fetches a sender's published verification key that a scheme's `parse` named (`KeyRequest`):
 * PayPal's certificate chain (PEM), Plaid's JWK (JSON). `credentials` are the provider's active
 * secrets (Plaid's API credentials). Implementations cache, pin hosts and limit how often an
 * unknown key triggers a fetch. Throws when the key cannot be had (the request then gets 503).
 */
export interface KeyFetchPort {
  fetch(request: KeyRequest, credentials: readonly string[]): Promise<string>;
}

/** Whether a stateful handshake's value is stored (now, or already), or why it was not accepted. */
export type HandshakeStoreResult =
  | { readonly stored: true }
  /** Refused by the provider's secret document (it accepts no handshake now): answered 403. */
  | { readonly stored: false; readonly reason: string };

/**
 * Stores what a stateful handshake handed over (Asana's `X-Hook-Secret`, Notion's
 * `verification_token`) as the provider's signing secret before the handshake is answered.
 * Throws on failure (the handshake then gets 503 and the sender tries again).
 */
export interface HandshakeStorePort {
  store(
    provider: { readonly id: string; readonly secretId: string },
    secret: string,
  ): Promise<HandshakeStoreResult>;
}
