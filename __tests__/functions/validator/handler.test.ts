import { type Envelope, parseEnvelope, sha256Hex, webhookIdFor } from "@webhooks/shared";
import { apiGatewayEvent } from "./support/events";
import {
  createHarness,
  invoke,
  PROVIDERS,
  SAMPLES,
  SECRETS,
  signedEvent,
  T0,
  T0_SECONDS,
} from "./support/harness";

const envelopeOf = (body: string): Envelope => parseEnvelope(body);

describe("accepting a verified delivery", () => {
  test.each(PROVIDERS.map((provider) => provider.id))(
    "%s: 202 with the webhook id, one message, record QUEUED",
    async (providerId) => {
      // GIVEN
      const harness = createHarness();
      const sample = SAMPLES[providerId]!;
      const webhookId = webhookIdFor(providerId, sample.deliveryId);
      // WHEN
      const { status, body } = await invoke(harness, signedEvent(providerId));
      // THEN
      expect({ status, body }).toEqual({ status: 202, body: { webhookId } });
      expect(harness.queue.messages).toHaveLength(1);
      expect(envelopeOf(harness.queue.messages[0]!.body)).toEqual({
        version: 1,
        webhookId,
        provider: providerId,
        deliveryId: sample.deliveryId,
        eventType: sample.eventType,
        receivedAt: "2026-11-23T12:00:00.000Z",
        contentType: "application/json",
        payload: { kind: "inline", data: JSON.parse(sample.body) },
      });
      expect(harness.store.records.get(webhookId)?.status).toBe("QUEUED");
      expect(harness.metrics.counts).toEqual([{ provider: providerId, outcome: "accepted" }]);
    },
  );

  test.each([true, false])(
    "raw bytes are verified whether API Gateway base64-encoded them (%s) or not",
    async (base64) => {
      const harness = createHarness();
      const body = '{"id":"evt_1","type":"invoice.paid","customer":"Zoë ✓ 東京"}';
      const { status } = await invoke(harness, signedEvent("stripe", { base64, body }));
      expect(status).toBe(202);
      expect(envelopeOf(harness.queue.messages[0]!.body).payload).toEqual({
        kind: "inline",
        data: JSON.parse(body),
      });
    },
  );

  test("answers JSON, never base64, with a Content-Type", async () => {
    const { response } = await invoke(createHarness(), signedEvent("acme"));
    expect(response).toEqual({
      statusCode: 202,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ webhookId: webhookIdFor("acme", "acme-delivery-1") }),
      isBase64Encoded: false,
    });
  });

  test("the message carries the webhook id and provider for its attributes", async () => {
    const harness = createHarness();
    await invoke(harness, signedEvent("github"));
    const { webhookId, provider } = harness.queue.messages[0]!;
    expect({ webhookId, provider }).toEqual({
      webhookId: webhookIdFor("github", SAMPLES.github!.deliveryId),
      provider: "github",
    });
  });

  test("the claim holds a lease for the invocation's remaining time and a 7-day TTL", async () => {
    const harness = createHarness();
    await invoke(harness, signedEvent("stripe"), 8_500);
    expect(harness.store.claims[0]).toMatchObject({
      provider: "stripe",
      deliveryId: "evt_1",
      eventType: "invoice.paid",
      receivedAt: "2026-11-23T12:00:00.000Z",
      nowMs: T0,
      leaseUntil: T0 + 8_500,
      expiresAt: T0_SECONDS + 7 * 24 * 3600,
    });
  });

  test.each([false, true])(
    "/webhooks/<provider> names the provider (as a path parameter: %s)",
    async (pathParameter) => {
      const { status } = await invoke(createHarness(), signedEvent("shopify", { pathParameter }));
      expect(status).toBe(202);
    },
  );

  test("the generic route takes a generic-scheme provider from X-Provider-ID", async () => {
    const { status } = await invoke(createHarness(), signedEvent("acme", { genericRoute: true }));
    expect(status).toBe(202);
  });

  test("a form body (GitHub payload=…) is verified over the raw form bytes and queued parsed", async () => {
    const harness = createHarness();
    const form = `payload=${encodeURIComponent('{"zen":"Half measures are as bad as nothing at all."}')}`;
    const event = signedEvent("github", { body: form, contentType: "application/x-www-form-urlencoded" });
    expect((await invoke(harness, event)).status).toBe(202);
    const envelope = envelopeOf(harness.queue.messages[0]!.body);
    expect(envelope.contentType).toBe("application/x-www-form-urlencoded");
    expect(envelope.payload).toEqual({
      kind: "inline",
      data: { zen: "Half measures are as bad as nothing at all." },
    });
  });

  test("a body without Content-Type is JSON and queued as application/json", async () => {
    const harness = createHarness();
    expect((await invoke(harness, signedEvent("shopify", { contentType: null }))).status).toBe(202);
    expect(envelopeOf(harness.queue.messages[0]!.body).contentType).toBe("application/json");
  });
});

