import { BatchGetItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { RecordStatus } from "@webhooks/shared";
import { mockClient } from "aws-sdk-client-mock";
import { dynamoRecordStore } from "../../../functions/router/adapters/records";
import { type LocalTable, startLocalTable } from "../../support/dynalite";
import { envelope } from "./support/factories";
import { getRecord, putRecord } from "./support/harness";

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.close());

const noSleep = { sleep: async () => {} };

test("statuses returns the status of each existing record and omits missing ones", async () => {
  const store = dynamoRecordStore(table.client, table.tableName, noSleep);
  const [queued, routed, missing] = [envelope(), envelope(), envelope()];
  await putRecord(table, queued, RecordStatus.Queued);
  await putRecord(table, routed, RecordStatus.Routed);

  const statuses = await store.statuses([
    queued.webhookId,
    routed.webhookId,
    missing.webhookId,
    queued.webhookId,
  ]);

  expect(statuses).toEqual(
    new Map([
      [queued.webhookId, RecordStatus.Queued],
      [routed.webhookId, RecordStatus.Routed],
    ]),
  );
});

test("statuses reads more than 100 ids, in BatchGetItem calls of at most 100 keys", async () => {
  const store = dynamoRecordStore(table.client, table.tableName, noSleep);
  const messages = Array.from({ length: 150 }, () => envelope());
  await putRecord(table, messages[149]!, RecordStatus.Queued);

  const statuses = await store.statuses(messages.map((message) => message.webhookId));

  expect([...statuses.keys()]).toEqual([messages[149]!.webhookId]);
});

test("markRouted sets ROUTED and updatedAt, removes leaseUntil, and keeps the rest", async () => {
  const store = dynamoRecordStore(table.client, table.tableName, noSleep);
  const message = envelope();
  await putRecord(table, message, RecordStatus.Queued);
  const before = await getRecord(table, message.webhookId);

  expect(await store.markRouted(message.webhookId, 1_795_428_009_000)).toBe(true);

  const { leaseUntil: _lease, ...kept } = before!;
  expect(await getRecord(table, message.webhookId)).toStrictEqual({
    ...kept,
    status: RecordStatus.Routed,
    updatedAt: 1_795_428_009_000,
  });
});

test("markRouted on a missing record returns false and creates nothing", async () => {
  const store = dynamoRecordStore(table.client, table.tableName, noSleep);
  const message = envelope();

  expect(await store.markRouted(message.webhookId, 1)).toBe(false);
  expect(await getRecord(table, message.webhookId)).toBeUndefined();
});

describe("unprocessed keys (throttled BatchGetItem)", () => {
  const client = new DynamoDBClient({ region: "us-east-1" });
  const dynamo = mockClient(client);
  afterEach(() => dynamo.reset());
  const key = { webhookId: { S: "wh_1" } };

  test("are read again until DynamoDB returns them", async () => {
    dynamo
      .on(BatchGetItemCommand)
      .resolvesOnce({ Responses: { t: [] }, UnprocessedKeys: { t: { Keys: [key] } } })
      .resolves({ Responses: { t: [{ ...key, status: { S: "QUEUED" } }] } });

    const statuses = await dynamoRecordStore(client, "t", noSleep).statuses(["wh_1"]);

    expect(statuses.get("wh_1")).toBe("QUEUED");
    expect(dynamo.commandCalls(BatchGetItemCommand)[1]?.args[0].input.RequestItems?.t?.ConsistentRead).toBe(
      true,
    );
  });

  test("fail the batch when they stay unprocessed", async () => {
    dynamo
      .on(BatchGetItemCommand)
      .resolves({ Responses: { t: [] }, UnprocessedKeys: { t: { Keys: [key] } } });

    await expect(dynamoRecordStore(client, "t", noSleep).statuses(["wh_1"])).rejects.toThrow(/unprocessed/);
  });
});
