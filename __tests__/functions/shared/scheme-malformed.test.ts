import {
  headersFrom,
  SCHEMES,
  type SchemeId,
  type SchemeOptions,
  signRequest,
  type VerifyFailure,
  verifyRequest,
} from "@webhooks/shared";
import { BODY, NOW, SIGNED_AT } from "./support/conformance";

const SECRET = "s3cr3t";
const SVIX_SECRET = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;
const HEX = "a".repeat(64);
const B64 = `${"A".repeat(43)}=`;

interface Case {
  readonly scheme: SchemeId;
  readonly headers: Record<string, string>;
  readonly expected: Omit<VerifyFailure, "ok">;
  readonly options?: SchemeOptions;
}

const malformed = (reason: string) => ({ code: "malformed_header", reason }) as const;

// Every row is refused before any MAC is compared: the reason names the header and the check.
const CASES: Record<string, Case> = {
  "generic: header missing": {
    scheme: "generic",
    headers: {},
    expected: { code: "missing_header", reason: "X-Webhook-Signature is missing" },
  },
  "generic: non-hex characters": {
    scheme: "generic",
    headers: { "X-Webhook-Signature": `t=${SIGNED_AT},v1=${"g".repeat(64)}` },
    expected: malformed("X-Webhook-Signature: v1 signature #1 is not 64 lowercase hex characters"),
  },
  "generic: 63 hex characters": {
    scheme: "generic",
    headers: { "X-Webhook-Signature": `t=${SIGNED_AT},v1=${HEX.slice(1)}` },
    expected: malformed("X-Webhook-Signature: v1 signature #1 is not 64 lowercase hex characters"),
  },
  "generic: odd length (65 hex characters)": {
    scheme: "generic",
    headers: { "X-Webhook-Signature": `t=${SIGNED_AT},v1=${HEX}a` },
    expected: malformed("X-Webhook-Signature: v1 signature #1 is not 64 lowercase hex characters"),
  },
  "generic: uppercase hex": {
    scheme: "generic",
    headers: { "X-Webhook-Signature": `t=${SIGNED_AT},v1=${HEX.toUpperCase()}` },
    expected: malformed("X-Webhook-Signature: v1 signature #1 is not 64 lowercase hex characters"),
  },
  "generic: base64 where hex is expected": {
    scheme: "generic",
    headers: { "X-Webhook-Signature": `t=${SIGNED_AT},v1=${B64}` },
    expected: malformed("X-Webhook-Signature: v1 signature #1 is not 64 lowercase hex characters"),
  },
  "generic: whitespace inside the signature": {
    scheme: "generic",
    headers: { "X-Webhook-Signature": `t=${SIGNED_AT},v1=${HEX.slice(0, 32)} ${HEX.slice(33)}` },
    expected: malformed("X-Webhook-Signature: v1 signature #1 is not 64 lowercase hex characters"),
  },
  "generic: six v1 signatures": {
    scheme: "generic",
    headers: { "X-Webhook-Signature": `t=${SIGNED_AT}${`,v1=${HEX}`.repeat(6)}` },
    expected: malformed("X-Webhook-Signature: more than 5 v1 signatures"),
  },
  "generic: no t=": {
    scheme: "generic",
    headers: { "X-Webhook-Signature": `v1=${HEX}` },
    expected: malformed("X-Webhook-Signature: no t= timestamp"),
  },
  "generic: t= twice": {
    scheme: "generic",
    headers: { "X-Webhook-Signature": `t=${SIGNED_AT},t=${SIGNED_AT},v1=${HEX}` },
    expected: malformed("X-Webhook-Signature: t= appears more than once"),
  },
  "generic: no v1=": {
    scheme: "generic",
    headers: { "X-Webhook-Signature": `t=${SIGNED_AT}` },
    expected: malformed("X-Webhook-Signature: no v1= signature"),
  },
  "generic: timestamp in milliseconds": {
    scheme: "generic",
    headers: { "X-Webhook-Signature": `t=${SIGNED_AT}000,v1=${HEX}` },
    expected: malformed("X-Webhook-Signature: t= is not integer unix seconds (1-10 digits)"),
  },
  "generic: ISO timestamp": {
    scheme: "generic",
    headers: { "X-Webhook-Signature": `t=2023-11-14T22:13:10Z,v1=${HEX}` },
    expected: malformed("X-Webhook-Signature: t= is not integer unix seconds (1-10 digits)"),
  },
  "generic: signed timestamp (+)": {
    scheme: "generic",
    headers: { "X-Webhook-Signature": `t=+${SIGNED_AT},v1=${HEX}` },
    expected: malformed("X-Webhook-Signature: t= is not integer unix seconds (1-10 digits)"),
  },
  "generic: timestamp 301 s old": {
    scheme: "generic",
    headers: { "X-Webhook-Signature": `t=${NOW - 301},v1=${HEX}` },
    expected: {
      code: "timestamp_out_of_tolerance",
      reason: "X-Webhook-Signature: t= 1699999699 is 301 s old (tolerance 300 s)",
    },
  },
  "generic: timestamp 301 s in the future": {
    scheme: "generic",
    headers: { "X-Webhook-Signature": `t=${NOW + 301},v1=${HEX}` },
    expected: {
      code: "timestamp_out_of_tolerance",
      reason: "X-Webhook-Signature: t= 1700000301 is 301 s in the future (tolerance 300 s)",
    },
  },
  "generic: timestamp 61 s old with a provider tolerance of 60 s": {
    scheme: "generic",
    options: { toleranceSeconds: 60 },
    headers: { "X-Webhook-Signature": `t=${NOW - 61},v1=${HEX}` },
    expected: {
      code: "timestamp_out_of_tolerance",
      reason: "X-Webhook-Signature: t= 1699999939 is 61 s old (tolerance 60 s)",
    },
  },
  "stripe: six v1 signatures": {
    scheme: "stripe",
    headers: { "Stripe-Signature": `t=${SIGNED_AT}${`,v1=${HEX}`.repeat(6)}` },
    expected: malformed("Stripe-Signature: more than 5 v1 signatures"),
  },
  "stripe: only a v0 signature": {
    scheme: "stripe",
    headers: { "Stripe-Signature": `t=${SIGNED_AT},v0=${HEX}` },
    expected: malformed("Stripe-Signature: no v1= signature"),
  },
  "github: missing sha256= prefix": {
    scheme: "github",
    headers: { "X-Hub-Signature-256": HEX },
    expected: malformed("X-Hub-Signature-256 does not start with sha256="),
  },
  "github: sha1= (the legacy header's scheme)": {
    scheme: "github",
    headers: { "X-Hub-Signature-256": `sha1=${HEX.slice(0, 40)}` },
    expected: malformed("X-Hub-Signature-256 does not start with sha256="),
  },
  "github: 63 hex characters": {
    scheme: "github",
    headers: { "X-Hub-Signature-256": `sha256=${HEX.slice(1)}` },
    expected: malformed("X-Hub-Signature-256 after sha256= is not 64 lowercase hex characters"),
  },
  "shopify: hex where base64 is expected": {
    scheme: "shopify",
    headers: { "X-Shopify-Hmac-Sha256": HEX },
    expected: malformed("X-Shopify-Hmac-Sha256 is not 44 characters of canonical padded base64"),
  },
  "shopify: base64 without padding": {
    scheme: "shopify",
    headers: { "X-Shopify-Hmac-Sha256": B64.slice(0, 43) },
    expected: malformed("X-Shopify-Hmac-Sha256 is not 44 characters of canonical padded base64"),
  },
  "shopify: URL-safe base64 alphabet": {
    scheme: "shopify",
    headers: { "X-Shopify-Hmac-Sha256": `-_${B64.slice(2)}` },
    expected: malformed("X-Shopify-Hmac-Sha256 is not 44 characters of canonical padded base64"),
  },
  "shopify: non-canonical last digit (padding bits set)": {
    scheme: "shopify",
    headers: { "X-Shopify-Hmac-Sha256": `${"A".repeat(42)}B=` },
    expected: malformed("X-Shopify-Hmac-Sha256 is not 44 characters of canonical padded base64"),
  },
  "slack: timestamp header missing": {
    scheme: "slack",
    headers: { "X-Slack-Signature": `v0=${HEX}` },
    expected: { code: "missing_header", reason: "X-Slack-Request-Timestamp is missing" },
  },
  "slack: missing v0= prefix": {
    scheme: "slack",
    headers: { "X-Slack-Signature": HEX, "X-Slack-Request-Timestamp": String(SIGNED_AT) },
    expected: malformed("X-Slack-Signature does not start with v0="),
  },
  "slack: stale timestamp": {
    scheme: "slack",
    headers: { "X-Slack-Signature": `v0=${HEX}`, "X-Slack-Request-Timestamp": String(NOW - 301) },
    expected: {
      code: "timestamp_out_of_tolerance",
      reason: "X-Slack-Request-Timestamp 1699999699 is 301 s old (tolerance 300 s)",
    },
  },
  "standard-webhooks: entry without a version": {
    scheme: "standard-webhooks",
    headers: { "webhook-id": "msg_1", "webhook-timestamp": String(SIGNED_AT), "webhook-signature": B64 },
    expected: malformed("webhook-signature: entry #1 is not <version>,<signature>"),
  },
  "standard-webhooks: two spaces between entries": {
    scheme: "standard-webhooks",
    headers: {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(SIGNED_AT),
      "webhook-signature": `v1,${B64}  v1,${B64}`,
    },
    expected: malformed("webhook-signature: entry #2 is not <version>,<signature>"),
  },
  "standard-webhooks: six entries": {
    scheme: "standard-webhooks",
    headers: {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(SIGNED_AT),
      "webhook-signature": Array(6).fill(`v1,${B64}`).join(" "),
    },
    expected: malformed("webhook-signature: more than 5 signatures"),
  },
  "standard-webhooks: id containing a dot": {
    scheme: "standard-webhooks",
    headers: {
      "webhook-id": "msg.1",
      "webhook-timestamp": String(SIGNED_AT),
      "webhook-signature": `v1,${B64}`,
    },
    expected: malformed('webhook-id is not 1-256 printable ASCII characters without "."'),
  },
  "standard-webhooks (svix family): webhook-* names are not read": {
    scheme: "standard-webhooks",
    options: { headerFamily: "svix" },
    headers: {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(SIGNED_AT),
      "webhook-signature": `v1,${B64}`,
    },
    expected: { code: "missing_header", reason: "svix-signature is missing" },
  },
};

