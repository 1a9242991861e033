import {
  BASE64_RULE,
  base64Signature,
  bytesOf,
  defineScheme,
  deliveryId,
  eventType,
  fail,
  identity,
  mac,
  requiredHeader,
  secretAsKey,
  singleSecret,
} from "./common";
import type { IdentifyResult, ParseResult, SchemeRequest, SignInput, WebhookScheme } from "./types";

/**
 * Shopify: `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the raw body>`, no timestamp. Dedupe on
 * `X-Shopify-Event-Id` (one per event, stable across the subscriptions it fans out to), else the
 * per-delivery `X-Shopify-Webhook-Id`.
 */
const SIGNATURE = "x-shopify-hmac-sha256";
const DISPLAY = "X-Shopify-Hmac-Sha256";
const EVENT_ID = "x-shopify-event-id";
const WEBHOOK_ID = "x-shopify-webhook-id";
const TOPIC = "x-shopify-topic";
const HEADERS = [SIGNATURE, EVENT_ID, WEBHOOK_ID, TOPIC] as const;

export function parse(request: SchemeRequest): ParseResult {
  const value = requiredHeader(request, SIGNATURE, DISPLAY);
  if (typeof value !== "string") return value;
  const signature = base64Signature(value);
  if (!signature) return fail("malformed_header", `${DISPLAY} ${BASE64_RULE}`);
  return { ok: true, signed: { header: DISPLAY, prefix: "", body: request.body, signatures: [signature] } };
}

/** @example sign({ body, secrets: ["shpss_…"], timestamp: 0 }) // { "X-Shopify-Hmac-Sha256": "…=" } */
export function sign(input: SignInput): Record<string, string> {
  const secret = singleSecret(input.secrets, DISPLAY);
  return { [DISPLAY]: mac(secret, "", bytesOf(input.body)).toString("base64") };
}

/** Delivery id: `X-Shopify-Event-Id`, else `X-Shopify-Webhook-Id`; event type: `X-Shopify-Topic`. */
export function identify(request: SchemeRequest): IdentifyResult {
  const eventId = request.headers.get(EVENT_ID);
  const id =
    eventId !== undefined
      ? deliveryId(eventId, "X-Shopify-Event-Id")
      : deliveryId(request.headers.get(WEBHOOK_ID), "X-Shopify-Webhook-Id");
  return identity(id, eventType(request.headers.get(TOPIC), "X-Shopify-Topic"));
}

export const shopifyScheme: WebhookScheme = defineScheme({
  id: "shopify",
  headers: () => HEADERS,
  parse,
  key: secretAsKey,
  sign,
  identify,
});
