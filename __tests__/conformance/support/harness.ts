import {
  headersFrom,
  type PresetId,
  presetById,
  type SchemeOptions,
  type SchemeRequest,
  type VerifyResult,
} from "@webhooks/shared";

/** A request as the sender puts it on the wire. */
export interface Delivery {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly method?: string;
}

/**
 * A preset checked against its sender's official library: the library signs where it can, and
 * checks the engine's signatures where it can. Deliveries are signed at the real clock, since
 * most libraries check timestamps against `Date.now()`.
 */
export interface OracleSpec {
  readonly preset: PresetId;
  /** `<package>@<version> <function(s)>`, as the test names show it. */
  readonly library: string;
  readonly options?: SchemeOptions;
  /** What the provider's secret document holds (an asymmetric sender's public key). */
  readonly secret: string;
  /** A secret of the same kind that the sender does not use. */
  readonly otherSecret: string;
  /** The delivery the library signs at `timestamp` (unix seconds), where it can sign. */
  librarySigned?(timestamp: number): Delivery | Promise<Delivery>;
  /** The engine's delivery of the same content (its `sign` or `signBody`). */
  engineSigned(timestamp: number): Delivery;
  /** The library's verdict on a delivery, where it can verify; false where it throws. */
  libraryAccepts?(delivery: Delivery, secret: string): Promise<boolean>;
  /** The delivery with a signed part of the body changed. */
  tamperBody(delivery: Delivery): Delivery;
  /** The delivery with one character of its signature changed (still well-formed). */
  tamperSignature(delivery: Delivery): Delivery;
  /** The engine's exact reasons. */
  readonly reasons: {
    readonly tamperedBody: string;
    readonly tamperedSignature: string;
    readonly otherSecret: string;
    /** Senders that sign a timestamp: the reason when it is `toleranceSeconds + 1` s old. */
    readonly stale?: (signedAt: number) => string;
  };
  readonly toleranceSeconds?: number;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export function requestOf(delivery: Delivery): SchemeRequest {
  return {
    headers: headersFrom({ ...delivery.headers }),
    body: Buffer.from(delivery.body, "utf8"),
    ...(delivery.method === undefined ? {} : { method: delivery.method }),
  };
}

/** The library's verdict, as a boolean: a library that throws on a bad request rejects it. */
export async function verdict(check: () => unknown): Promise<boolean> {
  try {
    return (await check()) !== false;
  } catch {
    return false;
  }
}

/**
 * The tests every preset with an oracle library passes: each side accepts the other's signature,
 * and a changed body, a changed signature, another secret and a stale timestamp each fail with
 * the engine's exact reason (and in the library too, where it verifies).
 */
export function conformance(spec: OracleSpec): void {
  const scheme = presetById(spec.preset);
  const verify = (delivery: Delivery, at: number, secrets = [spec.secret]): VerifyResult =>
    scheme.verify(requestOf(delivery), secrets, at, spec.options);
  /** What the rejection tests change: the library's delivery, or the engine's where it cannot sign. */
  const signed = async (timestamp: number) =>
    spec.librarySigned ? spec.librarySigned(timestamp) : spec.engineSigned(timestamp);

  describe(`${spec.preset} against ${spec.library}`, () => {
    const { librarySigned, libraryAccepts } = spec;
    if (librarySigned)
      test("the engine accepts the library's signature", async () => {
        const now = nowSeconds();
        expect(verify(await librarySigned(now), now)).toMatchObject({ ok: true, secretIndex: 0 });
      });

    if (libraryAccepts)
      test("the library accepts the engine's signature", async () => {
        expect(await libraryAccepts(spec.engineSigned(nowSeconds()), spec.secret)).toBe(true);
      });

    if (!librarySigned)
      test("the engine accepts its own signature, which the library accepted", () => {
        const now = nowSeconds();
        expect(verify(spec.engineSigned(now), now)).toMatchObject({ ok: true, secretIndex: 0 });
      });

    const rejections: [string, string, (delivery: Delivery) => Delivery, string][] = [
      ["a changed body", spec.reasons.tamperedBody, spec.tamperBody, spec.secret],
      ["a changed signature", spec.reasons.tamperedSignature, spec.tamperSignature, spec.secret],
      ["another secret", spec.reasons.otherSecret, (delivery) => delivery, spec.otherSecret],
    ];

    test.each(rejections)("%s fails: %s", async (_case, reason, change, secret) => {
      const now = nowSeconds();
      expect(verify(change(await signed(now)), now, [secret])).toEqual({
        ok: false,
        code: "signature_mismatch",
        reason,
      });
    });

    if (libraryAccepts)
      test.each(rejections)("the library rejects %s too", async (_case, _reason, change, secret) => {
        expect(await libraryAccepts(change(await signed(nowSeconds())), secret)).toBe(false);
      });

    const { stale } = spec.reasons;
    if (stale) {
      const late = spec.toleranceSeconds! + 1;
      test(`a signature ${late} s old fails as out of tolerance`, async () => {
        const now = nowSeconds();
        const signedAt = now - late;
        expect(verify(await signed(signedAt), now)).toEqual({
          ok: false,
          code: "timestamp_out_of_tolerance",
          reason: stale(signedAt),
        });
      });
    }
  });
}

/** A different character of the same alphabet (hex, base64, base64url, digits), so the value stays well-formed. */
function otherChar(char: string): string {
  if (/[0-9]/.test(char)) return char === "0" ? "1" : "0";
  if (/[a-z]/.test(char)) return char === "a" ? "b" : "a";
  if (/[A-Z]/.test(char)) return char === "A" ? "B" : "A";
  // base64's and base64url's symbols: a letter is in both alphabets.
  if (/[+/_-]/.test(char)) return "A";
  throw new RangeError(`no same-alphabet replacement for ${JSON.stringify(char)}`);
}

/** `value` with its character `fromEnd` places before the end replaced (inside any signature format's digest). */
export function changedSignature(value: string, fromEnd = 10): string {
  const index = value.length - fromEnd;
  return value.slice(0, index) + otherChar(value[index]!) + value.slice(index + 1);
}

/** A tamperer that changes one character of header `name`'s signature. */
export function inHeader(name: string): (delivery: Delivery) => Delivery {
  return (delivery) => ({
    ...delivery,
    headers: { ...delivery.headers, [name]: changedSignature(delivery.headers[name]!) },
  });
}

/** A tamperer that replaces `from` in the body with `to` (which must occur). */
export function inBody(from: string, to: string): (delivery: Delivery) => Delivery {
  return (delivery) => {
    if (!delivery.body.includes(from)) throw new RangeError(`the body has no ${from}`);
    return { ...delivery, body: delivery.body.replace(from, to) };
  };
}

/** A JSON event with non-ASCII text: a body mangled by a text round trip would fail. */
export const EVENT = '{"id":"evt_1","type":"invoice.paid","amount":1000,"note":"héllo ✓"}';
export const changedAmount = inBody('"amount":1000', '"amount":9000');

/** `<where>: the signature does not match the active secret`: the engine's one-secret mismatch. */
export const noMatch = (where: string) => `${where}: the signature does not match the active secret`;
