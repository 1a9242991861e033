import {
  bytesOf,
  defineScheme,
  deliveryId,
  eventType,
  fail,
  HEX_RULE,
  hexSignature,
  identity,
  isFailure,
  isRecord,
  mac,
  requiredHeader,
  secretAsKey,
  sha256Hex,
  singleSecret,
  timestampWithin,
} from "./common";
import type {
  IdentifyResult,
  ParseResult,
  SchemeOptions,
  SchemeRequest,
  SignInput,
  WebhookScheme,
} from "./types";

/**
 * Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<ts>:<raw body>">` with
 * `X-Slack-Request-Timestamp: <ts>`. Events API bodies are JSON; interactivity (`payload=`) and
 * slash commands are form bodies.
 */
const SIGNATURE = "x-slack-signature";
const DISPLAY = "X-Slack-Signature";
const TIMESTAMP = "x-slack-request-timestamp";
const TIMESTAMP_DISPLAY = "X-Slack-Request-Timestamp";
const HEADERS = [SIGNATURE, TIMESTAMP] as const;
const PREFIX = "v0=";

export function parse(request: SchemeRequest, nowSeconds: number, options?: SchemeOptions): ParseResult {
  const value = requiredHeader(request, SIGNATURE, DISPLAY);
  if (typeof value !== "string") return value;
  const ts = requiredHeader(request, TIMESTAMP, TIMESTAMP_DISPLAY);
  if (typeof ts !== "string") return ts;
  if (!value.startsWith(PREFIX)) return fail("malformed_header", `${DISPLAY} does not start with ${PREFIX}`);
  const signature = hexSignature(value.slice(PREFIX.length));
  if (!signature) return fail("malformed_header", `${DISPLAY} after ${PREFIX} ${HEX_RULE}`);
  const timestamp = timestampWithin(ts, TIMESTAMP_DISPLAY, nowSeconds, options);
  if (isFailure(timestamp)) return timestamp;
  return {
    ok: true,
    signed: { header: DISPLAY, prefix: `v0:${ts}:`, body: request.body, signatures: [signature], timestamp },
  };
}

/** @example sign({ body, secrets: [signingSecret], timestamp: 1700000000 }) */
export function sign(input: SignInput): Record<string, string> {
  const secret = singleSecret(input.secrets, DISPLAY);
  const digest = mac(secret, `v0:${input.timestamp}:`, bytesOf(input.body)).toString("hex");
  return { [DISPLAY]: `${PREFIX}${digest}`, [TIMESTAMP_DISPLAY]: String(input.timestamp) };
}

/**
 * Delivery id: body `event_id` (Events API), else the SHA-256 of the body (Slack retries resend the
 * same bytes). Event type: `event.type`, else `type` (interactivity), else `slash_command` for a
 * slash command's form fields.
 */
export function identify(request: SchemeRequest, data: unknown): IdentifyResult {
  if (!isRecord(data)) return { ok: false, reason: "body is not a JSON object or form" };
  if (data.type === "url_verification")
    return { ok: false, reason: "url_verification without a string challenge" };
  const id =
    data.event_id === undefined
      ? { ok: true as const, value: sha256Hex(request.body) }
      : deliveryId(data.event_id, "body event_id");
  const inner = isRecord(data.event) ? data.event.type : undefined;
  const type =
    inner !== undefined
      ? eventType(inner, "body event.type")
      : data.type !== undefined
        ? eventType(data.type, "body type")
        : typeof data.command === "string"
          ? eventType("slash_command", "slash command")
          : eventType(undefined, "body type (or event.type, or a slash command)");
  return identity(id, type);
}

/** Slack's endpoint check: answer the challenge, store and queue nothing. */
export function handshake(data: unknown): Record<string, unknown> | undefined {
  if (isRecord(data) && data.type === "url_verification" && typeof data.challenge === "string") {
    return { challenge: data.challenge };
  }
  return undefined;
}

export const slackScheme: WebhookScheme = defineScheme({
  id: "slack",
  headers: () => HEADERS,
  parse,
  key: secretAsKey,
  sign,
  identify,
  handshake,
});
