import type { SchemeOptions, VerifyResult, WebhookScheme } from "@webhooks/shared";
import fc from "fast-check";

/** Fixed "now" (unix seconds) for scheme tests; deliveries are signed 10 s before it. */
export const NOW = 1_700_000_000;
export const SIGNED_AT = NOW - 10;
/** Non-ASCII on purpose: a body mangled by a text round trip would fail. */
export const BODY = '{"id":"evt_1","type":"invoice.paid","event_id":"Ev1","note":"héllo ✓"}';

export interface ConformanceSpec {
  readonly scheme: WebhookScheme;
  readonly options?: SchemeOptions;
  /** Two active secrets, as a rotation holds them. */
  readonly secrets: readonly [string, string];
  /** A secret no sender uses. */
  readonly otherSecret: string;
  /** What the provider's own library (or an HMAC by hand) sends for this body; header names any case. */
  oracle(body: string, secret: string, timestamp: number): Record<string, string>;
  /** Lowercased names of the headers whose every character is covered by the signature check. */
  readonly signedHeaders: readonly string[];
  /** Merges two oracle header sets into one carrying both signatures; absent for one-signature schemes. */
  combine?(first: Record<string, string>, second: Record<string, string>): Record<string, string>;
}

export function lowercased(headers: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** Replaces the character at `index` with the next printable ASCII character (wrapping). */
export function changeCharAt(value: string, index: number, shift = 1): string {
  const code = value.charCodeAt(index);
  const next = String.fromCharCode(((code - 0x20 + shift) % 95) + 0x20);
  return value.slice(0, index) + next + value.slice(index + 1);
}

/**
 * The tests every scheme must pass against its oracle: acceptance, rotation, and rejection of any
 * single-byte change of the body and of every signed header (signature, timestamp, id).
 */
export function conformanceTests(spec: ConformanceSpec): void {
  const { scheme, options, secrets } = spec;
  const body = Buffer.from(BODY, "utf8");
  const verify = (headers: Map<string, string>, bytes: Uint8Array = body, keys = secrets): VerifyResult =>
    scheme.verify({ headers, body: bytes }, keys, NOW, options);
  const signedHeaders = () => lowercased(spec.oracle(BODY, secrets[0], SIGNED_AT));

  test("accepts the oracle's signature", () => {
    expect(verify(signedHeaders())).toMatchObject({ ok: true, secretIndex: 0 });
  });

  test.each([0, 1])("accepts a signature made with active secret #%i of two (rotation)", (index) => {
    const headers = lowercased(spec.oracle(BODY, secrets[index]!, SIGNED_AT));
    expect(verify(headers)).toMatchObject({ ok: true, secretIndex: index });
  });

  test("rejects a well-formed signature made with another secret", () => {
    const headers = lowercased(spec.oracle(BODY, spec.otherSecret, SIGNED_AT));
    expect(verify(headers)).toMatchObject({ ok: false, code: "signature_mismatch" });
  });

  test("rejects every single-byte change of the body", () => {
    const headers = signedHeaders();
    for (let index = 0; index < body.length; index++) {
      const changed = Buffer.from(body);
      changed[index]! ^= 0x01;
      expect(verify(headers, changed)).toMatchObject({ ok: false, code: "signature_mismatch" });
    }
  });

  test("rejects a single byte of the body replaced by any other value (property)", () => {
    const headers = signedHeaders();
    fc.assert(
      fc.property(fc.nat(body.length - 1), fc.integer({ min: 1, max: 255 }), (index, delta) => {
        const changed = Buffer.from(body);
        changed[index] = (changed[index]! + delta) & 0xff;
        return !verify(headers, changed).ok;
      }),
    );
  });

  test.each(spec.signedHeaders)("rejects every single-character change of %s", (name) => {
    const headers = signedHeaders();
    const value = headers.get(name)!;
    for (let index = 0; index < value.length; index++) {
      for (const shift of [1, 32, 94]) {
        const changed = new Map(headers).set(name, changeCharAt(value, index, shift));
        expect(verify(changed).ok).toBe(false);
      }
    }
  });

  if (spec.combine) {
    const combine = spec.combine;
    test("accepts a header with several signatures when one of them is valid", () => {
      const stale = spec.oracle(BODY, spec.otherSecret, SIGNED_AT);
      const valid = spec.oracle(BODY, secrets[1], SIGNED_AT);
      expect(verify(lowercased(combine(stale, valid)))).toMatchObject({ ok: true, secretIndex: 1 });
    });
  }
}
