import { PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { RecordStatus } from "@webhooks/shared";
import { type LocalTable, startLocalTable } from "../../support/dynalite";
import { envelope, sqsEvent, sqsRecord } from "./support/factories";
import { acceptAll, getRecord, putRecord, routerHarness } from "./support/harness";

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.close());

const failed = (response: { batchItemFailures: { itemIdentifier: string }[] }) =>
  response.batchItemFailures.map((failure) => failure.itemIdentifier);

/** Fails the entry whose Detail names `webhookId` with `code`. */
function failingFor(webhookId: string, code: string) {
  return (input: { Entries?: readonly PutEventsRequestEntry[] }) => ({
    FailedEntryCount: 1,
    Entries: (input.Entries ?? []).map((entry) =>
      entry.Detail?.includes(webhookId) ? { ErrorCode: code, ErrorMessage: "rejected" } : { EventId: "e" },
    ),
  });
}

test("FIFO: a malformed message is reported with every later message of its group, which are not put", async () => {
  const harness = routerHarness(table);
  const a1 = sqsRecord({ groupId: "A" });
  const a2 = sqsRecord({ groupId: "A", body: "not json" });
  const b1 = sqsRecord({ groupId: "B" });
  const a3 = sqsRecord({ groupId: "A" });
  const b2 = sqsRecord({ groupId: "B" });

  const response = await harness.route(sqsEvent([a1, a2, b1, a3, b2]));

  expect(failed(response)).toEqual([a2.messageId, a3.messageId]);
  expect(harness.putCalls().flat()).toHaveLength(3);
  expect(harness.putDetails().map((detail) => detail.webhookId)).not.toContain(JSON.parse(a3.body).webhookId);
  expect(harness.counters.get("failed{reason=earlierInGroupFailed}")).toBe(1);
});

test("FIFO: a message the bus rejects is reported with the later messages of its group, which are marked so a redelivery skips them", async () => {
  const harness = routerHarness(table);
  const [first, rejected, later] = [envelope(), envelope(), envelope()];
  for (const message of [first, rejected, later]) await putRecord(table, message, RecordStatus.Queued);
  harness.eventBridge.on(PutEventsCommand).callsFake(failingFor(rejected.webhookId, "MalformedDetail"));
  const records = [first, rejected, later].map((message) => sqsRecord({ envelope: message, groupId: "A" }));

  const response = await harness.route(sqsEvent(records));

  expect(failed(response)).toEqual([records[1]!.messageId, records[2]!.messageId]);
  expect(await getRecord(table, later.webhookId)).toMatchObject({ status: RecordStatus.Routed });
});

test("FIFO: redelivery after a group failure puts only the message that failed", async () => {
  const harness = routerHarness(table);
  const [rejected, later] = [envelope(), envelope()];
  for (const message of [rejected, later]) await putRecord(table, message, RecordStatus.Queued);
  const records = [rejected, later].map((message) => sqsRecord({ envelope: message, groupId: "A" }));
  harness.eventBridge.on(PutEventsCommand).callsFake(failingFor(rejected.webhookId, "MalformedDetail"));
  await harness.route(sqsEvent(records));
  harness.eventBridge.reset();
  harness.eventBridge.on(PutEventsCommand).callsFake(acceptAll);

  const response = await harness.route(sqsEvent(records));

  expect(response).toStrictEqual({ batchItemFailures: [] });
  expect(harness.putDetails().map((detail) => detail.webhookId)).toEqual([rejected.webhookId]);
});

test("a standard queue reports only the message that failed", async () => {
  const harness = routerHarness(table);
  const records = [sqsRecord(), sqsRecord({ body: "{}" }), sqsRecord()];

  const response = await harness.route(sqsEvent(records));

  expect(failed(response)).toEqual([records[1]!.messageId]);
  expect(harness.putCalls().flat()).toHaveLength(2);
});
