import { createHmac } from "node:crypto";
import {
  type CustomSchemeDefinition,
  customSchemeProblems,
  customSignsUrl,
  headersFrom,
  schemeFor,
} from "@webhooks/shared";

const NOW = 1_700_000_000;
const TS = NOW - 5;

describe("an in-house sender declared with the engine's knobs verifies like a preset", () => {
  test("a list header with a timestamp field, base64, a delivery id header", () => {
    const definition: CustomSchemeDefinition = {
      signatureHeader: "X-Billing-Signature",
      signatureField: "v2",
      timestampField: "ts",
      listSeparator: ";",
      encoding: "base64",
      signedContent: "{timestamp}|{body}",
      deliveryIdHeader: "X-Billing-Delivery",
      eventTypeBodyField: "kind",
      retryHorizonHours: 48,
    };
    const body = '{"kind":"invoice.issued"}';
    const signature = createHmac("sha256", "billing-secret").update(`${TS}|${body}`).digest("base64");
    const request = {
      headers: headersFrom({
        "X-Billing-Signature": `ts=${TS};v2=${signature}`,
        "X-Billing-Delivery": "bd-1",
      }),
      body: Buffer.from(body),
    };
    const scheme = schemeFor("custom:billing", definition);
    expect(scheme.verify(request, ["billing-secret"], NOW)).toMatchObject({ ok: true, timestamp: TS });
    expect(scheme.identify(request, JSON.parse(body))).toEqual({
      ok: true,
      deliveryId: "bd-1",
      eventType: "invoice.issued",
    });
    expect(scheme.dedupe).toEqual({ horizonHours: 48, ttlHours: 72 });
    expect(scheme.requiredHeader()).toBe("X-Billing-Signature");
  });

  test("defaults: SHA-256, hex, the raw body; no id source dedupes on the body, no type source is unknown", () => {
    const body = '{"x":1}';
    const request = {
      headers: headersFrom({ "X-Sig": `sha256=${createHmac("sha256", "k").update(body).digest("hex")}` }),
      body: Buffer.from(body),
    };
    const scheme = schemeFor("custom:plain", {
      signatureHeader: "X-Sig",
      signaturePrefix: "sha256=",
      retryHorizonHours: 0,
    });
    expect(scheme.verify(request, ["k"], NOW).ok).toBe(true);
    expect(scheme.identify(request, { x: 1 })).toMatchObject({ ok: true, eventType: "unknown" });
  });
});

describe("checks between knobs (the configuration reports them at synth)", () => {
  const base = { signatureHeader: "X-Sig", retryHorizonHours: 24 } as const;
  test.each<[string, CustomSchemeDefinition, Array<[string, string]>]>([
    ["a valid definition", base, []],
    [
      "no signature location",
      { retryHorizonHours: 1 },
      [["signatureHeader", "set exactly one of signatureHeader and signatureBodyField"]],
    ],
    [
      "a prefix on a list header",
      { ...base, signaturePrefix: "x=", signatureField: "v1" },
      [["signaturePrefix", "a list header (signatureField) has no prefix; set one of them"]],
    ],
    [
      "a timestamp field without a list",
      { ...base, timestampField: "t" },
      [["timestampField", "is a field of a list header: set signatureField too"]],
    ],
    [
      "two timestamp sources",
      { ...base, timestampHeader: "X-Ts", timestampBodyField: "ts" },
      [["timestampHeader", "set at most one of timestampHeader, timestampField and timestampBodyField"]],
    ],
    [
      "{timestamp} without a timestamp",
      { ...base, signedContent: "{timestamp}.{body}" },
      [["signedContent", "uses {timestamp}: set timestampHeader, timestampField or timestampBodyField"]],
    ],
    [
      "a body field signature over the body",
      { signatureBodyField: "sig", retryHorizonHours: 1 },
      [["signedContent", "cannot sign {body} when the signature is inside the body"]],
    ],
    [
      "a secret prefix on a UTF-8 secret",
      { ...base, secretPrefix: "sk_" },
      [["secretPrefix", "is stripped before decoding: set secretEncoding to base64 or hex"]],
    ],
    [
      "an unknown placeholder",
      { ...base, signedContent: "{id}.{body}" },
      [
        [
          "signedContent",
          "{id} is not a placeholder ({body}, {timestamp}, {method}, {url}, {header:Name}, {json:path})",
        ],
      ],
    ],
  ])("%s", (_case, definition, problems) => {
    expect(customSchemeProblems(definition)).toEqual(problems);
  });

  test("a definition signing {url} needs the provider's publicUrl", () => {
    expect(
      customSignsUrl({ signatureHeader: "X-Sig", signedContent: "{url}{body}", retryHorizonHours: 1 }),
    ).toBe(true);
    expect(customSignsUrl({ signatureHeader: "X-Sig", retryHorizonHours: 1 })).toBe(false);
  });
});
