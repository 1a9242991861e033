import { createHash, timingSafeEqual } from "node:crypto";
import { bodyData, bytesOf, fail, isRecord, mismatch, noSecrets, sha256Hex, singleSecret } from "../common";
import type { SchemeCore } from "../engine/core";
import { macOf } from "../engine/hmac";
import type { KeyResult, ParseResult, SignedContent, SignInput, VerifyResult } from "../types";

const PAYLOAD = /^[A-Za-z0-9+=/\n]{1,1048576}$/;
const PAIR = /^([A-Za-z0-9_-]{1,64})\|([0-9a-f]{40})$/;
const CHALLENGE = /^[a-f0-9]{20,32}$/;
const KIND = /<kind>([\x21-\x3b\x3d-\x7e]{1,128})<\/kind>/;
/** Signature pairs read at most: one per API key of the merchant. */
const MAX_PAIRS = 10;
const TEXT = { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" } as const;

interface BraintreeSigned extends SignedContent {
  readonly payload: string;
  /** Hex signature by public key. */
  readonly pairs: ReadonlyMap<string, Buffer>;
}

/**
 * Braintree: a form post of `bt_signature` (`<public key>|<hex>` pairs joined by `&`) and
 * `bt_payload` (base64 XML). Each pair is HMAC-SHA1 of the payload (or the payload and a newline,
 * as Braintree's library accepts) keyed with the SHA-1 digest of that key pair's private key.
 * Secrets are stored as `<public key>:<private key>`.
 */
export function braintreeModule(): SchemeCore {
  return {
    family: "code",
    headers: () => [],
    requiredHeader: () => undefined,
    secretHeaders: () => [],
    key: (secret): KeyResult =>
      /^[A-Za-z0-9_-]{1,64}:.+$/.test(secret)
        ? { ok: true, key: secret }
        : { ok: false, reason: "not <public key>:<private key>" },
    parse(request): ParseResult {
      const data = bodyData(request.body);
      const signature = isRecord(data) ? data.bt_signature : undefined;
      const payload = isRecord(data) ? data.bt_payload : undefined;
      if (typeof signature !== "string") return fail("missing_header", "form field bt_signature is missing");
      if (typeof payload !== "string") return fail("missing_header", "form field bt_payload is missing");
      if (!PAYLOAD.test(payload)) return fail("malformed_header", "form field bt_payload is not base64");
      const pairs = new Map<string, Buffer>();
      const texts = signature.split("&").filter((pair) => pair.includes("|"));
      if (texts.length === 0 || texts.length > MAX_PAIRS)
        return fail(
          "malformed_header",
          `form field bt_signature holds no or more than ${MAX_PAIRS} <public key>|<hex> pairs`,
        );
      for (const text of texts) {
        const match = PAIR.exec(text);
        if (!match)
          return fail(
            "malformed_header",
            "form field bt_signature has a pair that is not <public key>|<40 hex>",
          );
        pairs.set(match[1]!, Buffer.from(match[2]!, "hex"));
      }
      return { ok: true, signed: { header: "bt_signature", payload, pairs } as BraintreeSigned };
    },
    check(signed: SignedContent, secrets: readonly string[]): VerifyResult {
      const { payload, pairs } = signed as BraintreeSigned;
      if (secrets.length === 0) return noSecrets();
      for (const [index, secret] of secrets.entries()) {
        const [publicKey, privateKey] = split(secret);
        if (privateKey === undefined)
          return fail("unusable_secret", `secret #${index + 1}: not <public key>:<private key>`);
        const expected = pairs.get(publicKey);
        if (!expected) continue;
        const key = createHash("sha1").update(privateKey).digest();
        for (const data of [payload, `${payload}\n`]) {
          if (timingSafeEqual(macOf("sha1", key, [data]), expected)) return { ok: true, secretIndex: index };
        }
      }
      return mismatch("bt_signature", pairs.size, secrets.length);
    },
    sign() {
      throw new TypeError("Braintree signs inside its form body: use signBody");
    },
    /** `input.body` is the notification XML. */
    signBody(input: SignInput) {
      const [publicKey, privateKey] = split(singleSecret(input.secrets, "bt_signature"));
      if (privateKey === undefined) throw new TypeError("unusable secret: not <public key>:<private key>");
      const payload = Buffer.from(bytesOf(input.body)).toString("base64");
      const hex = macOf("sha1", createHash("sha1").update(privateKey).digest(), [payload]).toString("hex");
      const body = new URLSearchParams({
        bt_signature: `${publicKey}|${hex}`,
        bt_payload: payload,
      }).toString();
      return { body, headers: { "Content-Type": "application/x-www-form-urlencoded" } };
    },
    identify(_request, data) {
      const payload = isRecord(data) ? data.bt_payload : undefined;
      if (typeof payload !== "string") return { ok: false, reason: "form field bt_payload is missing" };
      const kind = KIND.exec(Buffer.from(payload, "base64").toString("utf8"))?.[1];
      return { ok: true, deliveryId: sha256Hex(payload), eventType: kind ?? "unknown" };
    },
    /** Braintree's legacy URL check: `GET ?bt_challenge=<hex>` → `<public key>|<HMAC-SHA1 of the challenge>`. */
    answerHandshake(phase, input) {
      const challenge = input.request.query?.get("bt_challenge");
      if (phase !== "before-verification" || input.request.method !== "GET" || challenge === undefined)
        return undefined;
      const secret = input.secrets?.[0];
      if (!CHALLENGE.test(challenge) || secret === undefined) return undefined;
      const [publicKey, privateKey] = split(secret);
      if (privateKey === undefined) return undefined;
      const hex = macOf("sha1", createHash("sha1").update(privateKey).digest(), [challenge]).toString("hex");
      return { kind: "module", status: 200, headers: { ...TEXT }, body: `${publicKey}|${hex}` };
    },
  };
}

function split(secret: string): [string, string | undefined] {
  const colon = secret.indexOf(":");
  return colon < 1 ? [secret, undefined] : [secret.slice(0, colon), secret.slice(colon + 1)];
}
