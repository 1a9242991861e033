import { createHmac } from "node:crypto";
import {
  type KeyRequest,
  type ProviderRuntimeConfig,
  parseEnvelope,
  presetById,
  webhookIdFor,
} from "@webhooks/shared";
import type { HandshakeStorePort, KeyFetchPort } from "../../../functions/validator/ports";
import {
  PAYPAL_CERT_URL,
  PAYPAL_CHAIN,
  PAYPAL_LEAF_KEY,
  PAYPAL_NOW,
} from "../shared/support/independent-signers";
import { apiGatewayEvent } from "./support/events";
import { createHarness, T0, T0_SECONDS } from "./support/harness";

const HUBSPOT_URL = "https://hooks.example.com/webhooks/hubspot";
const PROVIDERS: ProviderRuntimeConfig[] = [
  {
    id: "std",
    scheme: "standard-webhooks",
    secretId: "s/std",
    toleranceSeconds: 300,
    dedupeTtlSeconds: 100 * 3600,
  },
  { id: "hubspot", scheme: "hubspot", secretId: "s/hubspot", toleranceSeconds: 300, publicUrl: HUBSPOT_URL },
  { id: "hubspot-no-url", scheme: "hubspot", secretId: "s/hubspot", toleranceSeconds: 300 },
  { id: "zoom", scheme: "zoom", secretId: "s/zoom", toleranceSeconds: 300 },
  { id: "intercom", scheme: "intercom", secretId: "s/intercom", toleranceSeconds: 300 },
  { id: "shopify", scheme: "shopify", secretId: "s/shopify", toleranceSeconds: 300 },
  { id: "woo", scheme: "woocommerce", secretId: "s/woo", toleranceSeconds: 300 },
  { id: "asana", scheme: "asana", secretId: "s/asana", toleranceSeconds: 300 },
  { id: "paypal", scheme: "paypal", secretId: "s/paypal", toleranceSeconds: 600 },
  { id: "gitlab", scheme: "gitlab", secretId: "s/gitlab", toleranceSeconds: 300 },
  {
    id: "billing",
    scheme: "custom:billing",
    secretId: "s/billing",
    toleranceSeconds: 300,
    custom: { signatureHeader: "X-Billing-Signature", eventTypeBodyField: "kind", retryHorizonHours: 24 },
  },
];
const WHSEC = `whsec_${Buffer.alloc(32, 5).toString("base64")}`;
const SECRETS: Record<string, string> = {
  "s/std": WHSEC,
  "s/hubspot": "hubspot-client-secret",
  "s/zoom": "zoom-secret",
  "s/intercom": "intercom-secret",
  "s/shopify": "shopify-secret",
  "s/woo": "woo-secret",
  "s/asana": "asana-secret",
  "s/paypal": "8PT597110X687430LKGECATA",
  "s/gitlab": "gitlab-token",
  "s/billing": "billing-secret",
};

function harness(options: { keys?: KeyFetchPort; handshakes?: HandshakeStorePort; now?: number } = {}) {
  const { handshakes, ...rest } = options;
  const h = createHarness({
    ...rest,
    providers: PROVIDERS,
    secretsById: Object.fromEntries(Object.entries(SECRETS).map(([id, secret]) => [id, [secret]])),
    ...(handshakes ? { handshakes: () => handshakes } : {}),
  });
  return {
    ...h,
    async send(provider: string, headers: Record<string, string>, body: string) {
      const response = await h.handler(
        apiGatewayEvent({ provider, headers: { "Content-Type": "application/json", ...headers }, body }),
      );
      return { status: response.statusCode, body: response.body, headers: response.headers };
    },
  };
}

const hmacHex = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest("hex");
const hmacSha1 = (key: string, data: string) => createHmac("sha1", key).update(data).digest("hex");
const hmacB64 = (key: string | Buffer, data: string) =>
  createHmac("sha256", key).update(data).digest("base64");

test("Standard Webhooks without a type is accepted as 'unknown', not a 400 the sender retries forever", async () => {
  const h = harness();
  const body = '{"data":{"id":1}}';
  const ts = T0_SECONDS - 5;
  const signature = hmacB64(Buffer.alloc(32, 5), `msg_1.${ts}.${body}`);
  const answer = await h.send(
    "std",
    { "webhook-id": "msg_1", "webhook-timestamp": String(ts), "webhook-signature": `v1,${signature}` },
    body,
  );
  expect(answer.status).toBe(202);
  expect(parseEnvelope(h.queue.messages[0]!.body)).toMatchObject({
    deliveryId: "msg_1",
    eventType: "unknown",
  });
});

