import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { fail, mismatch, noSecrets } from "../common";
import type { KeyResult, SchemeOptions, SignedContent, SignInput, VerifyResult } from "../types";
import type { SchemeCore } from "./core";
import type { AsymmetricPreset } from "./definition";
import { canonicalBase64, type SignatureShape, signatureShape } from "./encoding";
import type { HeaderNaming } from "./headers";
import { compileSignedRequest, layout, type ParsedSignatures, requestMembers } from "./signed-request";
import { formatTimestamp } from "./timestamp";

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const ED25519_HEX = /^[0-9a-fA-F]{64}$/;
const MAX_KEYS = 64;

/** A DER ECDSA P-256 signature is 8 to 72 bytes; SendGrid sends it in base64. */
const ECDSA_DER: SignatureShape = {
  rule: "is not canonical base64 of a DER ECDSA signature (8-72 bytes)",
  decode: (value) => canonicalBase64(value, 8, 72),
};

/**
 * Asymmetric senders on the same parse and template knobs as HMAC: Ed25519 (Discord) and ECDSA
 * P-256 with SHA-256 (SendGrid). The secret document holds the sender's public key(s); `sign`
 * takes the matching private key (PEM, or Ed25519's 32-byte seed in hex) to make fixtures.
 */
export function compileAsymmetric(preset: AsymmetricPreset, naming: HeaderNaming): SchemeCore {
  const ed25519 = preset.algorithm === "ed25519";
  const shape = ed25519 ? signatureShape(preset.signature.encoding, 64) : ECDSA_DER;
  const compiled = compileSignedRequest(preset, naming, shape);
  const keys = new Map<string, KeyResult>();
  const keyOf = (secret: string): KeyResult => {
    let result = keys.get(secret);
    if (!result) {
      if (keys.size >= MAX_KEYS) keys.clear();
      result = publicKey(secret, preset.publicKey);
      keys.set(secret, result);
    }
    return result;
  };
  const digest = ed25519 ? null : "sha256";

  return {
    family: "asymmetric",
    ...requestMembers(compiled),
    key: keyOf,
    check(signed: SignedContent, secrets: readonly string[]): VerifyResult {
      const { attempts, header, timestamp } = signed as ParsedSignatures;
      if (secrets.length === 0) return noSecrets();
      // Ed25519 signs one message: the parts are joined once per attempt, not per key.
      const messages = attempts.map((attempt) =>
        Buffer.concat(attempt.parts.map((part) => (typeof part === "string" ? Buffer.from(part) : part))),
      );
      let candidates = 0;
      for (const attempt of attempts) candidates += attempt.signatures.length;
      for (let index = 0; index < secrets.length; index++) {
        const key = keyOf(secrets[index]!);
        if (!key.ok) return fail("unusable_secret", `secret #${index + 1}: ${key.reason}`);
        for (let at = 0; at < attempts.length; at++) {
          for (const candidate of attempts[at]!.signatures) {
            if (verify(digest, messages[at]!, key.key as KeyObject, candidate))
              return timestamp === undefined
                ? { ok: true, secretIndex: index }
                : { ok: true, secretIndex: index, timestamp };
          }
        }
      }
      return mismatch(header, candidates, secrets.length);
    },
    sign(input: SignInput, options?: SchemeOptions): Record<string, string> {
      const ref = compiled.signatureRefs[0]!;
      if (input.secrets.length !== 1)
        throw new RangeError(`${ref.display} carries one signature: sign with exactly one private key`);
      const text = preset.timestamp ? formatTimestamp(input.timestamp, preset.timestamp.format) : undefined;
      const body = typeof input.body === "string" ? Buffer.from(input.body) : input.body;
      const parts = layout(compiled.parts, { headers: new Map(), body }, text, new Map(), options);
      if (!Array.isArray(parts)) throw new TypeError(parts.reason);
      const message = Buffer.concat(
        parts.map((part) => (typeof part === "string" ? Buffer.from(part) : part)),
      );
      const signature = sign(digest, message, privateKey(input.secrets[0]!));
      const headers: Record<string, string> = {
        [ref.display]: signature.toString(ed25519 ? preset.signature.encoding : "base64"),
      };
      if (compiled.timestampHeader && text !== undefined) headers[compiled.timestampHeader.display] = text;
      return headers;
    },
  };
}

function publicKey(secret: string, format: AsymmetricPreset["publicKey"]): KeyResult {
  try {
    if (format === "ed25519-hex") {
      if (!ED25519_HEX.test(secret))
        return { ok: false, reason: "not an Ed25519 public key (64 hex characters)" };
      const der = Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(secret, "hex")]);
      return { ok: true, key: createPublicKey({ key: der, format: "der", type: "spki" }) };
    }
    const der = secret.startsWith("-----BEGIN")
      ? undefined
      : canonicalBase64(secret.replace(/\s+/g, ""), 16, 1024);
    if (!der && !secret.startsWith("-----BEGIN PUBLIC KEY-----"))
      return { ok: false, reason: "not a PEM public key or base64 of a DER one" };
    const key = der ? createPublicKey({ key: der, format: "der", type: "spki" }) : createPublicKey(secret);
    if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1")
      return { ok: false, reason: "not an ECDSA P-256 public key" };
    return { ok: true, key };
  } catch {
    return { ok: false, reason: "not a public key" };
  }
}

/** A private key for fixtures: PEM, or an Ed25519 seed as 64 hex characters. */
export function privateKey(secret: string): KeyObject {
  if (ED25519_HEX.test(secret))
    return createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(secret, "hex")]),
      format: "der",
      type: "pkcs8",
    });
  return createPrivateKey(secret);
}
