import {
  defineScheme,
  deliveryId,
  eventType,
  identity,
  isRecord,
  requiredHeader,
  secretAsKey,
} from "./common";
import { parseTimestampedHeader, signTimestampedHeader } from "./timestamped-header";
import type {
  IdentifyResult,
  ParseResult,
  SchemeOptions,
  SchemeRequest,
  SignInput,
  WebhookScheme,
} from "./types";

/**
 * The platform's own scheme (route `/webhook`):
 * `X-Webhook-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">[,v1=…]`, optional
 * `X-Webhook-Id` (delivery id; without it a delivery is not deduplicated) and `X-Webhook-Event`
 * (event type when the JSON body has no `type`).
 */
const SIGNATURE = "x-webhook-signature";
const DISPLAY = "X-Webhook-Signature";
const ID = "x-webhook-id";
const EVENT = "x-webhook-event";
const T_LABEL = `${DISPLAY}: t=`;
const HEADERS = [SIGNATURE, ID, EVENT] as const;

export function parse(request: SchemeRequest, nowSeconds: number, options?: SchemeOptions): ParseResult {
  const value = requiredHeader(request, SIGNATURE, DISPLAY);
  if (typeof value !== "string") return value;
  return parseTimestampedHeader(value, DISPLAY, T_LABEL, request, nowSeconds, options, true);
}

/**
 * One `v1=` per secret (rotation).
 *
 * @example sign({ body: '{"type":"ping"}', secrets: ["s3cr3t"], timestamp: 1700000000, id: "evt-1" })
 */
export function sign(input: SignInput): Record<string, string> {
  const headers: Record<string, string> = { "X-Webhook-Signature": signTimestampedHeader(input) };
  if (input.id !== undefined) headers["X-Webhook-Id"] = input.id;
  return headers;
}

/** Delivery id from `X-Webhook-Id` (absent: none, no dedupe); event type from body `type`, else `X-Webhook-Event`. */
export function identify(request: SchemeRequest, data: unknown): IdentifyResult {
  const id = request.headers.get(ID);
  const type =
    isRecord(data) && data.type !== undefined
      ? eventType(data.type, "body type")
      : eventType(request.headers.get(EVENT), "X-Webhook-Event (the body has no type)");
  return identity(id === undefined ? undefined : deliveryId(id, "X-Webhook-Id"), type);
}

export const genericScheme: WebhookScheme = defineScheme({
  id: "generic",
  headers: () => HEADERS,
  parse,
  key: secretAsKey,
  sign,
  identify,
});
