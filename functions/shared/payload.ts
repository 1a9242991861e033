import { MEDIA_TYPE_MAX_CHARS } from "./limits";

/** Media types whose bodies the platform accepts. */
export const JSON_MEDIA_TYPE = "application/json";
export const FORM_MEDIA_TYPE = "application/x-www-form-urlencoded";

export type ParsedPayload =
  | { readonly ok: true; readonly data: unknown }
  | { readonly ok: false; readonly status: 400 | 415; readonly reason: string };

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The lowercased media type of a Content-Type header value, without parameters. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? "").split(";", 1)[0]!.trim().toLowerCase();
}

/**
 * Decodes raw request bytes (UTF-8, strict) and parses them by media type. JSON bodies parse to
 * their value; form bodies whose only field is `payload` (GitHub, Slack interactivity) parse to that
 * field's JSON, other form bodies (Slack slash commands) to an object of their fields. Never throws.
 *
 * @example parsePayload(Buffer.from('{"type":"ping"}'), "application/json") // { ok: true, data: { type: "ping" } }
 */
export function parsePayload(bytes: Uint8Array, contentType: string | undefined): ParsedPayload {
  if (bytes.byteLength === 0) return { ok: false, status: 400, reason: "empty body" };
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return { ok: false, status: 400, reason: "body is not valid UTF-8" };
  }
  const mediaType = mediaTypeOf(contentType);
  // It travels in the envelope and the event's payloadRef, whose sizes must stay bounded.
  if (mediaType.length > MEDIA_TYPE_MAX_CHARS)
    return {
      ok: false,
      status: 415,
      reason: `media type is over ${MEDIA_TYPE_MAX_CHARS} characters (RFC 6838)`,
    };
  if (mediaType === JSON_MEDIA_TYPE || mediaType === "" || mediaType.endsWith("+json"))
    return parseJson(text);
  if (mediaType === FORM_MEDIA_TYPE) return parseForm(text);
  return { ok: false, status: 415, reason: `unsupported content type ${mediaType}` };
}

function parseJson(text: string): ParsedPayload {
  try {
    return { ok: true, data: JSON.parse(text) };
  } catch {
    return { ok: false, status: 400, reason: "body is not valid JSON" };
  }
}

function parseForm(text: string): ParsedPayload {
  const params = new URLSearchParams(text);
  const fields: Record<string, string> = {};
  for (const [name, value] of params) {
    if (Object.hasOwn(fields, name))
      return { ok: false, status: 400, reason: `form field ${name} is repeated` };
    // Defined, not assigned: assigning a field named __proto__ would drop it silently.
    Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true });
  }
  const names = Object.keys(fields);
  if (names.length === 0) return { ok: false, status: 400, reason: "form body has no fields" };
  if (names.length === 1 && names[0] === "payload") return parseJson(fields.payload!);
  return { ok: true, data: fields };
}
