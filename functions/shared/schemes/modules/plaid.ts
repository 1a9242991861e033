import {
  createPrivateKey,
  createPublicKey,
  sign as ecSign,
  type JsonWebKey,
  type KeyObject,
  verify,
} from "node:crypto";
import { bytesOf, fail, isFailure, isRecord, noSecrets, sha256Hex } from "../common";
import type { SchemeCore } from "../engine/core";
import type { CodePreset } from "../engine/definition";
import type { HeaderNaming } from "../engine/headers";
import { checkTimestamp } from "../engine/timestamp";
import type { KeyResult, ParseResult, SchemeOptions, SignedContent, SignInput, VerifyResult } from "../types";
import { base64urlJson, decodeJwt } from "./jwt";

/** Plaid's API host per environment: the only hosts verification keys are fetched from. */
export const PLAID_HOSTS = { production: "production.plaid.com", sandbox: "sandbox.plaid.com" } as const;
const KEY_ID = /^[\x21-\x7e]{1,128}$/;
const CREDENTIALS = /^[A-Za-z0-9]{1,64}:[A-Za-z0-9]{1,64}$/;

interface PlaidSigned extends SignedContent {
  readonly keyId: string;
  readonly signingInput: string;
  readonly signature: Buffer;
}

/**
 * Plaid: `Plaid-Verification` is an ES256 JWT whose `kid` names a key Plaid serves from
 * `POST /webhook_verification_key/get` (with the API credentials the secret document holds);
 * `parse` asks for it (`keyRequest`), the validator fetches and caches it and passes the JWK as
 * `options.externalKey`. The JWT's `iat` must be within the tolerance (5 minutes) and its
 * `request_body_sha256` must be the body's.
 */
export function plaidModule(preset: CodePreset, naming: HeaderNaming): SchemeCore {
  const ref = naming.ref("Plaid-Verification");
  const environmentDefault = preset.settings?.environment?.default ?? "production";
  return {
    family: "code",
    headers: () => [ref.name],
    requiredHeader: () => ref.display,
    secretHeaders: () => [ref.name],
    defaultToleranceSeconds: preset.toleranceSeconds,
    key: (secret): KeyResult =>
      CREDENTIALS.test(secret)
        ? { ok: true, key: secret }
        : { ok: false, reason: "not <client_id>:<secret>" },
    parse(request, nowSeconds, options): ParseResult {
      const value = request.headers.get(ref.name);
      if (value === undefined) return fail("missing_header", `${ref.display} is missing`);
      const jwt = decodeJwt(value, ref.display);
      if (isFailure(jwt)) return jwt;
      const { header, payload, signingInput, signature } = jwt;
      if (header.alg !== "ES256") return fail("malformed_header", `${ref.display}: alg is not ES256`);
      if (typeof header.kid !== "string" || !KEY_ID.test(header.kid))
        return fail("malformed_header", `${ref.display}: kid is not 1-128 printable ASCII characters`);
      if (typeof payload.iat !== "number" || !Number.isSafeInteger(payload.iat))
        return fail("malformed_header", `${ref.display}: iat is not integer unix seconds`);
      const timestamp = checkTimestamp(
        String(payload.iat),
        "unix-s",
        `${ref.display}: iat`,
        nowSeconds,
        options?.toleranceSeconds ?? preset.toleranceSeconds ?? 300,
      );
      if (isFailure(timestamp)) return timestamp;
      const claimed = payload.request_body_sha256;
      // The body and its hash are no secret: a plain comparison leaks nothing.
      if (claimed !== sha256Hex(request.body))
        return fail("signature_mismatch", `${ref.display}: request_body_sha256 is not the body's SHA-256`);
      if (signature.length !== 64)
        return fail("malformed_header", `${ref.display}: the signature is not 64 bytes (ES256)`);
      const environment = (options?.settings?.environment ?? environmentDefault) as keyof typeof PLAID_HOSTS;
      const signed: PlaidSigned = {
        header: ref.display,
        timestamp,
        keyRequest: {
          kind: "plaid-jwk",
          host: PLAID_HOSTS[environment] ?? PLAID_HOSTS.production,
          keyId: header.kid,
        },
        keyId: header.kid,
        signingInput,
        signature,
      };
      return { ok: true, signed };
    },
    check(signed: SignedContent, secrets: readonly string[], options?: SchemeOptions): VerifyResult {
      const { signingInput, signature, header, timestamp, keyId } = signed as PlaidSigned;
      if (secrets.length === 0) return noSecrets();
      const key = verificationKey(options?.externalKey, timestamp ?? 0);
      if (typeof key === "string") return fail("unusable_secret", `Plaid's verification key: ${key}`);
      const valid = verify(
        "sha256",
        Buffer.from(signingInput),
        { key, dsaEncoding: "ieee-p1363" },
        signature,
      );
      if (!valid)
        return fail("signature_mismatch", `${header}: the signature does not match Plaid's key ${keyId}`);
      return { ok: true, secretIndex: 0, ...(timestamp === undefined ? {} : { timestamp }) };
    },
    /** `privateKey`: a P-256 key (PEM); `keyId`: its `kid`. */
    sign(input: SignInput) {
      if (input.privateKey === undefined || input.keyId === undefined)
        throw new TypeError("Plaid signs with its own key: pass input.privateKey and input.keyId (the kid)");
      const header = base64urlJson({ alg: "ES256", kid: input.keyId, typ: "JWT" });
      const payload = base64urlJson({
        iat: input.timestamp,
        request_body_sha256: sha256Hex(bytesOf(input.body)),
      });
      const signature = ecSign("sha256", Buffer.from(`${header}.${payload}`), {
        key: createPrivateKey(input.privateKey),
        dsaEncoding: "ieee-p1363",
      });
      return { [ref.display]: `${header}.${payload}.${signature.toString("base64url")}` };
    },
  };
}

// Public keys by JWK text: the fetcher serves the same text for an hour.
const keys = new Map<string, { key: KeyObject; expiredAt: number | undefined } | string>();
const MAX_KEYS = 16;

/** Plaid's JWK, if it is a P-256 key that had not expired when the JWT was issued. */
function verificationKey(json: string | undefined, issuedAt: number): KeyObject | string {
  if (json === undefined) return "not fetched";
  let parsed = keys.get(json);
  if (parsed === undefined) {
    if (keys.size >= MAX_KEYS) keys.clear();
    parsed = parseJwk(json);
    keys.set(json, parsed);
  }
  if (typeof parsed === "string") return parsed;
  return parsed.expiredAt !== undefined && parsed.expiredAt <= issuedAt ? "expired" : parsed.key;
}

function parseJwk(json: string): { key: KeyObject; expiredAt: number | undefined } | string {
  let jwk: unknown;
  try {
    jwk = JSON.parse(json);
  } catch {
    return "not JSON";
  }
  if (!isRecord(jwk) || jwk.kty !== "EC" || jwk.crv !== "P-256") return "not a P-256 JWK";
  try {
    const key = createPublicKey({
      key: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y } as JsonWebKey,
      format: "jwk",
    });
    return { key, expiredAt: typeof jwk.expired_at === "number" ? jwk.expired_at : undefined };
  } catch {
    return "not a P-256 JWK";
  }
}
