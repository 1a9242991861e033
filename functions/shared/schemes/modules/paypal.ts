import { createPrivateKey, randomUUID, sign as rsaSign, verify, X509Certificate } from "node:crypto";
import { bytesOf, fail, isFailure, mismatch, noSecrets, singleSecret } from "../common";
import type { SchemeCore } from "../engine/core";
import { canonicalBase64 } from "../engine/encoding";
import type { HeaderNaming } from "../engine/headers";
import { checkTimestamp, formatTimestamp } from "../engine/timestamp";
import type { KeyResult, ParseResult, SchemeOptions, SignedContent, SignInput, VerifyResult } from "../types";

/**
 * The only certificate URLs fetched: PayPal's API hosts (live and sandbox, old and `api-m`
 * names), the certificates path. The URL arrives in a header anyone can set, so this pin is what
 * keeps a forged request from pointing the fetch elsewhere.
 */
export const PAYPAL_CERT_URL =
  /^https:\/\/api(-m)?(\.sandbox)?\.paypal\.com\/v1\/notifications\/certs\/[A-Za-z0-9._-]{1,128}$/;
/** Hosts a PayPal signing certificate is issued to. */
const CERT_HOSTS = ["messageverificationcerts.paypal.com", "messageverificationcerts.sandbox.paypal.com"];
const ALGORITHM = "SHA256withRSA";
const TRANSMISSION_ID = /^[\x21-\x7b\x7d\x7e]{1,256}$/;
const WEBHOOK_ID = /^[A-Za-z0-9-]{1,64}$/;

interface PayPalSigned extends SignedContent {
  /** `<transmission id>|<transmission time>|`: the webhook id and the body's CRC32 follow. */
  readonly prefix: string;
  readonly crc: string;
  readonly signature: Buffer;
  readonly nowSeconds: number;
}

/**
 * PayPal: RSA-SHA256 (`PAYPAL-AUTH-ALGO: SHA256withRSA`) over `<transmission id>|<transmission
 * time>|<webhook id>|<CRC32 of the body, unsigned decimal>`, verified with the certificate at
 * `PAYPAL-CERT-URL`. `parse` asks for that certificate (`keyRequest`); the validator fetches it
 * from the pinned hosts and passes it as `options.externalKey`. The secret document holds the
 * webhook id(s): part of the signed string, not a secret.
 */
