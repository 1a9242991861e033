import { createHash, timingSafeEqual } from "node:crypto";
import { bodyData, bytesOf, fail, mismatch, noSecrets, singleSecret, valueAt } from "../common";
import type {
  KeyResult,
  SchemeOptions,
  SchemeRequest,
  SignedContent,
  SignInput,
  VerifyResult,
} from "../types";
import type { SchemeCore } from "./core";
import type { TokenPreset } from "./definition";
import { canonicalBase64 } from "./encoding";
import type { HeaderNaming, HeaderRef } from "./headers";

interface TokenSigned extends SignedContent {
  readonly presented: string;
}

const BASIC = "Basic ";
const MAX_DIGESTS = 64;

/**
 * Tokens are compared as SHA-256 digests, equal in length whatever was presented, so the
 * comparison is constant-time; the stored tokens' digests are kept (a handful per provider).
 */
function digestOf(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}
const expectedDigests = new Map<string, Buffer>();
function expectedDigest(secret: string): Buffer {
  let digest = expectedDigests.get(secret);
  if (!digest) {
    if (expectedDigests.size >= MAX_DIGESTS) expectedDigests.clear();
    digest = digestOf(secret);
    expectedDigests.set(secret, digest);
  }
  return digest;
}

/**
 * Shared-secret senders (GitLab, Postmark, Okta, Auth0, Figma): the request carries the secret
 * itself, compared with each stored one in constant time. They have no replay protection: the
 * dedupe record is all that stops a captured request being accepted again within its TTL.
 */
export function compileToken(preset: TokenPreset, naming: HeaderNaming): SchemeCore {
  const { token } = preset;
  const headerRef = (options?: SchemeOptions): HeaderRef | undefined => {
    if (token.header !== undefined) return naming.ref(token.header);
    if (token.basic) return naming.ref("Authorization");
    if (token.headerSetting !== undefined) {
      const setting = preset.settings?.[token.headerSetting];
      return naming.ref(options?.settings?.[token.headerSetting] ?? setting?.default ?? "Authorization");
    }
    return undefined;
  };
  const where = (options?: SchemeOptions) => headerRef(options)?.display ?? `body ${token.bodyField}`;

  function presented(request: SchemeRequest, options?: SchemeOptions): string | undefined {
    const ref = headerRef(options);
    if (ref) return request.headers.get(ref.name);
    const value = valueAt(bodyData(request.body), token.bodyField!);
    return typeof value === "string" ? value : undefined;
  }

  return {
    family: "token",
    headers: (options) => {
      const ref = headerRef(options);
      return ref ? [ref.name] : [];
    },
    requiredHeader: (options) => headerRef(options)?.display,
    secretHeaders: (options) => {
      const ref = headerRef(options);
      return ref ? [ref.name] : [];
    },
    key: (secret): KeyResult => {
      if (secret === "") return { ok: false, reason: "secret is empty" };
      if (token.basic && !/^[^:]+:/.test(secret)) return { ok: false, reason: "not <username>:<password>" };
      return { ok: true, key: secret };
    },
    parse(request, _nowSeconds, options) {
      const display = where(options);
      const value = presented(request, options);
      if (value === undefined) return fail("missing_header", `${display} is missing`);
      if (!token.basic) return { ok: true, signed: { header: display, presented: value } as TokenSigned };
      if (!value.startsWith(BASIC))
        return fail("malformed_header", `${display} does not start with ${BASIC}`);
      // Strict decoding: Node's decoder skips characters it does not know, so two different
      // header values could otherwise present the same credentials.
      const credentials = canonicalBase64(value.slice(BASIC.length), 1, 1024);
      if (!credentials)
        return fail("malformed_header", `${display} is not Basic followed by canonical base64`);
      return {
        ok: true,
        signed: { header: display, presented: credentials.toString("utf8") } as TokenSigned,
      };
    },
    check(signed: SignedContent, secrets: readonly string[]): VerifyResult {
      const { presented: value, header } = signed as TokenSigned;
      if (secrets.length === 0) return noSecrets();
      let matched = -1;
      const presented = digestOf(value);
      // Every secret is compared, matched or not, so timing does not tell which one matched.
      for (let index = 0; index < secrets.length; index++) {
        if (secrets[index] === "") return fail("unusable_secret", `secret #${index + 1}: secret is empty`);
        if (timingSafeEqual(presented, expectedDigest(secrets[index]!)) && matched === -1) matched = index;
      }
      return matched === -1
        ? mismatch(header, 1, secrets.length, "token")
        : { ok: true, secretIndex: matched };
    },
    sign(input: SignInput, options?: SchemeOptions): Record<string, string> {
      const ref = headerRef(options);
      if (!ref) throw new TypeError(`the token goes in body ${token.bodyField}: use signBody`);
      const secret = singleSecret(input.secrets, ref.display);
      return { [ref.display]: token.basic ? `${BASIC}${Buffer.from(secret).toString("base64")}` : secret };
    },
    signBody(input: SignInput) {
      if (token.bodyField === undefined) throw new TypeError("the token goes in a header: use sign");
      const data = bodyData(bytesOf(input.body));
      const secret = singleSecret(input.secrets, `body ${token.bodyField}`);
      const object = typeof data === "object" && data !== null ? data : {};
      return { body: JSON.stringify({ ...object, [token.bodyField]: secret }), headers: {} };
    },
  };
}
