import {
  bytesOf,
  fail,
  HEX_RULE,
  hexSignature,
  isFailure,
  MAX_SIGNATURES,
  mac,
  timestampWithin,
} from "./common";
import type { ParseResult, SchemeOptions, SchemeRequest, SignInput } from "./types";

/**
 * Parses the `t=<unix>,v1=<hex>[,v1=<hex>…]` header shared by the generic scheme and Stripe and
 * checks its timestamp. `strict` refuses any other element (our own scheme); Stripe also sends
 * `v0=` in test mode and may add schemes, so it ignores elements it doesn't know, as stripe-node does.
 * Scans with indexOf and builds reason strings only on failure: this runs on every request.
 */
export function parseTimestampedHeader(
  value: string,
  display: string,
  timestampLabel: string,
  request: SchemeRequest,
  nowSeconds: number,
  options: SchemeOptions | undefined,
  strict: boolean,
): ParseResult {
  let t: string | undefined;
  const signatures: Buffer[] = [];
  let element = 0;
  for (let start = 0; start <= value.length; ) {
    element++;
    const comma = value.indexOf(",", start);
    const end = comma === -1 ? value.length : comma;
    if (value.startsWith("t=", start)) {
      if (t !== undefined) return fail("malformed_header", `${display}: t= appears more than once`);
      t = value.slice(start + 2, end);
    } else if (value.startsWith("v1=", start)) {
      if (signatures.length === MAX_SIGNATURES) {
        return fail("malformed_header", `${display}: more than ${MAX_SIGNATURES} v1 signatures`);
      }
      const signature = hexSignature(value.slice(start + 3, end));
      if (!signature)
        return fail("malformed_header", `${display}: v1 signature #${signatures.length + 1} ${HEX_RULE}`);
      signatures.push(signature);
    } else if (strict) {
      return fail("malformed_header", `${display}: element #${element} is neither t= nor v1=`);
    }
    start = end + 1;
  }
  if (t === undefined) return fail("malformed_header", `${display}: no t= timestamp`);
  if (signatures.length === 0) return fail("malformed_header", `${display}: no v1= signature`);
  const timestamp = timestampWithin(t, timestampLabel, nowSeconds, options);
  if (isFailure(timestamp)) return timestamp;
  return {
    ok: true,
    signed: { header: display, prefix: `${t}.`, body: request.body, signatures, timestamp },
  };
}

/** The header value both schemes send: `t=<timestamp>` and one `v1=` per secret (rotation). */
export function signTimestampedHeader(input: SignInput): string {
  const body = bytesOf(input.body);
  const prefix = `${input.timestamp}.`;
  const v1 = input.secrets.map((secret) => `v1=${mac(secret, prefix, body).toString("hex")}`);
  return [`t=${input.timestamp}`, ...v1].join(",");
}