test("each provider's records live for its own dedupe TTL", async () => {
  const h = harness();
  const body = '{"type":"a"}';
  const ts = T0_SECONDS - 5;
  const signature = hmacB64(Buffer.alloc(32, 5), `msg_2.${ts}.${body}`);
  await h.send(
    "std",
    { "webhook-id": "msg_2", "webhook-timestamp": String(ts), "webhook-signature": `v1,${signature}` },
    body,
  );
  expect(h.store.records.get(webhookIdFor("std", "msg_2"))?.expiresAt).toBe(T0_SECONDS + 100 * 3600);
});

test("GitLab: X-Gitlab-Event's event types have spaces ('Push Hook') and are accepted as they are", async () => {
  const h = harness();
  const answer = await h.send(
    "gitlab",
    { "X-Gitlab-Token": "gitlab-token", "X-Gitlab-Event": "Push Hook", "Idempotency-Key": "gl-1" },
    '{"object_kind":"push"}',
  );
  expect(answer.status).toBe(202);
  expect(parseEnvelope(h.queue.messages[0]!.body)).toMatchObject({
    deliveryId: "gl-1",
    eventType: "Push Hook",
  });
});

describe("a sender whose retries change part of the body", () => {
  test("Intercom: a retry counting one more attempt is a duplicate, not a reused delivery id", async () => {
    const h = harness();
    const send = (attempts: number) => {
      const body = JSON.stringify({ id: "notif_1", topic: "user.created", delivery_attempts: attempts });
      return h.send("intercom", { "X-Hub-Signature": `sha1=${hmacSha1("intercom-secret", body)}` }, body);
    };
    expect((await send(1)).status).toBe(202);
    expect((await send(2)).status).toBe(200);
    expect(h.queue.messages).toHaveLength(1);
  });

  test("HubSpot: a retried batch with new attempt numbers is a duplicate", async () => {
    const h = harness();
    const send = (attemptNumber: number) => {
      const body = JSON.stringify([{ eventId: 9, subscriptionType: "contact.creation", attemptNumber }]);
      const ms = T0 - 5000;
      return h.send(
        "hubspot",
        {
          "X-HubSpot-Signature-v3": hmacB64("hubspot-client-secret", `POST${HUBSPOT_URL}${body}${ms}`),
          "X-HubSpot-Request-Timestamp": String(ms),
        },
        body,
      );
    };
    expect((await send(0)).status).toBe(202);
    expect((await send(1)).status).toBe(200);
    expect(h.queue.messages).toHaveLength(1);
  });

  test("Shopify: another subscription's copy of an event (another API version's body) is a duplicate", async () => {
    const h = harness();
    const send = (body: string) =>
      h.send(
        "shopify",
        {
          "X-Shopify-Hmac-Sha256": hmacB64("shopify-secret", body),
          "X-Shopify-Event-Id": "evt-7",
          "X-Shopify-Topic": "orders/create",
        },
        body,
      );
    expect((await send('{"id":1,"total_price":"10.00"}')).status).toBe(202);
    expect((await send('{"id":1,"total_price_set":{"amount":"10.00"}}')).status).toBe(200);
    expect(h.queue.messages).toHaveLength(1);
  });

  test("a change outside those fields is still a conflict (409)", async () => {
    const h = harness();
    const send = (topic: string) => {
      const body = JSON.stringify({ id: "notif_2", topic, delivery_attempts: 1 });
      return h.send("intercom", { "X-Hub-Signature": `sha1=${hmacSha1("intercom-secret", body)}` }, body);
    };
    expect((await send("user.created")).status).toBe(202);
    expect((await send("user.deleted")).status).toBe(409);
  });
});

describe("a sender that signs its URL", () => {
  const body = '[{"eventId":7,"subscriptionType":"contact.creation"}]';
  const headers = () => {
    const ms = T0 - 5000;
    return {
      "X-HubSpot-Signature-v3": hmacB64("hubspot-client-secret", `POST${HUBSPOT_URL}${body}${ms}`),
      "X-HubSpot-Request-Timestamp": String(ms),
    };
  };

  test("is verified against the configured public URL, whatever path API Gateway saw", async () => {
    const h = harness();
    expect((await h.send("hubspot", headers(), body)).status).toBe(202);
    expect(parseEnvelope(h.queue.messages[0]!.body)).toMatchObject({ eventType: "contact.creation" });
  });

  test("without a configured public URL answers 503 (our configuration is broken), logged", async () => {
    const h = harness();
    expect((await h.send("hubspot-no-url", headers(), body)).status).toBe(503);
    expect(h.metrics.counts).toEqual([
      { provider: "hubspot-no-url", outcome: "failed", reason: "misconfigured" },
    ]);
  });
});

