import { bytesOf, fail, mismatch, sha256Hex, singleSecret } from "../common";
import type { SchemeCore } from "../engine/core";
import { signatureShape } from "../engine/encoding";
import type { HeaderNaming } from "../engine/headers";
import { checkMacs, macOf } from "../engine/hmac";
import { secretDecoder } from "../engine/secret";
import type { Attempt, ParsedSignatures } from "../engine/signed-request";
import type { ParseResult, SchemeOptions, SchemeRequest, SignInput } from "../types";

const SIGNATURE = "X-Twilio-Signature";
const SHAPE = signatureShape("base64", 20);
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Twilio: HMAC-SHA1 (base64) of the URL it called followed by every form parameter's name and
 * value, sorted by name (a repeated name's distinct values sorted); for a JSON body, of the URL
 * alone, with `bodySHA256=<hex of the body>` in its query, which binds the body. The URL is the
 * configured `publicUrl`; like Twilio's library, it is tried with and without the default port.
 */
export function twilioModule(_preset: unknown, naming: HeaderNaming): SchemeCore {
  const ref = naming.ref(SIGNATURE);
  const keyOf = secretDecoder(undefined);

  function signedString(request: SchemeRequest, publicUrl: string): string[] | string {
    const json = isJson(request);
    const base = urlVariants(json ? withBodyHash(publicUrl, sha256Hex(request.body)) : publicUrl);
    if (typeof base === "string" || json) return base;
    let text: string;
    try {
      text = strictUtf8.decode(request.body);
    } catch {
      return "the form body is not valid UTF-8";
    }
    const params = sortedParams(text);
    return base.map((url) => url + params);
  }

  return {
    family: "code",
    headers: () => [ref.name],
    requiredHeader: () => ref.display,
    secretHeaders: () => [ref.name],
    key: keyOf,
    parse(request, _nowSeconds, options): ParseResult {
      const value = request.headers.get(ref.name);
      if (value === undefined) return fail("missing_header", `${ref.display} is missing`);
      const signature = SHAPE.decode(value);
      if (!signature) return fail("malformed_header", `${ref.display} ${SHAPE.rule}`);
      if (options?.publicUrl === undefined)
        return fail("unusable_secret", "no publicUrl is configured, and Twilio signs the URL it calls");
      const strings = signedString(request, options.publicUrl);
      if (typeof strings === "string") return fail("malformed_header", strings);
      const attempts: Attempt[] = strings.map((text) => ({ parts: [text], signatures: [signature] }));
      const signed: ParsedSignatures = { header: ref.display, attempts };
      return { ok: true, signed };
    },
    check(signed, secrets) {
      const result = checkMacs(signed as ParsedSignatures, secrets, "sha1", keyOf);
      // The URL variants are tries of the header's one signature: say so, not "none of the 2 signatures".
      return result.ok || result.code !== "signature_mismatch"
        ? result
        : mismatch(ref.display, 1, secrets.length);
    },
    sign(input: SignInput, options?: SchemeOptions) {
      if (options?.publicUrl === undefined)
        throw new TypeError("Twilio signs the URL it calls: pass options.publicUrl");
      const body = bytesOf(input.body);
      const request: SchemeRequest = {
        headers: new Map([
          ["content-type", looksLikeJson(body) ? "application/json" : "application/x-www-form-urlencoded"],
        ]),
        body,
      };
      const strings = signedString(request, options.publicUrl);
      if (typeof strings === "string") throw new TypeError(strings);
      const secret = singleSecret(input.secrets, ref.display);
      // The URL as configured: what Twilio's own library signs for a URL without a port.
      return { [ref.display]: macOf("sha1", secret, [strings[0]!]).toString("base64") };
    },
  };
}

function isJson(request: SchemeRequest): boolean {
  const media = (request.headers.get("content-type") ?? "").split(";", 1)[0]!.trim().toLowerCase();
  return media === "application/json" || media.endsWith("+json");
}

function looksLikeJson(body: Uint8Array): boolean {
  const first = Buffer.from(body.subarray(0, 1)).toString();
  return first === "{" || first === "[";
}

/** The configured URL with Twilio's `bodySHA256` query parameter added. */
function withBodyHash(url: string, hash: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}bodySHA256=${hash}`;
}

// Variants by URL: a form provider's URL is the same on every request.
const variantsByUrl = new Map<string, string[] | string>();
const MAX_URLS = 64;

/**
 * The URL as Twilio's library normalizes it: as configured first (what Twilio signs for a URL
 * without a port), then with the default port added, which its backend also uses.
 */
function urlVariants(url: string): string[] | string {
  let variants = variantsByUrl.get(url);
  if (variants === undefined) {
    if (variantsByUrl.size >= MAX_URLS) variantsByUrl.clear();
    variants = computeVariants(url);
    variantsByUrl.set(url, variants);
  }
  return variants;
}

function computeVariants(url: string): string[] | string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "publicUrl is not an absolute URL";
  }
  if (parsed.port) return [parsed.toString()];
  const port = parsed.protocol === "https:" ? ":443" : ":80";
  const withPort = `${parsed.protocol}//${parsed.host}${port}${parsed.pathname}${parsed.search}${parsed.hash}`;
  return [parsed.toString(), withPort];
}

/** Every form parameter as `name` + `value`, names sorted; a repeated name's distinct values sorted. */
function sortedParams(form: string): string {
  const pairs: Array<readonly [string, string]> = [];
  for (const pair of new URLSearchParams(form)) pairs.push(pair);
  // By name, then value, in UTF-16 code units (as Array.prototype.sort orders strings).
  pairs.sort(([nameA, valueA], [nameB, valueB]) =>
    nameA !== nameB ? (nameA < nameB ? -1 : 1) : valueA < valueB ? -1 : valueA > valueB ? 1 : 0,
  );
  let out = "";
  for (let index = 0; index < pairs.length; index++) {
    const [name, value] = pairs[index]!;
    const previous = pairs[index - 1];
    if (previous && previous[0] === name && previous[1] === value) continue;
    out += name + value;
  }
  return out;
}
