import {
  headersFrom,
  parsePayload,
  SCHEME_IDS,
  SCHEMES,
  type SchemeId,
  type SchemeOptions,
} from "@webhooks/shared";
import fc from "fast-check";
import { NOW } from "./support/conformance";

const RUNS = { numRuns: 300 };

const hmacSecret = fc.string({ minLength: 1, maxLength: 64, unit: "grapheme" });
const whsecSecret = fc
  .uint8Array({ minLength: 24, maxLength: 64 })
  .map((bytes) => `whsec_${Buffer.from(bytes).toString("base64")}`);
const secretFor = (scheme: SchemeId) => (scheme === "standard-webhooks" ? whsecSecret : hmacSecret);
const multiSignature = new Set<SchemeId>(["generic", "stripe", "standard-webhooks"]);
const body = fc.uint8Array({ maxLength: 2048 });
const withinTolerance = fc.integer({ min: NOW - 300, max: NOW + 300 });
const messageId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const family = fc.constantFrom<SchemeOptions>({}, { headerFamily: "webhook" }, { headerFamily: "svix" });

describe.each(SCHEME_IDS)("%s: sign → verify round trip", (scheme) => {
  test("a request signed with any of its active secrets verifies, naming that secret", () => {
    const secretsCount = multiSignature.has(scheme) ? 3 : 1;
    fc.assert(
      fc.property(
        body,
        fc.array(secretFor(scheme), { minLength: 1, maxLength: secretsCount }),
        fc.array(secretFor(scheme), { minLength: 0, maxLength: 2 }),
        withinTolerance,
        messageId,
        family,
        (bytes, signing, others, timestamp, id, options) => {
          const headers = SCHEMES[scheme].sign({ body: bytes, secrets: signing, timestamp, id }, options);
          const active = [...others, ...signing];
          const result = SCHEMES[scheme].verify(
            { headers: headersFrom(headers), body: bytes },
            active,
            NOW,
            options,
          );
          return (
            result.ok &&
            active[result.secretIndex] !== undefined &&
            signing.includes(active[result.secretIndex]!)
          );
        },
      ),
      RUNS,
    );
  });
});

/** Header values from nothing-like to almost-right, including control characters and huge lists. */
const headerValue = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.stringMatching(
    /^(t=[0-9]{0,12}|v[01]=[0-9a-fA-F]{0,66}|sha256=[0-9a-f]{0,65}|v1,[A-Za-z0-9+/=]{0,46})([, ].{0,80})?$/,
  ),
  fc
    .tuple(
      fc.array(
        fc.constantFrom("t=1700000000", `v1=${"a".repeat(64)}`, `v1,${"A".repeat(43)}=`, "v1a,x", ""),
        {
          maxLength: 12,
        },
      ),
      fc.constantFrom(",", " "),
    )
    .map(([parts, separator]) => parts.join(separator)),
);

function headerMap(scheme: SchemeId, options: SchemeOptions) {
  const names = [...SCHEMES[scheme].headers(options), "x-random", "__proto__", "constructor"];
  return fc
    .dictionary(fc.constantFrom(...names), headerValue)
    .map((record) => new Map(Object.entries(record)));
}

describe.each(SCHEME_IDS)("%s never throws", (scheme) => {
  test("verify, on arbitrary headers, bodies and secrets", () => {
    fc.assert(
      fc.property(
        family.chain((options) => fc.tuple(fc.constant(options), headerMap(scheme, options))),
        body,
        fc.array(fc.string(), { maxLength: 3 }),
        fc.integer({ min: 0, max: 2 ** 34 }),
        ([options, headers], bytes, secrets, now) => {
          const result = SCHEMES[scheme].verify({ headers, body: bytes }, secrets, now, options);
          return typeof result.ok === "boolean";
        },
      ),
      RUNS,
    );
  });

  test("identify and handshake, on arbitrary parsed bodies", () => {
    fc.assert(
      fc.property(headerMap(scheme, {}), fc.oneof(fc.jsonValue(), fc.anything()), (headers, data) => {
        const identified = SCHEMES[scheme].identify({ headers, body: Buffer.alloc(0) }, data);
        SCHEMES[scheme].handshake?.(data);
        return typeof identified.ok === "boolean";
      }),
      RUNS,
    );
  });
});

test("parsePayload never throws on arbitrary bytes and content types", () => {
  fc.assert(
    fc.property(body, fc.option(fc.string()), (bytes, contentType) => {
      const parsed = parsePayload(bytes, contentType ?? undefined);
      return parsed.ok || parsed.status === 400 || parsed.status === 415;
    }),
    RUNS,
  );
});