describe("signature headers are refused before any comparison", () => {
  test.each(Object.entries(CASES))("%s", (_name, { scheme, headers, expected, options }) => {
    const secret = scheme === "standard-webhooks" ? SVIX_SECRET : SECRET;
    const request = { headers: headersFrom(headers), body: Buffer.from(BODY) };
    expect(SCHEMES[scheme].verify(request, [secret], NOW, options)).toEqual({ ok: false, ...expected });
  });
});

describe("timestamp tolerance is inclusive at its edge, in both directions", () => {
  test.each([NOW - 300, NOW + 300])("t=%i verifies", (timestamp) => {
    const headers = SCHEMES.generic.sign({ body: BODY, secrets: [SECRET], timestamp });
    expect(
      SCHEMES.generic.verify({ headers: headersFrom(headers), body: Buffer.from(BODY) }, [SECRET], NOW).ok,
    ).toBe(true);
  });
});

test("a mismatch names the header and how many signatures and secrets were tried", () => {
  const headers = SCHEMES.stripe.sign({ body: BODY, secrets: ["a", "b"], timestamp: SIGNED_AT });
  expect(
    SCHEMES.stripe.verify({ headers: headersFrom(headers), body: Buffer.from("{}") }, ["a", "b", "c"], NOW),
  ).toEqual({
    ok: false,
    code: "signature_mismatch",
    reason: "Stripe-Signature: none of the 2 signatures matches any of the 3 active secrets",
  });
});

describe("a signature mismatch says which signatures and secrets did not match", () => {
  const body = Buffer.from('{"id":"evt_1"}');
  const now = 1_700_000_000;
  const reasonFor = (signingSecrets: readonly string[], activeSecrets: readonly string[]) => {
    const headers = headersFrom(signRequest("stripe", { body, secrets: signingSecrets, timestamp: now }));
    const result = verifyRequest("stripe", { headers, body }, activeSecrets, now);
    return result.ok ? "verified" : result.reason;
  };

  test.each([
    [["a"], ["x"], "Stripe-Signature: the signature does not match the active secret"],
    [["a"], ["x", "y"], "Stripe-Signature: the signature matches none of the 2 active secrets"],
    [["a", "b"], ["x"], "Stripe-Signature: none of the 2 signatures matches the active secret"],
    [
      ["a", "b"],
      ["x", "y", "z"],
      "Stripe-Signature: none of the 2 signatures matches any of the 3 active secrets",
    ],
  ])("signed with %j, active %j", (signing, active, reason) => {
    expect(reasonFor(signing, active)).toBe(reason);
  });
});
