/**
 * The SQS message the validator enqueues and the router consumes. Version it: messages outlive
 * deployments (queue retention 4 days, DLQ 14 days).
 */
export const ENVELOPE_VERSION = 1;

/** A claim-checked payload: the raw request bytes stored in the payload bucket. */
export interface PayloadReference {
  readonly bucket: string;
  readonly key: string;
  /** Lowercase hex SHA-256 of the stored bytes; the reader verifies it before use. */
  readonly sha256: string;
  readonly size: number;
}

export type EnvelopePayload =
  /** The parsed body (JSON value, or the object a form body decodes to). */
  | { readonly kind: "inline"; readonly data: unknown }
  | { readonly kind: "reference"; readonly ref: PayloadReference };

export interface Envelope {
  readonly version: typeof ENVELOPE_VERSION;
  readonly webhookId: string;
  readonly provider: string;
  readonly deliveryId: string;
  readonly eventType: string;
  /** ISO-8601 UTC. */
  readonly receivedAt: string;
  /** The request's Content-Type (media type only, lowercased), e.g. `application/json`. */
  readonly contentType: string;
  readonly payload: EnvelopePayload;
}

export class EnvelopeError extends Error {
  override readonly name = "EnvelopeError";
}

export function serializeEnvelope(envelope: Envelope): string {
  return JSON.stringify(envelope);
}

const REQUIRED_STRINGS = [
  "webhookId",
  "provider",
  "deliveryId",
  "eventType",
  "receivedAt",
  "contentType",
] as const;

/**
 * Parses and checks an SQS message body. Throws {@link EnvelopeError} naming the first problem;
 * the router reports such a message as failed so it reaches the DLQ.
 */
export function parseEnvelope(body: string): Envelope {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new EnvelopeError("envelope is not JSON");
  }
  if (!isObject(value)) throw new EnvelopeError("envelope is not a JSON object");
  if (value.version !== ENVELOPE_VERSION)
    throw new EnvelopeError(`unsupported envelope version ${String(value.version)}`);
  for (const field of REQUIRED_STRINGS) {
    if (typeof value[field] !== "string" || value[field] === "")
      throw new EnvelopeError(`envelope.${field} is missing`);
  }
  const payload = value.payload;
  if (!isObject(payload)) throw new EnvelopeError("envelope.payload is missing");
  if (payload.kind === "inline") {
    if (!("data" in payload)) throw new EnvelopeError("envelope.payload.data is missing");
  } else if (payload.kind === "reference") {
    const ref = payload.ref;
    if (
      !isObject(ref) ||
      typeof ref.bucket !== "string" ||
      typeof ref.key !== "string" ||
      typeof ref.sha256 !== "string" ||
      !/^[0-9a-f]{64}$/.test(ref.sha256) ||
      typeof ref.size !== "number"
    ) {
      throw new EnvelopeError("envelope.payload.ref is malformed");
    }
  } else {
    throw new EnvelopeError("envelope.payload.kind must be inline or reference");
  }
  return value as unknown as Envelope;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
