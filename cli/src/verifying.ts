import {
  type HandshakeAnswer,
  identityProblem,
  type KeyRequest,
  parsePayload,
  type SchemeOptions,
  type SchemeRequest,
  type WebhookScheme,
} from "@webhooks/shared";
import { CONTENT_TYPE_HEADER, singleHeaders } from "../../functions/validator/request";

/** What the validator would answer, as `verify` reports it. */
export type Outcome =
  | {
      readonly ok: true;
      readonly deliveryId: string | undefined;
      readonly eventType: string | undefined;
      /** Undefined for an unsigned handshake, answered before any signature check. */
      readonly secretIndex?: number;
      readonly timestamp?: number;
      readonly handshake?: HandshakeOutcome;
    }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly reason: string };

export interface HandshakeOutcome {
  readonly kind: string;
  readonly status: number;
  readonly body: string;
  /** Stateful kinds: the validator stores what the sender handed over before it answers. */
  readonly stores: boolean;
}

/**
 * The published key a request asks for (PayPal's certificate chain, Plaid's JWK), which the
 * validator fetches: here the caller supplies it, or explains where to get it.
 */
export type KeySupply = (request: KeyRequest) => string;

/**
 * The validator's pipeline (functions/validator/handler.ts) without its AWS parts: its header check
 * (each header the scheme reads, and Content-Type, at most once and not empty), an unsigned
 * handshake, then `parse`, the published key, `check`, `parsePayload`, a signed handshake,
 * `identify` and the identity bounds.
 */
export function verifyLikeTheValidator(
  scheme: WebhookScheme,
  options: SchemeOptions,
  lines: ReadonlyArray<readonly [string, string]>,
  body: Uint8Array,
  secrets: readonly string[],
  nowSeconds: number,
  keyFor: KeySupply,
): Outcome {
  const index = new Map<string, string[]>();
  for (const [name, value] of lines) {
    const key = name.toLowerCase();
    index.set(key, [...(index.get(key) ?? []), value]);
  }
  const checked = singleHeaders(index, [...scheme.headers(options), CONTENT_TYPE_HEADER]);
  if (!checked.ok) return { ok: false, status: 400, code: "invalid_header", reason: checked.reason };
  const { headers } = checked;
  const request: SchemeRequest = { headers, body, method: "POST", query: new Map(), allHeaders: index };
  const unsigned = scheme.answerHandshake("before-verification", { request }, options);
  if (unsigned)
    return { ok: true, deliveryId: undefined, eventType: undefined, handshake: outcomeOf(unsigned) };
  const parsed = scheme.parse(request, nowSeconds, options);
  if (!parsed.ok) {
    const status = parsed.code === "unusable_secret" ? 503 : 401;
    return { ok: false, status, code: parsed.code, reason: parsed.reason };
  }
  const { keyRequest } = parsed.signed;
  const withKey = keyRequest ? { ...options, externalKey: keyFor(keyRequest) } : options;
  const verified = scheme.check(parsed.signed, secrets, withKey);
  if (!verified.ok) {
    const status = verified.code === "unusable_secret" ? 503 : 401;
    return { ok: false, status, code: verified.code, reason: verified.reason };
  }
  const payload = parsePayload(body, headers.get(CONTENT_TYPE_HEADER));
  if (!payload.ok) {
    const code = payload.status === 415 ? "unsupported_media_type" : "malformed_payload";
    return { ok: false, status: payload.status, code, reason: payload.reason };
  }
  const matched = {
    secretIndex: verified.secretIndex,
    ...(verified.timestamp !== undefined ? { timestamp: verified.timestamp } : {}),
  };
  const answer = scheme.answerHandshake(
    "after-verification",
    { request, data: payload.data, secrets, secretIndex: verified.secretIndex },
    options,
  );
  if (answer)
    return {
      ok: true,
      deliveryId: undefined,
      eventType: undefined,
      handshake: outcomeOf(answer),
      ...matched,
    };
  const identified = scheme.identify(request, payload.data, options);
  if (!identified.ok) return { ok: false, status: 400, code: "invalid_event", reason: identified.reason };
  // A delivery without an id gets a random UUID, always within the bounds.
  const problem = identityProblem(identified.deliveryId ?? "-", identified.eventType);
  if (problem) return { ok: false, status: 400, code: "invalid_event", reason: problem };
  return { ok: true, deliveryId: identified.deliveryId, eventType: identified.eventType, ...matched };
}

function outcomeOf(answer: HandshakeAnswer): HandshakeOutcome {
  return { kind: answer.kind, status: answer.status, body: answer.body, stores: answer.store !== undefined };
}
