import { escape as queryEscape } from "node:querystring";
import { bytesOf, fail, singleSecret } from "../common";
import type { SchemeCore } from "../engine/core";
import type { CodePreset } from "../engine/definition";
import { signatureShape } from "../engine/encoding";
import type { HeaderNaming } from "../engine/headers";
import { checkMacs, macOf } from "../engine/hmac";
import { secretDecoder } from "../engine/secret";
import type { ParsedSignatures } from "../engine/signed-request";
import { timestampMs } from "../engine/timestamp";
import type { ParseResult, SchemeOptions, SchemeRequest, SignInput } from "../types";

const SIGNATURE = "x-contentful-signature";
const SIGNED_HEADERS = "x-contentful-signed-headers";
const TIMESTAMP = "x-contentful-timestamp";
const SHAPE = signatureShape("hex", 32);
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
/** Signed headers read at most. */
const MAX_SIGNED_HEADERS = 20;

/**
 * Contentful's request verification: hex HMAC-SHA256 of the canonical request
 * `METHOD\nPATH\n<name>:<value>;…\nBODY`, where the headers are the ones
 * `x-contentful-signed-headers` names (lowercased, trimmed, sorted by name; the signed-headers
 * and timestamp headers always among them) and PATH is the configured URL's path with its query
 * escaped twice, as Contentful's toolkit does (`/a?b=c` → `/a?b%253Dc`). A request at or beyond
 * the tolerance (30 s by default, in milliseconds) is refused.
 */
export function contentfulModule(preset: CodePreset, naming: HeaderNaming): SchemeCore {
  const signature = naming.ref("X-Contentful-Signature");
  const keyOf = secretDecoder(undefined);

  function canonical(
    request: SchemeRequest,
    publicUrl: string,
    timestamp: string,
    names: readonly string[],
  ): string | { problem: string } {
    const headers = new Map<string, string>();
    for (const name of names) {
      if (name === SIGNED_HEADERS || name === TIMESTAMP) continue;
      const values =
        request.allHeaders?.get(name) ?? (request.headers.has(name) ? [request.headers.get(name)!] : []);
      if (values.length > 1) return { problem: `${name} appears ${values.length} times` };
      if (values.length === 1) headers.set(name, values[0]!.trim());
    }
    headers.set(TIMESTAMP, timestamp);
    const sorted = [...headers.keys(), SIGNED_HEADERS].sort();
    headers.set(SIGNED_HEADERS, sorted.join(","));
    const headerText = sorted.map((name) => `${name}:${headers.get(name)}`).join(";");
    return `${request.method ?? "POST"}\n${canonicalPath(publicUrl)}\n${headerText}\n`;
  }

  return {
    family: "code",
    headers: () => [SIGNATURE, SIGNED_HEADERS, TIMESTAMP],
    requiredHeader: () => signature.display,
    secretHeaders: () => [SIGNATURE],
    key: keyOf,
    defaultToleranceSeconds: preset.toleranceSeconds,
    parse(request, nowSeconds, options): ParseResult {
      const value = request.headers.get(SIGNATURE);
      if (value === undefined) return fail("missing_header", `${signature.display} is missing`);
      const list = request.headers.get(SIGNED_HEADERS);
      if (list === undefined) return fail("missing_header", "X-Contentful-Signed-Headers is missing");
      const timestamp = request.headers.get(TIMESTAMP);
      if (timestamp === undefined) return fail("missing_header", "X-Contentful-Timestamp is missing");
      const digest = SHAPE.decode(value);
      if (!digest) return fail("malformed_header", `${signature.display} ${SHAPE.rule}`);
      const names = list.split(",").map((name) => name.trim().toLowerCase());
      if (names.length > MAX_SIGNED_HEADERS || !names.every((name) => HEADER_NAME.test(name)))
        return fail(
          "malformed_header",
          `X-Contentful-Signed-Headers is not up to ${MAX_SIGNED_HEADERS} header names`,
        );
      const ms = timestampMs(timestamp, "unix-ms");
      if (ms === undefined)
        return fail(
          "malformed_header",
          "X-Contentful-Timestamp is not integer unix milliseconds (1-13 digits)",
        );
      // The toolkit refuses a request whose age reaches the TTL; a future one it lets through.
      const tolerance = options?.toleranceSeconds ?? preset.toleranceSeconds ?? 30;
      const age = nowSeconds * 1000 - ms;
      if (age >= tolerance * 1000)
        return fail(
          "timestamp_out_of_tolerance",
          `X-Contentful-Timestamp ${timestamp} is ${age / 1000} s old (tolerance ${tolerance} s)`,
        );
      if (options?.publicUrl === undefined)
        return fail("unusable_secret", "no publicUrl is configured, and Contentful signs the path it calls");
      const head = canonical(request, options.publicUrl, String(ms), names);
      if (typeof head !== "string") return fail("malformed_header", head.problem);
      const signed: ParsedSignatures = {
        header: signature.display,
        timestamp: Math.floor(ms / 1000),
        attempts: [{ parts: [head, request.body], signatures: [digest] }],
      };
      return { ok: true, signed };
    },
    check: (signed, secrets) => checkMacs(signed as ParsedSignatures, secrets, "sha256", keyOf),
    sign(input: SignInput, options?: SchemeOptions) {
      if (options?.publicUrl === undefined)
        throw new TypeError("Contentful signs the path it calls: pass options.publicUrl");
      const secret = singleSecret(input.secrets, signature.display);
      const timestamp = String(input.timestamp * 1000);
      const request: SchemeRequest = {
        headers: new Map(),
        body: bytesOf(input.body),
        method: input.method ?? "POST",
      };
      const head = canonical(request, options.publicUrl, timestamp, []) as string;
      return {
        "X-Contentful-Signature": macOf("sha256", secret, [head, request.body]).toString("hex"),
        "X-Contentful-Signed-Headers": `${SIGNED_HEADERS},${TIMESTAMP}`,
        "X-Contentful-Timestamp": timestamp,
      };
    },
  };
}

// Canonical paths by configured URL: a provider's URL is the same on every request.
const paths = new Map<string, string>();
const MAX_PATHS = 64;

/** The configured URL's path and query as Contentful's toolkit canonicalizes them. */
function canonicalPath(publicUrl: string): string {
  let path = paths.get(publicUrl);
  if (path === undefined) {
    if (paths.size >= MAX_PATHS) paths.clear();
    const { pathname, search } = new URL(publicUrl);
    const query = search.slice(1);
    path = encodeURI(query ? `${pathname}?${queryEscape(query)}` : pathname);
    paths.set(publicUrl, path);
  }
  return path;
}
