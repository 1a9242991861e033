import { bytesOf, fail, isFailure, sha256Hex, singleSecret } from "../common";
import type { SchemeCore } from "../engine/core";
import type { HeaderNaming } from "../engine/headers";
import { checkMacs, macOf } from "../engine/hmac";
import { secretDecoder } from "../engine/secret";
import type { ParsedSignatures } from "../engine/signed-request";
import type { ParseResult, SignInput } from "../types";
import { base64urlJson, decodeJwt } from "./jwt";

/**
 * Netlify deploy notifications: `X-Webhook-Signature` is a JWS signed HS256 with the JWS secret,
 * whose claims are `iss: "netlify"` and `sha256`, the hex SHA-256 of the body (which binds the
 * body to the signature).
 */
export function netlifyModule(_preset: unknown, naming: HeaderNaming): SchemeCore {
  const ref = naming.ref("X-Webhook-Signature");
  const keyOf = secretDecoder(undefined);
  return {
    family: "code",
    headers: () => [ref.name],
    requiredHeader: () => ref.display,
    secretHeaders: () => [ref.name],
    key: keyOf,
    parse(request): ParseResult {
      const value = request.headers.get(ref.name);
      if (value === undefined) return fail("missing_header", `${ref.display} is missing`);
      const jwt = decodeJwt(value, ref.display);
      if (isFailure(jwt)) return jwt;
      if (jwt.header.alg !== "HS256") return fail("malformed_header", `${ref.display}: alg is not HS256`);
      if (jwt.payload.iss !== "netlify")
        return fail("malformed_header", `${ref.display}: iss is not netlify`);
      if (jwt.signature.length !== 32)
        return fail("malformed_header", `${ref.display}: the signature is not 32 bytes (HS256)`);
      const claimed = jwt.payload.sha256;
      // The body and its hash are no secret: a plain comparison leaks nothing.
      if (claimed !== sha256Hex(request.body))
        return fail("signature_mismatch", `${ref.display}: sha256 is not the body's SHA-256`);
      const signed: ParsedSignatures = {
        header: ref.display,
        attempts: [{ parts: [jwt.signingInput], signatures: [jwt.signature] }],
      };
      return { ok: true, signed };
    },
    check: (signed, secrets) => checkMacs(signed as ParsedSignatures, secrets, "sha256", keyOf),
    sign(input: SignInput) {
      const secret = singleSecret(input.secrets, ref.display);
      const header = base64urlJson({ alg: "HS256", typ: "JWT" });
      const payload = base64urlJson({ iss: "netlify", sha256: sha256Hex(bytesOf(input.body)) });
      const signature = macOf("sha256", secret, [`${header}.${payload}`]).toString("base64url");
      return { [ref.display]: `${header}.${payload}.${signature}` };
    },
  };
}
