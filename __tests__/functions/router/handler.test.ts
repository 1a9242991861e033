import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { RecordStatus } from "@webhooks/shared";
import { type LocalTable, startLocalTable } from "../../support/dynalite";
import { envelope, referenceTo, sqsEvent, sqsRecord, sqsRecords } from "./support/factories";
import { EVENT_BUS_NAME, getRecord, putRecord, routerHarness } from "./support/harness";

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.close());

test("puts one event per message with Source, DetailType, Time, bus and the inline payload as Detail", async () => {
  const harness = routerHarness(table);
  const message = envelope({ provider: "github", eventType: "push" });
  await putRecord(table, message, RecordStatus.Queued);

  const response = await harness.route(sqsEvent([sqsRecord({ envelope: message })]));

  expect(response).toStrictEqual({ batchItemFailures: [] });
  const [[entry]] = harness.putCalls() as [[Record<string, unknown>]];
  expect(entry).toMatchObject({
    Source: "webhooks.github",
    DetailType: "push",
    EventBusName: EVENT_BUS_NAME,
    Time: new Date(message.receivedAt),
  });
  expect(JSON.parse(entry.Detail as string)).toStrictEqual({
    webhookId: message.webhookId,
    provider: "github",
    deliveryId: message.deliveryId,
    eventType: "push",
    receivedAt: message.receivedAt,
    data: { id: message.deliveryId, amount: 4200 },
  });
});

test("marks a routed record ROUTED and drops its lease", async () => {
  const harness = routerHarness(table);
  const message = envelope();
  await putRecord(table, message, RecordStatus.Queued);

  await harness.route(sqsEvent([sqsRecord({ envelope: message })]));

  const record = await getRecord(table, message.webhookId);
  expect(record).toMatchObject({ status: RecordStatus.Routed, updatedAt: harness.clock.now() });
  expect(record).not.toHaveProperty("leaseUntil");
});

test("a redelivered message whose record is already ROUTED puts nothing on the bus and is acknowledged", async () => {
  const harness = routerHarness(table);
  const message = envelope();
  await putRecord(table, message, RecordStatus.Routed);

  const response = await harness.route(sqsEvent([sqsRecord({ envelope: message })]));

  expect(response).toStrictEqual({ batchItemFailures: [] });
  expect(harness.putCalls()).toHaveLength(0);
  expect(harness.counters.get("skippedAlreadyRouted")).toBe(1);
});

test("the second delivery of a routed message puts nothing: routing twice yields one event", async () => {
  const harness = routerHarness(table);
  const message = envelope();
  await putRecord(table, message, RecordStatus.Queued);
  const record = sqsRecord({ envelope: message });

  await harness.route(sqsEvent([record]));
  await harness.route(sqsEvent([record]));

  expect(harness.putCalls().flat()).toHaveLength(1);
});

test("two copies of one webhook in a batch put one event and both are acknowledged", async () => {
  const harness = routerHarness(table);
  const message = envelope();
  await putRecord(table, message, RecordStatus.Queued);

  const response = await harness.route(
    sqsEvent([sqsRecord({ envelope: message }), sqsRecords(1)[0]!, sqsRecord({ envelope: message })]),
  );

  expect(response).toStrictEqual({ batchItemFailures: [] });
  expect(harness.putDetails().filter((detail) => detail.webhookId === message.webhookId)).toHaveLength(1);
  expect(harness.counters.get("skippedCopies")).toBe(1);
});

test("when the first copy of a webhook is not put, its later copy in the batch is reported with it", async () => {
  const harness = routerHarness(table);
  const message = envelope();
  await putRecord(table, message, RecordStatus.Queued);
  harness.eventBridge.on(PutEventsCommand).resolves({
    FailedEntryCount: 1,
    Entries: [{ ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." }],
  });
  const [first, copy] = [sqsRecord({ envelope: message }), sqsRecord({ envelope: message })];

  const response = await harness.route(sqsEvent([first, copy]));

  expect(response.batchItemFailures).toEqual([
    { itemIdentifier: first.messageId },
    { itemIdentifier: copy.messageId },
  ]);
  expect(harness.counters.get("failed{reason=copyNotRouted}")).toBe(1);
});

test("a message whose record has expired is still routed, and no record is created for it", async () => {
  const harness = routerHarness(table);
  const message = envelope();

  const response = await harness.route(sqsEvent([sqsRecord({ envelope: message })]));

  expect(response).toStrictEqual({ batchItemFailures: [] });
  expect(harness.putCalls().flat()).toHaveLength(1);
  expect(await getRecord(table, message.webhookId)).toBeUndefined();
  expect(harness.counters.get("routedWithoutRecord")).toBe(1);
});

test("a malformed envelope is reported by its messageId and the rest of the batch is routed", async () => {
  const harness = routerHarness(table);
  const bad = sqsRecord({ body: '{"version":1,"webhookId":"wh_x"}' });
  const good = sqsRecords(2);

  const response = await harness.route(sqsEvent([good[0]!, bad, good[1]!]));

  expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: bad.messageId }] });
  expect(harness.putCalls().flat()).toHaveLength(2);
  expect(harness.counters.get("failed{reason=malformedEnvelope}")).toBe(1);
});

test("a claim-checked payload is fetched, verified and put inline when the entry fits", async () => {
  const harness = routerHarness(table);
  const bytes = Buffer.from('{"action":"opened","number":7}');
  const ref = referenceTo(bytes);
  harness.serveObject(ref.key, bytes);
  const message = envelope({ payload: { kind: "reference", ref } });

  const response = await harness.route(sqsEvent([sqsRecord({ envelope: message })]));

  expect(response).toStrictEqual({ batchItemFailures: [] });
  expect(harness.putDetails()[0]).toMatchObject({ data: { action: "opened", number: 7 } });
});