describe("deduplication", () => {
  test("a delivery already QUEUED answers 200 duplicate and enqueues nothing", async () => {
    const harness = createHarness();
    await invoke(harness, signedEvent("stripe"));
    harness.clock.advance(30_000);
    const { status, body } = await invoke(harness, signedEvent("stripe", { timestamp: T0_SECONDS + 25 }));
    expect({ status, body }).toEqual({
      status: 200,
      body: { webhookId: webhookIdFor("stripe", "evt_1"), duplicate: true },
    });
    expect(harness.queue.messages).toHaveLength(1);
    expect(harness.metrics.counts.at(-1)).toEqual({ provider: "stripe", outcome: "duplicate" });
  });

  test("a copy arriving while another invocation holds the lease gets 409 and enqueues nothing", async () => {
    const harness = createHarness();
    harness.queue.hang();
    void harness.handler(signedEvent("stripe"), { getRemainingTimeInMillis: () => 9_000 });
    await new Promise((resolve) => setImmediate(resolve));
    const { status, body } = await invoke(harness, signedEvent("stripe"));
    expect({ status, body }).toEqual({
      status: 409,
      body: { message: "Delivery in progress, retry later", webhookId: webhookIdFor("stripe", "evt_1") },
    });
    expect(harness.queue.messages).toHaveLength(0);
  });

  test("the generic scheme without X-Webhook-Id does not deduplicate: two identical events are two events", async () => {
    const harness = createHarness();
    const event = signedEvent("acme", { identity: {} });
    const first = await invoke(harness, event);
    const second = await invoke(harness, event);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(first.body.webhookId).not.toBe(second.body.webhookId);
    expect(harness.queue.messages.map((message) => envelopeOf(message.body).deliveryId)).toEqual([
      "random-1",
      "random-2",
    ]);
  });

  test("the same delivery id from two providers is two deliveries", async () => {
    const harness = createHarness();
    const identity = { "X-Webhook-Id": "evt_1" };
    await invoke(harness, signedEvent("acme", { identity }));
    expect((await invoke(harness, signedEvent("stripe"))).status).toBe(202);
    expect(harness.queue.messages).toHaveLength(2);
  });
});

