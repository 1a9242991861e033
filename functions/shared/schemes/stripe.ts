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
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=…][,v0=…]` over `"<t>.<raw body>"`; the whole
 * `whsec_…` string is the HMAC key. Unlike stripe-node we refuse future timestamps too.
 */
const SIGNATURE = "stripe-signature";
const DISPLAY = "Stripe-Signature";
const T_LABEL = `${DISPLAY}: t=`;
const HEADERS = [SIGNATURE] as const;

export function parse(request: SchemeRequest, nowSeconds: number, options?: SchemeOptions): ParseResult {
  const value = requiredHeader(request, SIGNATURE, DISPLAY);
  if (typeof value !== "string") return value;
  return parseTimestampedHeader(value, DISPLAY, T_LABEL, request, nowSeconds, options, false);
}

/** @example sign({ body, secrets: ["whsec_…"], timestamp: 1700000000 }) // { "Stripe-Signature": "t=1700000000,v1=…" } */
export function sign(input: SignInput): Record<string, string> {
  return { "Stripe-Signature": signTimestampedHeader(input) };
}

/** Delivery id: body `id` (`evt_…`); event type: body `type`. */
export function identify(_request: SchemeRequest, data: unknown): IdentifyResult {
  if (!isRecord(data)) return { ok: false, reason: "body is not a JSON object" };
  return identity(deliveryId(data.id, "body id"), eventType(data.type, "body type"));
}

export const stripeScheme: WebhookScheme = defineScheme({
  id: "stripe",
  headers: () => HEADERS,
  parse,
  key: secretAsKey,
  sign,
  identify,
});
