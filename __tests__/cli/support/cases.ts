/**
 * One signing case per scheme (and the svix header family): what to sign, the options that make a
 * complete sender request, and what `webhooks verify` must report.
 */
export interface SchemeCase {
  readonly name: string;
  readonly scheme: string;
  readonly secret: string;
  readonly body: string;
  /** Extra sign options (identity headers, header family); verify repeats the scheme-choosing ones. */
  readonly signArgs: readonly string[];
  readonly verifyArgs: readonly string[];
  readonly deliveryId: string;
  readonly eventType: string;
  /** The signature header as the scheme names it in reasons. */
  readonly signatureHeader: string;
  /** The signed timestamp's name in reasons; undefined for schemes without a timestamp. */
  readonly timestampLabel?: string;
}

export const TIMESTAMP = 1_738_324_800; // 2025-01-31T12:00:00Z

export const SCHEME_CASES: readonly SchemeCase[] = [
  {
    name: "generic",
    scheme: "generic",
    secret: "acme-signing-secret",
    body: '{"type":"order.created","order":{"id":42}}',
    signArgs: ["--id", "order-42"],
    verifyArgs: [],
    deliveryId: "order-42",
    eventType: "order.created",
    signatureHeader: "X-Webhook-Signature",
    timestampLabel: "X-Webhook-Signature: t=",
  },
  {
    name: "stripe",
    scheme: "stripe",
    secret: "whsec_test_secret",
    body: '{"id":"evt_1NG8Du2eZvKYlo2CqXqZ5yQ4","object":"event","type":"payment_intent.succeeded"}',
    signArgs: [],
    verifyArgs: [],
    deliveryId: "evt_1NG8Du2eZvKYlo2CqXqZ5yQ4",
    eventType: "payment_intent.succeeded",
    signatureHeader: "Stripe-Signature",
    timestampLabel: "Stripe-Signature: t=",
  },
  {
    name: "github",
    scheme: "github",
    secret: "It's a Secret to Everybody",
    body: '{"action":"opened","number":1}',
    signArgs: ["--id", "72d3162e-cc78-11e3-81ab-4c9367dc0958", "--event", "pull_request"],
    verifyArgs: [],
    deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    eventType: "pull_request",
    signatureHeader: "X-Hub-Signature-256",
  },
  {
    name: "shopify",
    scheme: "shopify",
    secret: "shpss_0123456789abcdef",
    body: '{"id":820982911946154500,"email":"jon@example.com"}',
    signArgs: ["--id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", "--event", "orders/create"],
    verifyArgs: [],
    deliveryId: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
    eventType: "orders/create",
    signatureHeader: "X-Shopify-Hmac-Sha256",
  },
  {
    name: "slack",
    scheme: "slack",
    secret: "8f742231b10e8888abcd99yyyzzz85a5",
    body: '{"type":"event_callback","event_id":"Ev08MFMKH6","event":{"type":"app_mention","text":"hi"}}',
    signArgs: [],
    verifyArgs: [],
    deliveryId: "Ev08MFMKH6",
    eventType: "app_mention",
    signatureHeader: "X-Slack-Signature",
    timestampLabel: "X-Slack-Request-Timestamp",
  },
  {
    name: "standard-webhooks",
    scheme: "standard-webhooks",
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    body: '{"type":"invoice.paid","data":{"id":"in_1"}}',
    signArgs: ["--id", "msg_p5jXN8AQM9LWM0D4loKWxJek"],
    verifyArgs: [],
    deliveryId: "msg_p5jXN8AQM9LWM0D4loKWxJek",
    eventType: "invoice.paid",
    signatureHeader: "webhook-signature",
    timestampLabel: "webhook-timestamp",
  },
  {
    name: "standard-webhooks (svix headers)",
    scheme: "standard-webhooks",
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    body: '{"type":"invoice.paid","data":{"id":"in_2"}}',
    signArgs: ["--id", "msg_2", "--header-family", "svix"],
    verifyArgs: ["--header-family", "svix"],
    deliveryId: "msg_2",
    eventType: "invoice.paid",
    signatureHeader: "svix-signature",
    timestampLabel: "svix-timestamp",
  },
];

/** `webhooks sign` arguments for a case. */
export function signArgs(c: SchemeCase, ...more: string[]): string[] {
  return [
    "sign",
    "--scheme",
    c.scheme,
    "--secret",
    c.secret,
    "--data",
    c.body,
    "--timestamp",
    String(TIMESTAMP),
    ...c.signArgs,
    ...more,
  ];
}

/** `Name: value` lines as printed by `webhooks sign` → [name, value] pairs. */
export function headerPairs(text: string): Array<[string, string]> {
  return text
    .trim()
    .split("\n")
    .map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon), line.slice(colon + 1).trim()] as [string, string];
    });
}

/**
 * The same header value with its signature changed by one character inside its alphabet, so the
 * shape checks pass and only the MAC comparison can fail.
 */
export function tamperSignature(value: string): string {
  const marker = ["v1=", "sha256=", "v0=", "v1,"].find((m) => value.includes(m));
  const at = marker ? value.indexOf(marker) + marker.length : 0;
  const flipped = value[at] === "a" ? "b" : "a";
  return `${value.slice(0, at)}${flipped}${value.slice(at + 1)}`;
}
