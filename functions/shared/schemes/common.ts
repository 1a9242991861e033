import { createHash, createHmac, type KeyObject, timingSafeEqual } from "node:crypto";
import type {
  IdentifyResult,
  KeyResult,
  ParseResult,
  SchemeOptions,
  SchemeRequest,
  SignedContent,
  VerifyFailure,
  VerifyFailureCode,
  VerifyResult,
  WebhookScheme,
} from "./types";

/** Candidate signatures one header may carry; more is refused so a header can't multiply the work. */
export const MAX_SIGNATURES = 5;
/** @default 300 (5 minutes), what Stripe, Slack and Standard Webhooks use. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

// Shapes are checked before decoding: Node's hex decoder stops silently at the first bad digit and
// its base64 decoder skips whitespace, so a lenient decode could compare something else. 32 bytes
// are 43 base64 digits whose last carries 2 padding bits; requiring them to be zero (canonical
// encoding) means no two header values decode to the same signature.
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const BASE64_SHA256 = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
// Integer seconds only: milliseconds (13 digits), signs, decimals and ISO dates are refused.
const UNIX_SECONDS = /^[0-9]{1,10}$/;
// Delivery ids and event types go into table keys, messages and logs: printable ASCII, bounded.
const DELIVERY_ID = /^[\x21-\x7e]{1,256}$/;
const EVENT_TYPE = /^[\x21-\x7e]{1,128}$/;

export function fail(code: VerifyFailureCode, reason: string): VerifyFailure {
  return { ok: false, code, reason };
}

export function isFailure(value: unknown): value is VerifyFailure {
  return typeof value === "object" && value !== null && (value as { ok?: unknown }).ok === false;
}

/** The header's value, or a `missing_header` failure. */
export function requiredHeader(
  request: SchemeRequest,
  name: string,
  display: string,
): string | VerifyFailure {
  const value = request.headers.get(name);
  return value === undefined ? fail("missing_header", `${display} is missing`) : value;
}

export const HEX_RULE = "is not 64 lowercase hex characters";
export const BASE64_RULE = "is not 44 characters of canonical padded base64";

/** A 32-byte signature from lowercase hex, checked before it is decoded; undefined: see {@link HEX_RULE}. */
export function hexSignature(value: string): Buffer | undefined {
  return HEX_SHA256.test(value) ? Buffer.from(value, "hex") : undefined;
}

/** A 32-byte signature from padded base64, checked before it is decoded; undefined: see {@link BASE64_RULE}. */
export function base64Signature(value: string): Buffer | undefined {
  return BASE64_SHA256.test(value) ? Buffer.from(value, "base64") : undefined;
}

/**
 * Integer unix seconds within `tolerance` of `nowSeconds`, in either direction. `what` names the
 * value in a failure; callers pass a constant so the happy path builds no strings.
 */
export function timestampWithin(
  value: string,
  what: string,
  nowSeconds: number,
  options: SchemeOptions | undefined,
): number | VerifyFailure {
  if (!UNIX_SECONDS.test(value))
    return fail("malformed_header", `${what} is not integer unix seconds (1-10 digits)`);
  const timestamp = Number(value);
  const tolerance = options?.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const skew = nowSeconds - timestamp;
  if (skew > tolerance) {
    return fail(
      "timestamp_out_of_tolerance",
      `${what} ${timestamp} is ${skew} s old (tolerance ${tolerance} s)`,
    );
  }
  if (-skew > tolerance) {
    return fail(
      "timestamp_out_of_tolerance",
      `${what} ${timestamp} is ${-skew} s in the future (tolerance ${tolerance} s)`,
    );
  }
  return timestamp;
}

/** The secret itself is the HMAC key (every scheme but Standard Webhooks). */
export function secretAsKey(secret: string): KeyResult {
  return secret === "" ? { ok: false, reason: "secret is empty" } : { ok: true, key: secret };
}

/** HMAC-SHA256 over `prefix` then `body`, without concatenating them. */
export function mac(key: string | KeyObject, prefix: string, body: Uint8Array): Buffer {
  return createHmac("sha256", key).update(prefix).update(body).digest();
}

