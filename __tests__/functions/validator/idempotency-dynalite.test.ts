/**
 * Idempotency against dynalite (a real DynamoDB implementation) through the real DynamoDB adapter:
 * the conditional claim, lease takeover, release and TTL semantics as DynamoDB evaluates them.
 */
import { createHash } from "node:crypto";
import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { webhookIdFor } from "@webhooks/shared";
import { createDynamoDbStore } from "../../../functions/validator/adapters/dynamodb-store";
import { type LocalTable, startLocalTable } from "../../support/dynalite";
import { createHarness, invoke, signedEvent, T0, T0_SECONDS } from "./support/harness";

let table: LocalTable;
let deliveryCount = 0;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.close());

/** A harness whose store is the DynamoDB adapter (each test uses its own delivery ids). */
function dynamoHarness() {
  return createHarness({ store: createDynamoDbStore(table.client, table.tableName) });
}

async function record(webhookId: string) {
  const { Item } = await table.client.send(
    new GetItemCommand({ TableName: table.tableName, Key: marshall({ webhookId }), ConsistentRead: true }),
  );
  return Item ? unmarshall(Item) : undefined;
}

/** A stripe event with its own delivery id so tests sharing the table don't meet. */
function stripeDelivery() {
  const id = `evt_dyn_${++deliveryCount}`;
  const body = JSON.stringify({ id, type: "invoice.paid" });
  return { id, body, event: signedEvent("stripe", { body }), webhookId: webhookIdFor("stripe", id) };
}