describe("slack url_verification", () => {
  const challenge =
    '{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}';

  test("is answered 200 with the challenge; nothing is stored or queued", async () => {
    const harness = createHarness();
    const { status, body } = await invoke(harness, signedEvent("slack", { body: challenge }));
    expect({ status, body }).toEqual({
      status: 200,
      body: { challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" },
    });
    expect(harness.store.claims).toHaveLength(0);
    expect(harness.queue.messages).toHaveLength(0);
    expect(harness.metrics.counts).toEqual([{ provider: "slack", outcome: "challenge" }]);
  });

  test("with a bad signature is a 401 like any other", async () => {
    const harness = createHarness();
    const { status } = await invoke(
      harness,
      signedEvent("slack", { body: challenge, secrets: ["not-the-secret"] }),
    );
    expect(status).toBe(401);
  });
});

describe("claim check for payloads the queue can't hold", () => {
  const config = { queueMaxMessageBytes: 4_096 };
  const big = JSON.stringify({ type: "report.ready", rows: "x".repeat(5_000) });

  test("stores the raw bytes under payloads/<provider>/<yyyy>/<mm>/<dd>/<webhookId> and queues a reference", async () => {
    const harness = createHarness({ config });
    const webhookId = webhookIdFor("acme", "acme-delivery-1");
    const { status } = await invoke(harness, signedEvent("acme", { body: big }));
    expect(status).toBe(202);
    const key = `payloads/acme/2026/11/23/${webhookId}`;
    expect(Buffer.from(harness.blobs.objects.get(key)!.body).toString()).toBe(big);
    const envelope = envelopeOf(harness.queue.messages[0]!.body);
    expect(envelope.payload).toEqual({
      kind: "reference",
      ref: {
        bucket: "payload-bucket",
        key,
        sha256: sha256Hex(Buffer.from(big)),
        size: Buffer.byteLength(big),
      },
    });
    expect(Buffer.byteLength(harness.queue.messages[0]!.body)).toBeLessThan(4_096);
  });

  test("a payload that fits is queued inline and nothing is stored", async () => {
    const harness = createHarness({ config });
    await invoke(harness, signedEvent("acme"));
    expect(harness.blobs.objects.size).toBe(0);
    expect(envelopeOf(harness.queue.messages[0]!.body).payload.kind).toBe("inline");
  });

  test("a failed upload answers 503, releases the claim and queues nothing; the retry goes through", async () => {
    const harness = createHarness({ config });
    harness.blobs.failNext();
    const first = await invoke(harness, signedEvent("acme", { body: big }));
    expect(first.status).toBe(503);
    expect(harness.queue.messages).toHaveLength(0);
    expect(harness.store.records.size).toBe(0);
    expect((await invoke(harness, signedEvent("acme", { body: big }))).status).toBe(202);
    expect(harness.queue.messages).toHaveLength(1);
  });
});

describe("failures of ours answer 503 and mark nothing QUEUED", () => {
  test("SendMessage fails: 503, the claim is released, the sender's retry is enqueued once", async () => {
    const harness = createHarness();
    harness.queue.failNext();
    const first = await invoke(harness, signedEvent("stripe"));
    expect(first).toMatchObject({ status: 503, body: { message: "Service unavailable, retry later" } });
    expect(harness.store.records.size).toBe(0);
    expect(harness.metrics.counts).toEqual([{ provider: "stripe", outcome: "failed", reason: "queue_send" }]);
    harness.clock.advance(60_000);
    expect((await invoke(harness, signedEvent("stripe", { timestamp: T0_SECONDS + 60 }))).status).toBe(202);
    expect(harness.queue.messages).toHaveLength(1);
  });

  test("the claim fails: 503, nothing queued", async () => {
    const harness = createHarness();
    harness.store.failures.claim = new Error("ProvisionedThroughputExceededException");
    expect((await invoke(harness, signedEvent("stripe"))).status).toBe(503);
    expect(harness.queue.messages).toHaveLength(0);
    expect(harness.metrics.counts).toEqual([
      { provider: "stripe", outcome: "failed", reason: "store_claim" },
    ]);
  });

  test("releasing after a failed send fails too: still 503, logged; the lease lets the retry in later", async () => {
    const harness = createHarness();
    harness.queue.failNext();
    harness.store.failures.release = new Error("InternalServerError");
    expect((await invoke(harness, signedEvent("stripe"), 5_000)).status).toBe(503);
    delete harness.store.failures.release;
    expect(harness.logger.entries.map((entry) => entry.message)).toContain("releasing the claim failed");
    expect((await invoke(harness, signedEvent("stripe"))).status).toBe(409);
    harness.clock.advance(5_001);
    expect((await invoke(harness, signedEvent("stripe"))).status).toBe(202);
  });

  test("marking QUEUED fails after a successful send: 202, since the message is durably in SQS (logged and counted)", async () => {
    const harness = createHarness();
    harness.store.failures.markQueued = new Error("InternalServerError");
    const webhookId = webhookIdFor("stripe", "evt_1");
    const { status, body } = await invoke(harness, signedEvent("stripe"));
    expect({ status, body }).toEqual({ status: 202, body: { webhookId } });
    expect(harness.queue.messages).toHaveLength(1);
    expect(harness.store.records.get(webhookId)?.status).toBe("RECEIVED");
    expect(harness.logger.entries.filter((entry) => entry.level === "error")).toEqual([
      expect.objectContaining({
        message: "marking the delivery QUEUED failed; it is queued",
        attributes: expect.objectContaining({ webhookId, provider: "stripe" }),
      }),
    ]);
    expect(harness.metrics.counts).toEqual([
      { provider: "stripe", outcome: "failed", reason: "mark_queued" },
      { provider: "stripe", outcome: "accepted" },
    ]);
  });

  test("an unexpected error answers 503 instead of throwing", async () => {
    const harness = createHarness({
      store: {
        claim: async () => undefined as never,
        markQueued: async () => undefined,
        release: async () => undefined,
      },
    });
    const { status } = await invoke(harness, signedEvent("stripe"));
    expect(status).toBe(503);
    expect(harness.metrics.counts).toEqual([
      { provider: "unknown", outcome: "failed", reason: "unexpected" },
    ]);
  });
});

describe("secrets", () => {
  test("are fetched once and reused for the cache TTL", async () => {
    const harness = createHarness();
    await invoke(harness, signedEvent("stripe"));
    harness.clock.advance(299_000);
    await invoke(harness, signedEvent("github"));
    await invoke(harness, signedEvent("stripe", { timestamp: T0_SECONDS + 290 }));
    expect(harness.secrets.fetches).toEqual(["webhooks/stripe", "webhooks/github"]);
  });

  test("are fetched again after the cache TTL", async () => {
    const harness = createHarness();
    await invoke(harness, signedEvent("stripe"));
    harness.clock.advance(300_000);
    await invoke(harness, signedEvent("stripe", { timestamp: T0_SECONDS + 300 }));
    expect(harness.secrets.fetches).toEqual(["webhooks/stripe", "webhooks/stripe"]);
  });

  test("a mismatch with cached secrets older than 30 s refetches once and accepts a newly rotated secret", async () => {
    const harness = createHarness();
    await invoke(harness, signedEvent("stripe"));
    harness.secrets.set("webhooks/stripe", ["whsec_rotated", ...SECRETS.stripe!]);
    harness.clock.advance(31_000);
    const body = '{"id":"evt_2","type":"invoice.paid"}';
    const event = signedEvent("stripe", { body, secrets: ["whsec_rotated"], timestamp: T0_SECONDS + 31 });
    expect((await invoke(harness, event)).status).toBe(202);
    expect(harness.secrets.fetches).toHaveLength(2);
  });

  test("a mismatch with cached secrets younger than 30 s is a 401 without a refetch", async () => {
    const harness = createHarness();
    await invoke(harness, signedEvent("stripe"));
    harness.clock.advance(29_000);
    expect(
      (await invoke(harness, signedEvent("stripe", { secrets: ["whsec_wrong"], timestamp: T0_SECONDS + 29 })))
        .status,
    ).toBe(401);
    expect(harness.secrets.fetches).toHaveLength(1);
  });

  test("a flood of bad signatures refetches at most once per 30 s", async () => {
    const harness = createHarness();
    await invoke(harness, signedEvent("stripe"));
    harness.clock.advance(31_000);
    for (let i = 0; i < 20; i++)
      await invoke(harness, signedEvent("stripe", { secrets: ["whsec_wrong"], timestamp: T0_SECONDS + 31 }));
    expect(harness.secrets.fetches).toHaveLength(2);
  });

  test("an invalid secret document answers 503 and logs an error naming the provider", async () => {
    const harness = createHarness();
    harness.secrets.documents.set("webhooks/stripe", '{"secret":"whsec_x"}');
    expect((await invoke(harness, signedEvent("stripe"))).status).toBe(503);
    expect(harness.logger.entries).toContainEqual({
      level: "error",
      message: "loading the provider's secrets failed",
      attributes: expect.objectContaining({ provider: "stripe", reason: "secret_document" }),
    });
    expect(harness.queue.messages).toHaveLength(0);
  });

  test("a secret the scheme can't use as a key (standard-webhooks) answers 503 and logs an error", async () => {
    const harness = createHarness();
    harness.secrets.set("webhooks/std", ["whsec_!!not-base64"]);
    expect((await invoke(harness, signedEvent("std"))).status).toBe(503);
    expect(harness.metrics.counts).toEqual([
      { provider: "std", outcome: "failed", reason: "secret_unusable" },
    ]);
  });

  test("concurrent requests share one fetch", async () => {
    const harness = createHarness();
    await Promise.all([
      invoke(harness, signedEvent("stripe")),
      invoke(harness, signedEvent("acme")),
      invoke(harness, signedEvent("stripe")),
    ]);
    expect(harness.secrets.fetches.sort()).toEqual(["webhooks/acme", "webhooks/stripe"]);
  });
});

describe("logs and metrics", () => {
  test("an accepted delivery is counted, not logged: the access log and the audit trail record it", async () => {
    const harness = createHarness();
    const { status } = await invoke(harness, signedEvent("stripe"));
    expect(status).toBe(202);
    expect(harness.logger.entries).toEqual([]);
    expect(harness.metrics.counts).toEqual([{ provider: "stripe", outcome: "accepted" }]);
  });

  test("logs never carry secrets, signatures or the payload", async () => {
    const harness = createHarness();
    const event = signedEvent("stripe", {
      body: '{"id":"evt_9","type":"charge.succeeded","card":"4242424242424242"}',
    });
    await invoke(harness, event);
    await invoke(harness, event);
    await invoke(
      harness,
      signedEvent("stripe", {
        body: '{"id":"evt_10","type":"charge.succeeded","card":"4242424242424242"}',
        secrets: ["whsec_wrong"],
      }),
    );
    const logged = JSON.stringify(harness.logger.entries);
    expect(harness.logger.entries.map((entry) => entry.message)).toEqual([
      "duplicate delivery",
      "request rejected",
    ]);
    const signature = event.headers["Stripe-Signature"]!;
    for (const secret of [
      ...SECRETS.stripe!,
      "whsec_wrong",
      signature.split("v1=")[1]!,
      "4242424242424242",
    ]) {
      expect(logged).not.toContain(secret);
    }
  });

  test("a rejection logs the exact reason while the 401 body says nothing", async () => {
    const harness = createHarness();
    const { body } = await invoke(harness, signedEvent("stripe", { timestamp: T0_SECONDS - 400 }));
    expect(body).toEqual({ message: "Unauthorized" });
    expect(harness.logger.entries).toEqual([
      {
        level: "warn",
        message: "request rejected",
        attributes: {
          provider: "stripe",
          status: 401,
          code: "timestamp_out_of_tolerance",
          reason: `Stripe-Signature: t= ${T0_SECONDS - 400} is 400 s old (tolerance 300 s)`,
          requestId: "req-1",
        },
      },
    ]);
    expect(harness.metrics.counts).toEqual([
      { provider: "stripe", outcome: "rejected", reason: "timestamp_out_of_tolerance" },
    ]);
  });

  test("an unknown provider is counted under 'unknown', never its raw name", async () => {
    const harness = createHarness();
    await invoke(harness, apiGatewayEvent({ provider: "acme-evil", body: "{}" }));
    expect(harness.metrics.counts).toEqual([
      { provider: "unknown", outcome: "rejected", reason: "unknown_provider" },
    ]);
  });
});
