import { createSecretKey } from "node:crypto";
import type { HeaderFamily } from "../providers";
import {
  BASE64_RULE,
  base64Signature,
  bytesOf,
  defineScheme,
  deliveryId,
  eventType,
  fail,
  identity,
  isFailure,
  isRecord,
  MAX_SIGNATURES,
  mac,
  requiredHeader,
  timestampWithin,
} from "./common";
import type {
  IdentifyResult,
  KeyResult,
  ParseResult,
  SchemeOptions,
  SchemeRequest,
  SignInput,
  WebhookScheme,
} from "./types";

/**
 * Standard Webhooks (and Svix, with `svix-*` header names): `<family>-signature: v1,<base64>
 * [v1,<base64> …]` over `"<id>.<timestamp>.<raw body>"`, keyed with the base64 decoding of the
 * secret after `whsec_`.
 */
const SECRET_PREFIX = "whsec_";
const KEY_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// The id is part of the signed string: a `.` in it would make `<id>.<ts>.` ambiguous.
const MESSAGE_ID = /^[\x21-\x2d\x2f-\x7e]{1,256}$/;

interface Names {
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
}

const FAMILIES: Record<HeaderFamily, Names> = {
  webhook: { id: "webhook-id", timestamp: "webhook-timestamp", signature: "webhook-signature" },
  svix: { id: "svix-id", timestamp: "svix-timestamp", signature: "svix-signature" },
};

function namesFor(options: SchemeOptions | undefined): Names {
  return FAMILIES[options?.headerFamily ?? "webhook"];
}

// Derived keys by secret: decoding and wrapping a key costs ~0.7 µs, a fifth of a verification,
// and a provider has a handful of secrets. Cleared when it grows (rotations in a long-lived process).
const derivedKeys = new Map<string, KeyResult>();
const MAX_DERIVED_KEYS = 64;

/** The HMAC key: base64 of 24-64 bytes, after an optional `whsec_` (as the reference library accepts). */
export function key(secret: string): KeyResult {
  let derived = derivedKeys.get(secret);
  if (!derived) {
    if (derivedKeys.size >= MAX_DERIVED_KEYS) derivedKeys.clear();
    derived = deriveKey(secret);
    derivedKeys.set(secret, derived);
  }
  return derived;
}

function deriveKey(secret: string): KeyResult {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (encoded === "" || !KEY_BASE64.test(encoded))
    return { ok: false, reason: "not whsec_ followed by base64" };
  const bytes = Buffer.from(encoded, "base64");
  if (bytes.length < 24 || bytes.length > 64)
    return { ok: false, reason: `key is ${bytes.length} bytes, not 24-64` };
  return { ok: true, key: createSecretKey(bytes) };
}

export function parse(request: SchemeRequest, nowSeconds: number, options?: SchemeOptions): ParseResult {
  const names = namesFor(options);
  const value = requiredHeader(request, names.signature, names.signature);
  if (typeof value !== "string") return value;
  const id = requiredHeader(request, names.id, names.id);
  if (typeof id !== "string") return id;
  const ts = requiredHeader(request, names.timestamp, names.timestamp);
  if (typeof ts !== "string") return ts;
  if (!MESSAGE_ID.test(id))
    return fail("malformed_header", `${names.id} is not 1-256 printable ASCII characters without "."`);
  const entries = value.split(" ", MAX_SIGNATURES + 1);
  if (entries.length > MAX_SIGNATURES) {
    return fail("malformed_header", `${names.signature}: more than ${MAX_SIGNATURES} signatures`);
  }
  const signatures: Buffer[] = [];
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    const comma = entry.indexOf(",");
    if (comma < 1)
      return fail("malformed_header", `${names.signature}: entry #${index + 1} is not <version>,<signature>`);
    // Other versions (v1a: asymmetric) are skipped, as the reference library does.
    if (entry.slice(0, comma) !== "v1") continue;
    const signature = base64Signature(entry.slice(comma + 1));
    if (!signature) {
      return fail(
        "malformed_header",
        `${names.signature}: v1 signature #${signatures.length + 1} ${BASE64_RULE}`,
      );
    }
    signatures.push(signature);
  }
  if (signatures.length === 0) return fail("malformed_header", `${names.signature}: no v1 signature`);
  const timestamp = timestampWithin(ts, names.timestamp, nowSeconds, options);
  if (isFailure(timestamp)) return timestamp;
  return {
    ok: true,
    signed: { header: names.signature, prefix: `${id}.${ts}.`, body: request.body, signatures, timestamp },
  };
}

/**
 * One `v1,` per secret (rotation). Throws on an unusable secret or a missing `id`.
 *
 * @example sign({ body, secrets: ["whsec_…"], timestamp: 1700000000, id: "msg_1" }, { headerFamily: "svix" })
 */
export function sign(input: SignInput, options?: SchemeOptions): Record<string, string> {
  if (input.id === undefined) throw new TypeError("standard-webhooks signs an id: pass input.id");
  const names = namesFor(options);
  const body = bytesOf(input.body);
  const prefix = `${input.id}.${input.timestamp}.`;
  const signatures = input.secrets.map((secret) => {
    const derived = key(secret);
    if (!derived.ok) throw new TypeError(`unusable secret: ${derived.reason}`);
    return `v1,${mac(derived.key, prefix, body).toString("base64")}`;
  });
  return {
    [names.id]: input.id,
    [names.timestamp]: String(input.timestamp),
    [names.signature]: signatures.join(" "),
  };
}

export function identify(request: SchemeRequest, data: unknown, options?: SchemeOptions): IdentifyResult {
  const names = namesFor(options);
  const type = isRecord(data)
    ? eventType(data.type, "body type")
    : { ok: false as const, reason: "body is not a JSON object" };
  return identity(deliveryId(request.headers.get(names.id), names.id), type);
}

export const standardWebhooksScheme: WebhookScheme = defineScheme({
  id: "standard-webhooks",
  headers: (options) => {
    const names = namesFor(options);
    return [names.signature, names.id, names.timestamp];
  },
  parse,
  key,
  sign,
  identify,
});