test("a signed handshake answered with the secret that verified it: Zoom's url_validation", async () => {
  const h = harness();
  const ts = T0_SECONDS - 5;
  const body = '{"event":"endpoint.url_validation","payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"}}';
  const answer = await h.send(
    "zoom",
    {
      "x-zm-signature": `v0=${hmacHex("zoom-secret", `v0:${ts}:${body}`)}`,
      "x-zm-request-timestamp": String(ts),
    },
    body,
  );
  expect(answer).toEqual({
    status: 200,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      plainToken: "qgg8vlvZRS6UYooatFL8Aw",
      encryptedToken: hmacHex("zoom-secret", "qgg8vlvZRS6UYooatFL8Aw"),
    }),
  });
  expect(h.queue.messages).toHaveLength(0);
  expect(h.metrics.counts).toEqual([{ provider: "zoom", outcome: "challenge" }]);
});

test("an unsigned ping answered before verification, nothing stored: WooCommerce", async () => {
  const h = harness();
  const answer = await h.send(
    "woo",
    { "Content-Type": "application/x-www-form-urlencoded" },
    "webhook_id=12",
  );
  expect(answer.status).toBe(200);
  expect(h.queue.messages).toHaveLength(0);
});

describe("a stateful handshake (Asana's X-Hook-Secret)", () => {
  test("is stored before it is answered", async () => {
    const stored: string[] = [];
    const h = harness({
      handshakes: {
        store: async (_provider, secret) => {
          stored.push(secret);
          return { stored: true };
        },
      },
    });
    const answer = await h.send("asana", { "X-Hook-Secret": "hook-secret-1" }, "");
    expect({ status: answer.status, headers: answer.headers }).toEqual({
      status: 200,
      headers: { "X-Hook-Secret": "hook-secret-1" },
    });
    expect(stored).toEqual(["hook-secret-1"]);
  });

  test("without a handshake store is not answered 2xx", async () => {
    const h = harness();
    expect((await h.send("asana", { "X-Hook-Secret": "hook-secret-1" }, "")).status).toBe(503);
    expect(h.metrics.counts).toEqual([{ provider: "asana", outcome: "failed", reason: "handshake_store" }]);
  });
});

describe("a sender whose key is published (PayPal's certificate)", () => {
  const body = '{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED"}';
  const signedHeaders = () =>
    presetById("paypal").sign({
      body,
      secrets: ["8PT597110X687430LKGECATA"],
      timestamp: PAYPAL_NOW - 5,
      id: "tx-1",
      privateKey: PAYPAL_LEAF_KEY,
      keyId: PAYPAL_CERT_URL,
    });

  test("is fetched through the key port for the URL the request names, then verified", async () => {
    const requested: KeyRequest[] = [];
    const keys: KeyFetchPort = {
      fetch: async (request) => {
        requested.push(request);
        return PAYPAL_CHAIN;
      },
    };
    const h = harness({ keys, now: PAYPAL_NOW * 1000 });
    expect((await h.send("paypal", signedHeaders(), body)).status).toBe(202);
    expect(requested).toEqual([{ kind: "x509-url", url: PAYPAL_CERT_URL }]);
  });

  test("a fetch that fails answers 503 so PayPal retries", async () => {
    const keys: KeyFetchPort = { fetch: async () => Promise.reject(new Error("connect ETIMEDOUT")) };
    const h = harness({ keys, now: PAYPAL_NOW * 1000 });
    expect((await h.send("paypal", signedHeaders(), body)).status).toBe(503);
    expect(h.metrics.counts).toEqual([{ provider: "paypal", outcome: "failed", reason: "key_unavailable" }]);
  });
});

test("a custom scheme from the configuration verifies and identifies", async () => {
  const h = harness();
  const body = '{"kind":"invoice.issued"}';
  const answer = await h.send("billing", { "X-Billing-Signature": hmacHex("billing-secret", body) }, body);
  expect(answer.status).toBe(202);
  expect(parseEnvelope(h.queue.messages[0]!.body)).toMatchObject({ eventType: "invoice.issued" });
});
