import { createHash } from "node:crypto";
import type { IdentifyResult, VerifyFailure, VerifyFailureCode } from "./types";

/** Candidate signatures one request may carry by default; more is refused so a header can't multiply the work. */
export const MAX_SIGNATURES = 5;
/** @default 300 (5 minutes), what Stripe, Slack and Standard Webhooks use. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

// Delivery ids and event types go into table keys, messages and logs: printable ASCII, bounded.
// Event types may hold inner spaces (GitLab's `Push Hook`), never leading or trailing ones.
const DELIVERY_ID = /^[\x21-\x7e]{1,256}$/;
const EVENT_TYPE = /^[\x21-\x7e](?:[\x20-\x7e]{0,126}[\x21-\x7e])?$/;

export function fail(code: VerifyFailureCode, reason: string): VerifyFailure {
  return { ok: false, code, reason };
}

export function isFailure(value: unknown): value is VerifyFailure {
  return typeof value === "object" && value !== null && (value as { ok?: unknown }).ok === false;
}

export function bytesOf(body: Uint8Array | string): Uint8Array {
  return typeof body === "string" ? Buffer.from(body, "utf8") : body;
}

export function sha256Hex(bytes: Uint8Array | string): string {
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

export type Checked =
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

/**
 * The value at a dotted path of a parsed body (`event.type`, `notificationItems.0.x`): objects by
 * key, arrays by index; undefined when any step is missing.
 */
export function valueAt(data: unknown, path: string): unknown {
  let current = data;
  for (const step of path.split(".")) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]{0,5})$/.test(step)) return undefined;
      current = current[Number(step)];
    } else if (isRecord(current) && Object.hasOwn(current, step)) {
      current = current[step];
    } else {
      return undefined;
    }
  }
  return current;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
// Bodies a scheme reads fields from before the payload step, parsed once per body.
const parsedBodies = new WeakMap<Uint8Array, unknown>();

/**
 * A body parsed for a scheme that reads signed fields from it before the payload step (Mailgun,
 * Adyen, Linear): JSON, else a form's fields; undefined when it is neither. Memoized per body.
 */
export function bodyData(body: Uint8Array): unknown {
  if (parsedBodies.has(body)) return parsedBodies.get(body);
  let data: unknown;
  try {
    const text = strictUtf8.decode(body);
    const trimmed = text.trimStart();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) data = JSON.parse(text);
    else if (text.includes("=")) data = formFields(text);
  } catch {
    data = undefined;
  }
  parsedBodies.set(body, data);
  return data;
}

/** A form body's fields; undefined when one repeats (which value was signed would be ambiguous). */
function formFields(text: string): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(fields, name)) return undefined;
    fields[name] = value;
  }
  return fields;
}

/**
 * `<where>: the signature does not match the active secret`, `…: none of the 2 signatures matches
 * any of the 3 active secrets`, …
 */
export function mismatch(
  where: string,
  signatures: number,
  secrets: number,
  noun = "signature",
): VerifyFailure {
  const secretsPhrase = secrets === 1 ? "the active secret" : `the ${secrets} active secrets`;
  const phrase =
    signatures === 1
      ? secrets === 1
        ? `the ${noun} does not match ${secretsPhrase}`
        : `the ${noun} matches none of ${secretsPhrase}`
      : `none of the ${signatures} ${noun}s matches ${secrets === 1 ? secretsPhrase : `any of ${secretsPhrase}`}`;
  return fail("signature_mismatch", `${where}: ${phrase}`);
}

/** No active secret to compare with: our configuration is broken, not the request. */
export function noSecrets(): VerifyFailure {
  return fail("unusable_secret", "no active secret");
}
