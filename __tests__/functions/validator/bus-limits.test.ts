/**
 * Every limit between the request and the bus, at its boundary: one side reaches the queue
 * unchanged, the other is refused with a 4xx naming the limit or travels by reference as the raw
 * bytes. Never a 2xx the router could not keep, never a 5xx (functions/shared/limits.ts).
 */
import {
  DELIVERY_ID_MAX_CHARS,
  EVENT_TYPE_MAX_CHARS,
  INLINE_PAYLOAD_MAX_DEPTH,
  MEDIA_TYPE_MAX_CHARS,
  parseEnvelope,
  webhookIdFor,
} from "@webhooks/shared";
import { createHarness, type Harness, invoke, signedEvent } from "./support/harness";

/** An acme (generic scheme) body `levels` deep: the object, `levels - 2` arrays, the scalar inside. */
function bodyOfDepth(levels: number): string {
  const arrays = levels - 2;
  return `{"type":"order.created","deep":${"[".repeat(arrays)}0${"]".repeat(arrays)}}`;
}

const withNumber = (digits: string) => `{"type":"order.created","id":${digits}}`;

/** The harness clock in unix seconds, for a retry signed now. */
const secondsOf = (harness: Harness) => Math.floor(harness.clock.now() / 1000);

describe("a payload the bus cannot carry inline unchanged travels by reference, as its raw bytes", () => {
  test.each([
    ["nested to the limit", "inline", bodyOfDepth(INLINE_PAYLOAD_MAX_DEPTH)],
    ["nested one level deeper", "reference", bodyOfDepth(INLINE_PAYLOAD_MAX_DEPTH + 1)],
    [
      "nested 200,000 levels deep (a 503 before: serializing it overflowed the stack)",
      "reference",
      bodyOfDepth(200_000),
    ],
    ["with the largest integer JSON.parse keeps exact, 2^53 - 1", "inline", withNumber("9007199254740991")],
    ["with 2^53 + 1, which JSON.parse would round", "reference", withNumber("9007199254740993")],
    ["with a 64-bit id as Shopify's samples have", "reference", withNumber("820982911946154508")],
    [
      "with U+FFFF, which SQS does not allow in a message",
      "reference",
      '{"type":"order.created","note":"\\uffff"}',
    ],
  ])("a body %s: 202, queued %s", async (_case, kind, body) => {
    const harness = createHarness();
    const { status } = await invoke(harness, signedEvent("acme", { body }));
    expect(status).toBe(202);
    const envelope = parseEnvelope(harness.queue.messages[0]!.body);
    expect(envelope.payload.kind).toBe(kind);
    if (kind === "inline") {
      expect(envelope.payload).toEqual({ kind: "inline", data: JSON.parse(body) });
      expect(harness.blobs.objects.size).toBe(0);
    } else {
      const [stored] = harness.blobs.objects.values();
      expect(Buffer.from(stored!.body).toString("utf8")).toBe(body);
    }
  });

  test("the log says why a small payload went by reference", async () => {
    const harness = createHarness();
    await invoke(harness, signedEvent("acme", { body: withNumber("9007199254740993") }));
    expect(harness.logger.entries).toEqual([
      expect.objectContaining({
        level: "info",
        message: "payload travels by reference",
        attributes: expect.objectContaining({
          provider: "acme",
          reason: "holds the number 9007199254740992, outside ±(2^53 − 1)",
        }),
      }),
    ]);
  });
});

describe("identity and media type at their limits: accepted, or 4xx before anything is stored", () => {
  const eventType = (length: number) => `{"type":"${"t".repeat(length)}"}`;
  const deliveryId = (length: number) => ({ "X-Webhook-Id": "d".repeat(length) });
  const mediaType = (length: number) => `application/${"v".repeat(length - 17)}+json`;

  test.each([
    [
      "an event type of 128 characters (EventBridge's DetailType limit)",
      202,
      { body: eventType(EVENT_TYPE_MAX_CHARS) },
    ],
    ["an event type of 129 characters", 400, { body: eventType(EVENT_TYPE_MAX_CHARS + 1) }],
    ["a delivery id of 256 characters", 202, { identity: deliveryId(DELIVERY_ID_MAX_CHARS) }],
    ["a delivery id of 257 characters", 400, { identity: deliveryId(DELIVERY_ID_MAX_CHARS + 1) }],
    ["a media type of 255 characters", 202, { contentType: mediaType(MEDIA_TYPE_MAX_CHARS) }],
    ["a media type of 256 characters", 415, { contentType: mediaType(MEDIA_TYPE_MAX_CHARS + 1) }],
  ])("%s: %i", async (_case, expected, options) => {
    const harness = createHarness();
    const { status, body } = await invoke(harness, signedEvent("acme", options));
    expect(status).toBe(expected);
    if (expected === 202) {
      expect(harness.queue.messages).toHaveLength(1);
    } else {
      expect(body.reason).toMatch(/128|256|255/);
      expect(harness.store.records.size + harness.queue.messages.length).toBe(0);
    }
  });
});

