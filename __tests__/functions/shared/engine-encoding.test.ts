import { createHmac } from "node:crypto";
import {
  canonicalBase64,
  DIGEST_BYTES,
  signatureShape,
} from "../../../functions/shared/schemes/engine/encoding";

const digest = (algorithm: "sha1" | "sha256" | "sha512") => createHmac(algorithm, "k").update("m").digest();

describe("K4: a signature's text is checked before it is decoded", () => {
  test.each([
    ["hex", "sha1", "is not 40 lowercase hex characters"],
    ["hex", "sha256", "is not 64 lowercase hex characters"],
    ["hex", "sha512", "is not 128 lowercase hex characters"],
    ["base64", "sha1", "is not 28 characters of canonical padded base64"],
    ["base64", "sha256", "is not 44 characters of canonical padded base64"],
    ["base64", "sha512", "is not 88 characters of canonical padded base64"],
    ["base64url", "sha1", "is not 27 characters of canonical unpadded base64url"],
    ["base64url", "sha256", "is not 43 characters of canonical unpadded base64url"],
    ["base64url", "sha512", "is not 86 characters of canonical unpadded base64url"],
  ] as const)("%s of %s: its digest decodes, and the rule reads '%s'", (encoding, algorithm, rule) => {
    const shape = signatureShape(encoding, DIGEST_BYTES[algorithm]);
    const signature = digest(algorithm);
    expect(shape.decode(signature.toString(encoding))).toEqual(signature);
    expect(shape.rule).toBe(rule);
  });

  test.each([
    ["upper-case hex (senders send lower case; their libraries refuse upper)", "hex", "A".repeat(64)],
    ["a hex digit short", "hex", "a".repeat(63)],
    ["hex with a space", "hex", `${"a".repeat(31)} ${"a".repeat(32)}`],
    ["base64 without its padding", "base64", "A".repeat(43)],
    ["base64 in the URL-safe alphabet", "base64", `-_${"A".repeat(41)}=`],
    ["base64 whose last digit has padding bits set (non-canonical)", "base64", `${"A".repeat(42)}B=`],
    ["base64url with padding", "base64url", `${"A".repeat(43)}=`],
    ["base64url in the standard alphabet", "base64url", `+/${"A".repeat(41)}`],
  ] as const)("refuses %s", (_case, encoding, value) => {
    expect(signatureShape(encoding, 32).decode(value)).toBeUndefined();
  });
});

describe("variable-length base64 (DER and JWS signatures)", () => {
  test.each([
    ["canonical, in range", "AAEC", 1, 8, [0, 1, 2]],
    ["fewer bytes than allowed", "AAEC", 4, 8, undefined],
    ["more bytes than allowed", "AAECAw==", 1, 3, undefined],
    ["non-canonical last digit", "AAF=", 1, 8, undefined],
    ["padding missing", "AAE", 1, 8, undefined],
  ])("%s", (_case, value, min, max, expected) => {
    const decoded = canonicalBase64(value, min, max);
    expect(decoded === undefined ? undefined : [...decoded]).toEqual(expected);
  });

  test("base64url: canonical unpadded only", () => {
    expect(canonicalBase64("AAE", 1, 8, "base64url")).toEqual(Buffer.from([0, 1]));
    expect(canonicalBase64("AAF", 1, 8, "base64url")).toBeUndefined();
    expect(canonicalBase64("AAE=", 1, 8, "base64url")).toBeUndefined();
  });
});