export function paypalModule(_preset: unknown, naming: HeaderNaming): SchemeCore {
  const names = {
    signature: naming.ref("PAYPAL-TRANSMISSION-SIG"),
    id: naming.ref("PAYPAL-TRANSMISSION-ID"),
    time: naming.ref("PAYPAL-TRANSMISSION-TIME"),
    certUrl: naming.ref("PAYPAL-CERT-URL"),
    algorithm: naming.ref("PAYPAL-AUTH-ALGO"),
  };
  const all = Object.values(names);
  return {
    family: "code",
    headers: () => all.map((ref) => ref.name),
    requiredHeader: () => names.signature.display,
    secretHeaders: () => [names.signature.name],
    defaultToleranceSeconds: 600,
    key: (secret): KeyResult =>
      WEBHOOK_ID.test(secret) ? { ok: true, key: secret } : { ok: false, reason: "not a PayPal webhook id" },
    parse(request, nowSeconds, options): ParseResult {
      const values = new Map<string, string>();
      for (const ref of all) {
        const value = request.headers.get(ref.name);
        if (value === undefined) return fail("missing_header", `${ref.display} is missing`);
        values.set(ref.name, value);
      }
      if (values.get(names.algorithm.name) !== ALGORITHM)
        return fail("malformed_header", `${names.algorithm.display} is not ${ALGORITHM}`);
      const id = values.get(names.id.name)!;
      if (!TRANSMISSION_ID.test(id))
        return fail(
          "malformed_header",
          `${names.id.display} is not 1-256 printable ASCII characters without "|"`,
        );
      const url = values.get(names.certUrl.name)!;
      if (!PAYPAL_CERT_URL.test(url))
        return fail(
          "malformed_header",
          `${names.certUrl.display} is not a certificate URL on PayPal's API hosts`,
        );
      const signature = canonicalBase64(values.get(names.signature.name)!, 128, 1024);
      if (!signature)
        return fail(
          "malformed_header",
          `${names.signature.display} is not canonical base64 of an RSA signature`,
        );
      const time = values.get(names.time.name)!;
      const timestamp = checkTimestamp(
        time,
        "rfc3339",
        names.time.display,
        nowSeconds,
        options?.toleranceSeconds ?? 600,
      );
      if (isFailure(timestamp)) return timestamp;
      const signed: PayPalSigned = {
        header: names.signature.display,
        timestamp,
        keyRequest: { kind: "x509-url", url },
        prefix: `${id}|${time}|`,
        crc: String(crc32(request.body)),
        signature,
        nowSeconds,
      };
      return { ok: true, signed };
    },
    check(signed: SignedContent, secrets: readonly string[], options?: SchemeOptions): VerifyResult {
      const { prefix, crc, signature, header, nowSeconds, timestamp } = signed as PayPalSigned;
      if (secrets.length === 0) return noSecrets();
      const leaf = signingCertificate(options?.externalKey, nowSeconds);
      if (typeof leaf === "string") return fail("unusable_secret", `PayPal's certificate: ${leaf}`);
      for (const [index, webhookId] of secrets.entries()) {
        if (!WEBHOOK_ID.test(webhookId))
          return fail("unusable_secret", `secret #${index + 1}: not a PayPal webhook id`);
        if (verify("sha256", Buffer.from(`${prefix}${webhookId}|${crc}`), leaf.publicKey, signature))
          return { ok: true, secretIndex: index, ...(timestamp === undefined ? {} : { timestamp }) };
      }
      return mismatch(header, 1, secrets.length);
    },
    /** `secrets`: the webhook id; `privateKey`: the certificate's key; `keyId`: the certificate URL. */
    sign(input: SignInput) {
      const webhookId = singleSecret(input.secrets, names.signature.display);
      if (input.privateKey === undefined || input.keyId === undefined)
        throw new TypeError(
          "PayPal signs with its certificate's key: pass input.privateKey and input.keyId (the certificate URL)",
        );
      const id = input.id ?? randomUUID();
      const time = formatTimestamp(input.timestamp, "rfc3339");
      const data = `${id}|${time}|${webhookId}|${crc32(bytesOf(input.body))}`;
      return {
        [names.id.display]: id,
        [names.time.display]: time,
        [names.certUrl.display]: input.keyId,
        [names.algorithm.display]: ALGORITHM,
        [names.signature.display]: rsaSign(
          "sha256",
          Buffer.from(data),
          createPrivateKey(input.privateKey),
        ).toString("base64"),
      };
    },
  };
}

interface Chain {
  readonly leaf: X509Certificate;
  readonly validFrom: number;
  readonly validTo: number;
}

// Parsed and checked chains by PEM text: parsing a chain and checking its signatures costs more
// than the RSA verification itself, and the fetcher serves the same text for a day.
const chains = new Map<string, Chain | string>();
const MAX_CHAINS = 16;

/**
 * The leaf of a PEM chain, if it is current, issued to PayPal's signing host, and each
 * certificate in the chain is issued and signed by the next. Trust in the chain's root comes from
 * the fetch: HTTPS to a pinned PayPal host.
 */
export function signingCertificate(pem: string | undefined, nowSeconds: number): X509Certificate | string {
  if (pem === undefined) return "not fetched";
  let chain = chains.get(pem);
  if (chain === undefined) {
    if (chains.size >= MAX_CHAINS) chains.clear();
    chain = parseChain(pem);
    chains.set(pem, chain);
  }
  if (typeof chain === "string") return chain;
  const now = nowSeconds * 1000;
  return chain.validFrom > now || chain.validTo < now ? "not valid now" : chain.leaf;
}

function parseChain(pem: string): Chain | string {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) return "not a PEM certificate";
  let certificates: X509Certificate[];
  try {
    certificates = blocks.map((block) => new X509Certificate(block));
  } catch {
    return "not a PEM certificate";
  }
  const leaf = certificates[0]!;
  if (!CERT_HOSTS.some((host) => leaf.checkHost(host) !== undefined))
    return "not issued to PayPal's signing host";
  for (let index = 0; index + 1 < certificates.length; index++) {
    const [certificate, issuer] = [certificates[index]!, certificates[index + 1]!];
    if (!certificate.checkIssued(issuer) || !certificate.verify(issuer.publicKey))
      return `certificate #${index + 1} is not issued by the next one`;
  }
  return { leaf, validFrom: Date.parse(leaf.validFrom), validTo: Date.parse(leaf.validTo) };
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE, as zlib computes it), unsigned. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