/**
 * Computes the MAC once per secret and compares it with each candidate. Every candidate is 32
 * bytes (checked in `parse`), so `timingSafeEqual` never sees unequal lengths.
 */
export function checkSignatures(
  signed: SignedContent,
  secrets: readonly string[],
  keyOf: (secret: string) => KeyResult,
): VerifyResult {
  if (secrets.length === 0) return fail("unusable_secret", "no active secret");
  for (let index = 0; index < secrets.length; index++) {
    const key = keyOf(secrets[index]!);
    if (!key.ok) return fail("unusable_secret", `secret #${index + 1}: ${key.reason}`);
    const expected = mac(key.key, signed.prefix, signed.body);
    for (const candidate of signed.signatures) {
      if (timingSafeEqual(expected, candidate)) {
        return signed.timestamp === undefined
          ? { ok: true, secretIndex: index }
          : { ok: true, secretIndex: index, timestamp: signed.timestamp };
      }
    }
  }
  return fail(
    "signature_mismatch",
    `${signed.header}: ${mismatch(signed.signatures.length, secrets.length)}`,
  );
}

/** "the signature does not match the active secret", "none of the 2 signatures matches any of the 3 active secrets", … */
function mismatch(signatures: number, secrets: number): string {
  const secretsPhrase = secrets === 1 ? "the active secret" : `the ${secrets} active secrets`;
  if (signatures === 1)
    return secrets === 1
      ? `the signature does not match ${secretsPhrase}`
      : `the signature matches none of ${secretsPhrase}`;
  return `none of the ${signatures} signatures matches ${secrets === 1 ? secretsPhrase : `any of ${secretsPhrase}`}`;
}

/** `parse`, then {@link checkSignatures}: a scheme's whole `verify`. */
/**
 * A scheme from its parts: `verify` is always `parse`, then the MAC of every secret's key against
 * every candidate signature, so no scheme can verify differently from how it parses.
 */
export function defineScheme(parts: Omit<WebhookScheme, "verify">): WebhookScheme {
  return {
    ...parts,
    verify: (request, secrets, nowSeconds, options) =>
      parseAndCheck(parts.parse(request, nowSeconds, options), secrets, parts.key),
  };
}

export function parseAndCheck(
  parsed: ParseResult,
  secrets: readonly string[],
  keyOf: (secret: string) => KeyResult,
): VerifyResult {
  return parsed.ok ? checkSignatures(parsed.signed, secrets, keyOf) : parsed;
}

export function bytesOf(body: Uint8Array | string): Uint8Array {
  return typeof body === "string" ? Buffer.from(body, "utf8") : body;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Exactly one secret, for schemes whose header carries a single signature. */
export function singleSecret(secrets: readonly string[], header: string): string {
  if (secrets.length !== 1)
    throw new RangeError(`${header} carries one signature: sign with exactly one secret`);
  return secrets[0]!;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

type Checked =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: string };

/** A delivery id from `what` (a header or body field); undefined is reported as missing. */
export function deliveryId(value: unknown, what: string): Checked {
  if (value === undefined) return { ok: false, reason: `${what} is missing` };
  if (typeof value !== "string" || !DELIVERY_ID.test(value)) {
    return { ok: false, reason: `${what} is not 1-256 printable ASCII characters` };
  }
  return { ok: true, value };
}

/** An event type from `what` (a header or body field); undefined is reported as missing. */
export function eventType(value: unknown, what: string): Checked {
  if (value === undefined) return { ok: false, reason: `${what} is missing` };
  if (typeof value !== "string" || !EVENT_TYPE.test(value)) {
    return { ok: false, reason: `${what} is not 1-128 printable ASCII characters` };
  }
  return { ok: true, value };
}

/** Combines a checked delivery id (or none: no dedupe) and event type into an identity. */
export function identity(id: Checked | undefined, type: Checked): IdentifyResult {
  if (id && !id.ok) return id;
  if (!type.ok) return type;
  return { ok: true, deliveryId: id?.value, eventType: type.value };
}
