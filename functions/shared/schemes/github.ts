import {
  bytesOf,
  defineScheme,
  deliveryId,
  eventType,
  fail,
  HEX_RULE,
  hexSignature,
  identity,
  mac,
  requiredHeader,
  secretAsKey,
  singleSecret,
} from "./common";
import type { IdentifyResult, ParseResult, SchemeRequest, SignInput, WebhookScheme } from "./types";

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, no timestamp (a
 * captured delivery replays for as long as the secret lives; dedupe on `X-GitHub-Delivery` bounds it).
 * Form bodies (`payload=…`) are signed as the raw form bytes.
 */
const SIGNATURE = "x-hub-signature-256";
const DISPLAY = "X-Hub-Signature-256";
const DELIVERY = "x-github-delivery";
const EVENT = "x-github-event";
const HEADERS = [SIGNATURE, DELIVERY, EVENT] as const;
const PREFIX = "sha256=";

export function parse(request: SchemeRequest): ParseResult {
  const value = requiredHeader(request, SIGNATURE, DISPLAY);
  if (typeof value !== "string") return value;
  if (!value.startsWith(PREFIX)) return fail("malformed_header", `${DISPLAY} does not start with ${PREFIX}`);
  const signature = hexSignature(value.slice(PREFIX.length));
  if (!signature) return fail("malformed_header", `${DISPLAY} after ${PREFIX} ${HEX_RULE}`);
  return { ok: true, signed: { header: DISPLAY, prefix: "", body: request.body, signatures: [signature] } };
}

/** @example sign({ body, secrets: ["s3cr3t"], timestamp: 0 }) // { "X-Hub-Signature-256": "sha256=…" } */
export function sign(input: SignInput): Record<string, string> {
  const secret = singleSecret(input.secrets, DISPLAY);
  return { [DISPLAY]: `${PREFIX}${mac(secret, "", bytesOf(input.body)).toString("hex")}` };
}

/** Delivery id: `X-GitHub-Delivery`; event type: `X-GitHub-Event`. */
export function identify(request: SchemeRequest): IdentifyResult {
  return identity(
    deliveryId(request.headers.get(DELIVERY), "X-GitHub-Delivery"),
    eventType(request.headers.get(EVENT), "X-GitHub-Event"),
  );
}

export const githubScheme: WebhookScheme = defineScheme({
  id: "github",
  headers: () => HEADERS,
  parse,
  key: secretAsKey,
  sign,
  identify,
});
