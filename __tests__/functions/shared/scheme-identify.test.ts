import { headersFrom, SCHEMES, type SchemeId, type SchemeOptions, sha256Hex } from "@webhooks/shared";

interface Case {
  readonly scheme: SchemeId;
  readonly headers?: Record<string, string>;
  readonly data: unknown;
  readonly body?: string;
  readonly options?: SchemeOptions;
  readonly expected: unknown;
}

const SLACK_BLOCK_ACTION = 'payload={"type":"block_actions"}';

const CASES: Record<string, Case> = {
  "generic: X-Webhook-Id and body type": {
    scheme: "generic",
    headers: { "X-Webhook-Id": "d-1" },
    data: { type: "order.created" },
    expected: { ok: true, deliveryId: "d-1", eventType: "order.created" },
  },
  "generic: no X-Webhook-Id means no delivery id (no dedupe)": {
    scheme: "generic",
    data: { type: "order.created" },
    expected: { ok: true, deliveryId: undefined, eventType: "order.created" },
  },
  "generic: X-Webhook-Event when the body has no type": {
    scheme: "generic",
    headers: { "X-Webhook-Event": "ping" },
    data: [1, 2],
    expected: { ok: true, deliveryId: undefined, eventType: "ping" },
  },
  "generic: neither body type nor X-Webhook-Event": {
    scheme: "generic",
    data: { kind: "x" },
    expected: { ok: false, reason: "X-Webhook-Event (the body has no type) is missing" },
  },
  "generic: body type of the wrong type": {
    scheme: "generic",
    data: { type: 5 },
    expected: { ok: false, reason: "body type is not 1-128 printable ASCII characters" },
  },
  "generic: X-Webhook-Id with a control character": {
    scheme: "generic",
    headers: { "X-Webhook-Id": "d\u00011" },
    data: { type: "t" },
    expected: { ok: false, reason: "X-Webhook-Id is not 1-256 printable ASCII characters" },
  },
  "stripe: body id and type": {
    scheme: "stripe",
    data: { id: "evt_1", type: "invoice.paid" },
    expected: { ok: true, deliveryId: "evt_1", eventType: "invoice.paid" },
  },
  "stripe: body without id": {
    scheme: "stripe",
    data: { type: "invoice.paid" },
    expected: { ok: false, reason: "body id is missing" },
  },
  "stripe: body that is not an object": {
    scheme: "stripe",
    data: "evt_1",
    expected: { ok: false, reason: "body is not a JSON object" },
  },
  "github: delivery and event headers": {
    scheme: "github",
    headers: { "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958", "X-GitHub-Event": "push" },
    data: {},
    expected: { ok: true, deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958", eventType: "push" },
  },
  "github: no X-GitHub-Delivery": {
    scheme: "github",
    headers: { "X-GitHub-Event": "push" },
    data: {},
    expected: { ok: false, reason: "X-GitHub-Delivery is missing" },
  },
  "shopify: X-Shopify-Event-Id is preferred": {
    scheme: "shopify",
    headers: {
      "X-Shopify-Event-Id": "e-1",
      "X-Shopify-Webhook-Id": "w-1",
      "X-Shopify-Topic": "orders/create",
    },
    data: {},
    expected: { ok: true, deliveryId: "e-1", eventType: "orders/create" },
  },
  "shopify: X-Shopify-Webhook-Id as the fallback": {
    scheme: "shopify",
    headers: { "X-Shopify-Webhook-Id": "w-1", "X-Shopify-Topic": "orders/create" },
    data: {},
    expected: { ok: true, deliveryId: "w-1", eventType: "orders/create" },
  },
  "shopify: no topic": {
    scheme: "shopify",
    headers: { "X-Shopify-Webhook-Id": "w-1" },
    data: {},
    expected: { ok: false, reason: "X-Shopify-Topic is missing" },
  },
  "slack: Events API event_id and event.type": {
    scheme: "slack",
    data: { type: "event_callback", event_id: "Ev1", event: { type: "app_mention" } },
    expected: { ok: true, deliveryId: "Ev1", eventType: "app_mention" },
  },
  "slack: interactivity payload keyed by the body's SHA-256": {
    scheme: "slack",
    body: SLACK_BLOCK_ACTION,
    data: { type: "block_actions" },
    expected: {
      ok: true,
      deliveryId: sha256Hex(Buffer.from(SLACK_BLOCK_ACTION)),
      eventType: "block_actions",
    },
  },
  "slack: slash command form fields": {
    scheme: "slack",
    body: "command=%2Fdeploy&text=now",
    data: { command: "/deploy", text: "now" },
    expected: {
      ok: true,
      deliveryId: sha256Hex(Buffer.from("command=%2Fdeploy&text=now")),
      eventType: "slash_command",
    },
  },
  "slack: url_verification without a challenge": {
    scheme: "slack",
    data: { type: "url_verification" },
    expected: { ok: false, reason: "url_verification without a string challenge" },
  },
  "standard-webhooks: webhook-id and body type": {
    scheme: "standard-webhooks",
    headers: { "webhook-id": "msg_1" },
    data: { type: "invoice.paid" },
    expected: { ok: true, deliveryId: "msg_1", eventType: "invoice.paid" },
  },
  "standard-webhooks (svix): svix-id": {
    scheme: "standard-webhooks",
    options: { headerFamily: "svix" },
    headers: { "svix-id": "msg_1" },
    data: { type: "invoice.paid" },
    expected: { ok: true, deliveryId: "msg_1", eventType: "invoice.paid" },
  },
  "standard-webhooks: body without type is accepted as unknown (the specification only recommends type)": {
    scheme: "standard-webhooks",
    headers: { "webhook-id": "msg_1" },
    data: { data: {} },
    expected: { ok: true, deliveryId: "msg_1", eventType: "unknown" },
  },
};

describe("delivery id and event type per scheme", () => {
  test.each(Object.entries(CASES))(
    "%s",
    (_name, { scheme, headers = {}, data, body = "{}", options, expected }) => {
      const request = { headers: headersFrom(headers), body: Buffer.from(body) };
      expect(SCHEMES[scheme].identify(request, data, options)).toEqual(expected);
    },
  );
});

describe("handshakes", () => {
  test("slack url_verification is answered with its challenge", () => {
    expect(SCHEMES.slack.handshake?.({ type: "url_verification", challenge: "3eZbrw1aB" })).toEqual({
      challenge: "3eZbrw1aB",
    });
  });

  test.each([{ type: "event_callback" }, { type: "url_verification", challenge: 5 }, null])(
    "slack %j is no handshake",
    (data) => {
      expect(SCHEMES.slack.handshake?.(data)).toBeUndefined();
    },
  );

  test("only slack has a handshake", () => {
    expect(
      Object.values(SCHEMES)
        .filter((scheme) => scheme.handshake)
        .map((scheme) => scheme.id),
    ).toEqual(["slack"]);
  });
});
