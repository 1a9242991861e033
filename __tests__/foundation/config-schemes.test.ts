import { ConfigError, DEFAULT_CONFIG, type PlatformConfig, resolveConfig } from "../../stacks/config";

function problems(fields: Partial<PlatformConfig> | Record<string, unknown>): string[] {
  try {
    resolveConfig({ routes: [], ...fields });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

const STRIPE = { id: "stripe", scheme: "stripe" };
const BILLING = { signatureHeader: "X-Billing-Signature", signedContent: "{body}", retryHorizonHours: 24 };

describe("providers[].scheme takes every preset id, and custom:<name>", () => {
  test.each(["hubspot", "twilio", "discord", "gitlab", "adyen"])("%s", (scheme) => {
    const extra = ["hubspot", "twilio"].includes(scheme)
      ? { publicUrl: "https://hooks.example.com/webhooks/p" }
      : {};
    expect(problems({ providers: [{ id: "p", scheme, ...extra }] })).toEqual([]);
  });

  test("a custom scheme the file declares", () => {
    expect(
      problems({ customSchemes: { billing: BILLING }, providers: [{ id: "b", scheme: "custom:billing" }] }),
    ).toEqual([]);
  });
});

describe("each mistake is one line naming its path", () => {
  test.each<[string, Record<string, unknown>, string]>([
    [
      "a URL-signing sender without publicUrl",
      { providers: [{ id: "hs", scheme: "hubspot" }] },
      "providers[0].publicUrl: missing; hubspot signs the URL it calls: set it exactly as configured at the sender",
    ],
    [
      "publicUrl for a sender that does not sign its URL",
      { providers: [{ id: "s", scheme: "stripe", publicUrl: "https://hooks.example.com/webhooks/s" }] },
      "providers[0].publicUrl: applies to senders that sign the URL they call, not stripe",
    ],
    [
      "a publicUrl over plain http",
      { providers: [{ id: "sq", scheme: "square", publicUrl: "http://hooks.example.com/sq" }] },
      'providers[0].publicUrl: expected an absolute https URL without a fragment, e.g. https://hooks.example.com/webhooks/square, got "http://hooks.example.com/sq"',
    ],
    [
      "a custom scheme the file does not declare",
      { customSchemes: { billing: BILLING }, providers: [{ id: "b", scheme: "custom:biling" }] },
      "providers[0].scheme: names custom:biling, but customSchemes has no biling; did you mean custom:billing?",
    ],
    [
      "a custom scheme whose knobs contradict each other",
      {
        customSchemes: { billing: { ...BILLING, signedContent: "{timestamp}.{body}" } },
        providers: [{ id: "b", scheme: "custom:billing" }],
      },
      "customSchemes.billing.signedContent: uses {timestamp}: set timestampHeader, timestampField or timestampBodyField",
    ],
    [
      "a misspelt custom scheme knob",
      { customSchemes: { billing: { ...BILLING, signatureHeadr: "X" } }, providers: [STRIPE] },
      "customSchemes.billing.signatureHeadr: unknown key; did you mean signatureHeader?",
    ],
    [
      "a custom scheme without its retry horizon",
      { customSchemes: { billing: { signatureHeader: "X-Sig" } }, providers: [STRIPE] },
      "customSchemes.billing.retryHorizonHours: missing; a custom scheme needs retryHorizonHours",
    ],
    [
      "a dedupe TTL below the sender's documented retry horizon",
      { providers: [{ id: "rzp", scheme: "razorpay", dedupeTtlHours: 100 }] },
      "providers[0].dedupeTtlHours: 100 is below razorpay's retry horizon of 168 hours: a retry after the record expired would be delivered twice",
    ],
    [
      "a dedupe TTL below 72 hours for a sender that documents no horizon",
      { providers: [{ id: "ls", scheme: "lemonsqueezy", dedupeTtlHours: 48 }] },
      "providers[0].dedupeTtlHours: 48 is below 72: lemonsqueezy documents no retry horizon, so a retry could outlive a shorter record and be delivered twice",
    ],
    [
      "a setting the preset does not have",
      { providers: [{ id: "ok", scheme: "okta", settings: { heder: "X-Secret" } }] },
      "providers[0].settings.heder: unknown setting; okta has header",
    ],
    [
      "a setting value out of its pattern",
      { providers: [{ id: "pl", scheme: "plaid", settings: { environment: "development" } }] },
      'providers[0].settings.environment: expected the Plaid environment whose keys sign: production or sandbox (^(production|sandbox)$), got "development"',
    ],
    [
      "settings for a preset without any",
      { providers: [{ id: "s", scheme: "stripe", settings: { x: "1" } }] },
      "providers[0].settings.x: stripe has no settings",
    ],
  ])("%s", (_mistake, file, line) => {
    expect(problems(file)).toEqual([line]);
  });
});

test("a shorter TTL is allowed down to the sender's retry horizon", () => {
  expect(problems({ providers: [{ id: "shop", scheme: "shopify", dedupeTtlHours: 4 }] })).toEqual([]);
});

test("the default configuration declares no custom scheme", () => {
  expect(DEFAULT_CONFIG.customSchemes).toEqual({});
});