/** Waits (real time) until the record exists: the crashed invocation's claim is in flight. */
async function untilRecorded(webhookId: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const item = await record(webhookId);
    if (item) return item;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${webhookId} was never claimed`);
}

test("10 concurrent copies of one delivery are enqueued exactly once", async () => {
  const harness = dynamoHarness();
  const { event, webhookId } = stripeDelivery();
  const results = await Promise.all(Array.from({ length: 10 }, () => invoke(harness, event, 9_000)));
  const statuses = results.map((result) => result.status).sort();
  expect(harness.queue.messages).toHaveLength(1);
  expect(statuses.filter((status) => status === 202)).toHaveLength(1);
  expect(statuses.every((status) => status === 202 || status === 409 || status === 200)).toBe(true);
  expect(await record(webhookId)).toMatchObject({ status: "QUEUED" });
});

test("the claimed record holds exactly the record's attributes, no index keys", async () => {
  const harness = dynamoHarness();
  const { id, body, event, webhookId } = stripeDelivery();
  await invoke(harness, event, 9_000);
  expect(await record(webhookId)).toEqual({
    webhookId,
    provider: "stripe",
    deliveryId: id,
    eventType: "invoice.paid",
    status: "QUEUED",
    receivedAt: "2026-11-23T12:00:00.000Z",
    expiresAt: T0_SECONDS + 604_800,
    updatedAt: T0,
    contentDigest: createHash("sha256").update(body).digest("hex"),
  });
});

test("a duplicate of a QUEUED delivery answers 200 duplicate, read from the failed condition", async () => {
  const harness = dynamoHarness();
  const { body: payload, event, webhookId } = stripeDelivery();
  await invoke(harness, event);
  harness.clock.advance(30_000);
  const { status, body } = await invoke(
    harness,
    signedEvent("stripe", { body: payload, timestamp: T0_SECONDS + 25 }),
  );
  expect({ status, body }).toEqual({ status: 200, body: { webhookId, duplicate: true } });
  expect(harness.queue.messages).toHaveLength(1);
});

test("a crash between claim and enqueue recovers on the sender's retry once the lease lapses", async () => {
  const harness = dynamoHarness();
  const { body, event, webhookId } = stripeDelivery();
  harness.queue.hang(); // the first invocation dies after its claim: it never sends, never releases
  void harness.handler(event, { getRemainingTimeInMillis: () => 8_000 });
  expect(await untilRecorded(webhookId)).toMatchObject({ status: "RECEIVED", leaseUntil: T0 + 8_000 });

  harness.clock.advance(2_000);
  const during = await invoke(harness, signedEvent("stripe", { body, timestamp: T0_SECONDS + 2 }));
  expect(during.status).toBe(409);

  harness.clock.advance(6_001);
  const retry = await invoke(harness, signedEvent("stripe", { body, timestamp: T0_SECONDS + 8 }));
  expect({ status: retry.status, body: retry.body }).toEqual({ status: 202, body: { webhookId } });
  expect(harness.queue.messages).toHaveLength(1);
  expect(await record(webhookId)).toMatchObject({ status: "QUEUED" });
});

test("a failed enqueue answers 503, releases the claim, and the retry succeeds at once", async () => {
  const harness = dynamoHarness();
  const { body, event, webhookId } = stripeDelivery();
  harness.queue.failNext();
  expect((await invoke(harness, event, 9_000)).status).toBe(503);
  expect(await record(webhookId)).toBeUndefined();
  harness.clock.advance(1_000);
  const retry = signedEvent("stripe", { body, timestamp: T0_SECONDS + 1 });
  expect((await invoke(harness, retry, 9_000)).status).toBe(202);
  expect(harness.queue.messages).toHaveLength(1);
});

test("an expired record still present (TTL deletes lazily) is treated as new", async () => {
  const harness = dynamoHarness();
  const { id, event, webhookId } = stripeDelivery();
  await table.client.send(
    new PutItemCommand({
      TableName: table.tableName,
      Item: marshall({
        webhookId,
        provider: "stripe",
        deliveryId: id,
        eventType: "invoice.paid",
        status: "ROUTED",
        receivedAt: "2026-11-15T12:00:00.000Z",
        expiresAt: T0_SECONDS - 1,
        updatedAt: T0 - 8 * 86_400_000,
      }),
    }),
  );
  expect((await invoke(harness, event)).status).toBe(202);
  expect(harness.queue.messages).toHaveLength(1);
  expect(await record(webhookId)).toMatchObject({ status: "QUEUED", expiresAt: T0_SECONDS + 604_800 });
});

test("a record that has not expired yet is still a duplicate", async () => {
  const harness = dynamoHarness();
  const { id, event, webhookId } = stripeDelivery();
  await table.client.send(
    new PutItemCommand({
      TableName: table.tableName,
      Item: marshall({
        webhookId,
        provider: "stripe",
        deliveryId: id,
        status: "ROUTED",
        expiresAt: T0_SECONDS + 1,
      }),
    }),
  );
  expect((await invoke(harness, event)).body).toEqual({ webhookId, duplicate: true });
  expect(harness.queue.messages).toHaveLength(0);
});

test("releasing does not delete a claim another invocation took over", async () => {
  const store = createDynamoDbStore(table.client, table.tableName);
  const webhookId = webhookIdFor("stripe", `evt_dyn_${++deliveryCount}`);
  const claim = {
    webhookId,
    provider: "stripe",
    deliveryId: "d",
    eventType: "t",
    receivedAt: "2026-11-23T12:00:00.000Z",
    expiresAt: T0_SECONDS + 60,
    contentDigest: "d",
  };
  expect(await store.claim({ ...claim, nowMs: T0, leaseUntil: T0 + 1_000 })).toEqual({ outcome: "claimed" });
  expect(await store.claim({ ...claim, nowMs: T0 + 1_001, leaseUntil: T0 + 9_000 })).toEqual({
    outcome: "claimed",
  });
  await store.release(webhookId, T0 + 1_000);
  expect(await record(webhookId)).toMatchObject({ status: "RECEIVED", leaseUntil: T0 + 9_000 });
});

test("another body under a QUEUED delivery id is a conflict, read from the failed condition: 409, nothing queued", async () => {
  const harness = dynamoHarness();
  const { id, event, webhookId } = stripeDelivery();
  await invoke(harness, event);
  harness.clock.advance(30_000);
  const changed = JSON.stringify({ id, type: "invoice.paid", amount: 1 });
  const { status, body } = await invoke(
    harness,
    signedEvent("stripe", { body: changed, timestamp: T0_SECONDS + 25 }),
  );
  expect({ status, reason: body.reason }).toEqual({
    status: 409,
    reason: `delivery id ${id} was already received with a different body`,
  });
  expect(harness.queue.messages).toHaveLength(1);
  expect(await record(webhookId)).toMatchObject({ status: "QUEUED" });
});

test("a lapsed lease is not taken over by another body, only by the same one", async () => {
  const harness = dynamoHarness();
  const { id, body, event, webhookId } = stripeDelivery();
  harness.queue.hang();
  void harness.handler(event, { getRemainingTimeInMillis: () => 8_000 });
  await untilRecorded(webhookId);
  harness.clock.advance(8_001);

  const changed = JSON.stringify({ id, type: "invoice.paid", amount: 1 });
  const other = await invoke(harness, signedEvent("stripe", { body: changed, timestamp: T0_SECONDS + 8 }));
  expect(other.status).toBe(409);
  expect(await record(webhookId)).toMatchObject({ status: "RECEIVED", leaseUntil: T0 + 8_000 });

  const same = await invoke(harness, signedEvent("stripe", { body, timestamp: T0_SECONDS + 8 }));
  expect(same.status).toBe(202);
  expect(harness.queue.messages).toHaveLength(1);
});

test("a record claimed before digests were kept answers any body as a duplicate", async () => {
  const harness = dynamoHarness();
  const { id, webhookId } = stripeDelivery();
  await table.client.send(
    new PutItemCommand({
      TableName: table.tableName,
      Item: marshall({
        webhookId,
        provider: "stripe",
        deliveryId: id,
        status: "QUEUED",
        expiresAt: T0_SECONDS + 60,
      }),
    }),
  );
  const changed = JSON.stringify({ id, type: "invoice.paid", amount: 1 });
  expect((await invoke(harness, signedEvent("stripe", { body: changed }))).body).toEqual({
    webhookId,
    duplicate: true,
  });
});
