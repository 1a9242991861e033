import { fail, isRecord } from "../common";
import { canonicalBase64 } from "../engine/encoding";
import type { VerifyFailure } from "../types";

export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  /** `<header>.<payload>` as sent: what the signature covers. */
  readonly signingInput: string;
  readonly signature: Buffer;
}

/** A compact JWS (Plaid's, Netlify's): its header and payload objects and the signature bytes. */
export function decodeJwt(value: string, display: string): DecodedJwt | VerifyFailure {
  const parts = value.split(".");
  if (parts.length !== 3 || value.length > 8192)
    return fail("malformed_header", `${display} is not a compact JWT`);
  const [headerText, payloadText, signatureText] = parts as [string, string, string];
  const header = jsonPart(headerText);
  const payload = jsonPart(payloadText);
  const signature = canonicalBase64(signatureText, 1, 512, "base64url");
  if (!header || !payload || !signature) return fail("malformed_header", `${display} is not a compact JWT`);
  return { header, payload, signingInput: `${headerText}.${payloadText}`, signature };
}

/** A JSON value as a JWT part. */
export function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function jsonPart(text: string): Record<string, unknown> | undefined {
  const bytes = canonicalBase64(text, 2, 4096, "base64url");
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString("utf8"));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