describe("a delivery id reused for a different body", () => {
  const first = '{"type":"order.created","order":{"id":42,"total":"10.00"}}';
  const second = '{"type":"order.created","order":{"id":42,"total":"99.00"}}';
  const webhookId = webhookIdFor("acme", "acme-delivery-1");

  test("is refused with 409 naming the conflict, never queued, counted and logged (WARN)", async () => {
    const harness = createHarness();
    expect((await invoke(harness, signedEvent("acme", { body: first }))).status).toBe(202);
    harness.clock.advance(60_000);

    const retry = signedEvent("acme", { body: second, timestamp: secondsOf(harness) });
    const { status, body } = await invoke(harness, retry);

    expect({ status, body }).toEqual({
      status: 409,
      body: {
        message: "Conflict",
        reason: "delivery id acme-delivery-1 was already received with a different body",
        webhookId,
      },
    });
    expect(harness.queue.messages).toHaveLength(1);
    expect(harness.metrics.counts.at(-1)).toEqual({
      provider: "acme",
      outcome: "rejected",
      reason: "delivery_id_conflict",
    });
    expect(harness.logger.entries.at(-1)).toEqual({
      level: "warn",
      message: "delivery id reused for a different body",
      attributes: expect.objectContaining({
        provider: "acme",
        deliveryId: "acme-delivery-1",
        webhookId,
        status: "QUEUED",
      }),
    });
  });

  test.each(["stripe", "std", "svix-app"])(
    "%s re-signing the same body with a new timestamp is a duplicate, not a conflict",
    async (provider) => {
      const harness = createHarness();
      expect((await invoke(harness, signedEvent(provider))).status).toBe(202);
      harness.clock.advance(120_000);
      const retry = signedEvent(provider, { timestamp: secondsOf(harness) });
      expect((await invoke(harness, retry)).body).toEqual({ webhookId: expect.any(String), duplicate: true });
    },
  );

  test("while the first body's claim holds its lease, another body is a conflict, not 'in progress'", async () => {
    const harness = createHarness();
    harness.queue.hang();
    void harness.handler(signedEvent("acme", { body: first }), { getRemainingTimeInMillis: () => 8_000 });
    await new Promise((resolve) => setImmediate(resolve));

    expect((await invoke(harness, signedEvent("acme", { body: second }))).body.message).toBe("Conflict");
    expect((await invoke(harness, signedEvent("acme", { body: first }))).body.message).toBe(
      "Delivery in progress, retry later",
    );
  });

  test("a lapsed lease is taken over by the same body only", async () => {
    const harness = createHarness();
    harness.queue.hang(); // the first invocation never sends nor releases
    void harness.handler(signedEvent("acme", { body: first }), { getRemainingTimeInMillis: () => 8_000 });
    await new Promise((resolve) => setImmediate(resolve));
    harness.clock.advance(8_001);
    const retry = (body: string) => signedEvent("acme", { body, timestamp: secondsOf(harness) });

    expect((await invoke(harness, retry(second))).status).toBe(409);
    expect((await invoke(harness, retry(first))).status).toBe(202);
    expect(parseEnvelope(harness.queue.messages[0]!.body).payload).toEqual({
      kind: "inline",
      data: JSON.parse(first),
    });
  });

  test("once the record has expired (the dedupe window is over), another body is a new delivery", async () => {
    const harness = createHarness();
    await invoke(harness, signedEvent("acme", { body: first }));
    harness.clock.advance(604_801_000);
    const later = signedEvent("acme", { body: second, timestamp: secondsOf(harness) });
    expect((await invoke(harness, later)).status).toBe(202);
    expect(harness.queue.messages).toHaveLength(2);
  });
});
