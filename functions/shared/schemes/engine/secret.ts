import { createSecretKey } from "node:crypto";
import type { KeyResult } from "../types";
import type { SecretDefinition } from "./definition";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;
/** Derived keys kept per scheme; cleared when it grows (rotations in a long-lived process). */
const MAX_DERIVED_KEYS = 64;

/**
 * K7: a secret as stored → the HMAC key, memoized per scheme (a provider has a handful of
 * secrets; no allocation per request). UTF-8 secrets are the key string itself (Node hashes a
 * string key fastest); decoded ones become KeyObjects: decoding and wrapping a key costs about a
 * fifth of a verification.
 */
export function secretDecoder(definition: SecretDefinition | undefined): (secret: string) => KeyResult {
  const derived = new Map<string, KeyResult>();
  const decoded = definition !== undefined && definition.decode !== "utf8" ? definition : undefined;
  return (secret) => {
    let result = derived.get(secret);
    if (!result) {
      if (derived.size >= MAX_DERIVED_KEYS) derived.clear();
      result = decoded ? decodeSecret(secret, decoded) : utf8Key(secret);
      derived.set(secret, result);
    }
    return result;
  };
}

function utf8Key(secret: string): KeyResult {
  return secret === "" ? { ok: false, reason: "secret is empty" } : { ok: true, key: secret };
}

function decodeSecret(secret: string, definition: SecretDefinition): KeyResult {
  const { prefix = "", decode, minBytes = 1, maxBytes = 1024 } = definition;
  const encoded = prefix && secret.startsWith(prefix) ? secret.slice(prefix.length) : secret;
  const what = prefix ? `not ${prefix} followed by ${decode}` : `not ${decode}`;
  if (encoded === "" || !(decode === "base64" ? BASE64 : HEX).test(encoded))
    return { ok: false, reason: what };
  const bytes = Buffer.from(encoded, decode);
  if (bytes.length < minBytes || bytes.length > maxBytes)
    return { ok: false, reason: `key is ${bytes.length} bytes, not ${minBytes}-${maxBytes}` };
  return { ok: true, key: createSecretKey(bytes) };
}