test("a claim-checked payload whose sha256 does not match is reported and not put", async () => {
  const harness = routerHarness(table);
  const ref = referenceTo(Buffer.from('{"amount":1}'));
  harness.serveObject(ref.key, Buffer.from('{"amount":9}'));
  const tampered = sqsRecord({ envelope: envelope({ payload: { kind: "reference", ref } }) });
  const fine = sqsRecord();

  const response = await harness.route(sqsEvent([tampered, fine]));

  expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: tampered.messageId }] });
  expect(harness.putCalls().flat()).toHaveLength(1);
  expect(harness.counters.get("failed{reason=payloadDigestMismatch}")).toBe(1);
});

test("a claim-checked payload that is not valid for its content type is reported", async () => {
  const harness = routerHarness(table);
  const bytes = Buffer.from("{not json");
  const ref = referenceTo(bytes);
  harness.serveObject(ref.key, bytes);
  const record = sqsRecord({ envelope: envelope({ payload: { kind: "reference", ref } }) });

  const response = await harness.route(sqsEvent([record]));

  expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
  expect(harness.counters.get("failed{reason=payloadUnparseable}")).toBe(1);
});

test("a claim-checked payload that cannot be fetched is reported for redelivery", async () => {
  const harness = routerHarness(table);
  const ref = referenceTo(Buffer.from("{}"));
  harness.s3.rejects(Object.assign(new Error("The specified key does not exist."), { name: "NoSuchKey" }));
  const record = sqsRecord({ envelope: envelope({ payload: { kind: "reference", ref } }) });

  const response = await harness.route(sqsEvent([record]));

  expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
  expect(harness.counters.get("failed{reason=payloadUnavailable}")).toBe(1);
});

test("a reference into a bucket other than the payload bucket is refused without reading it", async () => {
  const harness = routerHarness(table);
  const ref = { ...referenceTo(Buffer.from("{}")), bucket: "someone-elses-bucket" };
  const record = sqsRecord({ envelope: envelope({ payload: { kind: "reference", ref } }) });

  const response = await harness.route(sqsEvent([record]));

  expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
  expect(harness.s3.calls()).toHaveLength(0);
});

test("100 records routed as ten batches of ten take exactly ten PutEvents calls", async () => {
  const harness = routerHarness(table);

  for (let batch = 0; batch < 10; batch++) await harness.route(sqsEvent(sqsRecords(10)));

  expect(harness.putCalls()).toHaveLength(10);
  expect(harness.putCalls().every((entries) => entries.length === 10)).toBe(true);
  expect(harness.counters.get("putEventsCalls")).toBe(10);
});

test("a failed ROUTED mark is logged and counted, and the message is not reported (its event is on the bus)", async () => {
  const harness = routerHarness(table, {
    records: (store) => ({
      statuses: (ids) => store.statuses(ids),
      markRouted: async () => {
        throw Object.assign(new Error("Throughput exceeds the current capacity"), {
          name: "ThrottlingException",
        });
      },
    }),
  });
  const message = envelope();
  await putRecord(table, message, RecordStatus.Queued);

  const response = await harness.route(sqsEvent([sqsRecord({ envelope: message })]));

  expect(response).toStrictEqual({ batchItemFailures: [] });
  expect(harness.counters.get("markRoutedFailed")).toBe(1);
  expect(harness.log.at("error")[0]?.attributes).toMatchObject({ webhookId: message.webhookId });
});

test("an error reading the table rejects the whole batch before anything is put", async () => {
  const harness = routerHarness(table, {
    records: (store) => ({
      statuses: async () => {
        throw Object.assign(new Error("service unavailable"), { name: "InternalServerError" });
      },
      markRouted: (id, now) => store.markRouted(id, now),
    }),
  });

  await expect(harness.route(sqsEvent(sqsRecords(3)))).rejects.toThrow("service unavailable");
  expect(harness.putCalls()).toHaveLength(0);
  expect(harness.counters.published).toBe(1);
});

test("log lines name webhookId, provider and messageId and never carry payload content", async () => {
  const harness = routerHarness(table);
  const secret = "4111-1111-1111-1111";
  const routedOk = sqsRecord({ envelope: envelope({ payload: { kind: "inline", data: { card: secret } } }) });
  const rejected = sqsRecord({ envelope: envelope({ payload: { kind: "inline", data: { card: secret } } }) });
  harness.eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
    FailedEntryCount: 1,
    Entries: input.Entries.map((_, index) =>
      index === 1 ? { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." } : { EventId: "e" },
    ),
  }));

  await harness.route(sqsEvent([routedOk, rejected]));

  expect(harness.log.at("warn")[0]?.attributes).toMatchObject({
    messageId: rejected.messageId,
    webhookId: expect.stringMatching(/^wh_/),
    provider: "stripe",
    reason: "putEventsRejected",
  });
  expect(JSON.stringify(harness.log.lines)).not.toContain(secret);
});

test("counters: routed, skipped, failed by reason and PutEvents calls are published once per batch", async () => {
  const harness = routerHarness(table);
  const skipped = envelope();
  await putRecord(table, skipped, RecordStatus.Routed);

  await harness.route(sqsEvent([sqsRecord(), sqsRecord({ envelope: skipped }), sqsRecord({ body: "[]" })]));

  expect(Object.fromEntries(harness.counters.totals)).toMatchObject({
    routed: 1,
    skippedAlreadyRouted: 1,
    failed: 1,
    "failed{reason=malformedEnvelope}": 1,
    putEventsCalls: 1,
  });
  expect(harness.counters.published).toBe(1);
});
