import type { HmacAlgorithm, SignatureEncoding } from "./definition";

/** Digest bytes per HMAC hash. */
export const DIGEST_BYTES: Readonly<Record<HmacAlgorithm, number>> = { sha1: 20, sha256: 32, sha512: 64 };

/** Checks a signature's text before decoding it, and decodes it. */
export interface SignatureShape {
  /** Why a value is refused, e.g. "is not 64 lowercase hex characters". */
  readonly rule: string;
  decode(value: string): Buffer | undefined;
}

// Node's hex decoder stops silently at the first bad digit and its base64 decoder skips
// whitespace and mixes alphabets, so a lenient decode could compare something else. Shapes are
// checked on the text first; for base64 the unused bits of the last digit must be zero
// (canonical), so no two header values decode to the same signature.
const LAST_DIGIT = {
  /** The last digit of a group holding 2 bytes carries 2 unused bits. */
  twoBytes: "[AEIMQUYcgkosw048]",
  /** The last digit of a group holding 1 byte carries 4 unused bits. */
  oneByte: "[AQgw]",
} as const;

const shapes = new Map<string, SignatureShape>();

/**
 * The shape of an `bytes`-byte signature in `encoding`.
 *
 * @example signatureShape("hex", 32).rule // "is not 64 lowercase hex characters"
 */
export function signatureShape(encoding: SignatureEncoding, bytes: number): SignatureShape {
  const key = `${encoding}:${bytes}`;
  let shape = shapes.get(key);
  if (!shape) {
    shape = buildShape(encoding, bytes);
    shapes.set(key, shape);
  }
  return shape;
}

function buildShape(encoding: SignatureEncoding, bytes: number): SignatureShape {
  if (encoding === "hex") {
    const pattern = new RegExp(`^[0-9a-f]{${bytes * 2}}$`);
    return {
      rule: `is not ${bytes * 2} lowercase hex characters`,
      decode: (value) => (pattern.test(value) ? Buffer.from(value, "hex") : undefined),
    };
  }
  const url = encoding === "base64url";
  const digit = url ? "[A-Za-z0-9_-]" : "[A-Za-z0-9+/]";
  const groups = Math.floor(bytes / 3);
  const rest = bytes % 3;
  const tail =
    rest === 0
      ? ""
      : rest === 1
        ? `${digit}${LAST_DIGIT.oneByte}${url ? "" : "=="}`
        : `${digit}{2}${LAST_DIGIT.twoBytes}${url ? "" : "="}`;
  const pattern = new RegExp(`^${digit}{${groups * 4}}${tail}$`);
  const length = groups * 4 + (rest === 0 ? 0 : url ? rest + 1 : 4);
  return {
    rule: url
      ? `is not ${length} characters of canonical unpadded base64url`
      : `is not ${length} characters of canonical padded base64`,
    decode: (value) => (pattern.test(value) ? Buffer.from(value, url ? "base64url" : "base64") : undefined),
  };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A variable-length base64 value (a DER signature, a JWS part): canonical, within `minBytes` to
 * `maxBytes`; undefined otherwise.
 */
export function canonicalBase64(
  value: string,
  minBytes: number,
  maxBytes: number,
  alphabet: "base64" | "base64url" = "base64",
): Buffer | undefined {
  if (alphabet === "base64" ? !BASE64.test(value) : !/^[A-Za-z0-9_-]*$/.test(value)) return undefined;
  const bytes = Buffer.from(value, alphabet);
  if (bytes.length < minBytes || bytes.length > maxBytes) return undefined;
  return bytes.toString(alphabet) === value ? bytes : undefined;
}
