import { GetItemCommand, PutItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { type LocalTable, startLocalTable } from "./dynalite";

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.close());

const item = {
  webhookId: { S: "wh_1" },
  status: { S: "QUEUED" },
  receivedAt: { S: "2026-11-23T00:00:00.000Z" },
};

test("the local table reads an item back by its webhookId", async () => {
  await table.client.send(new PutItemCommand({ TableName: table.tableName, Item: item }));
  const { Item } = await table.client.send(
    new GetItemCommand({
      TableName: table.tableName,
      Key: { webhookId: item.webhookId },
      ConsistentRead: true,
    }),
  );
  expect(Item).toEqual(item);
});

test("the local table answers a filtered scan", async () => {
  await table.client.send(new PutItemCommand({ TableName: table.tableName, Item: item }));
  const result = await table.client.send(
    new ScanCommand({
      TableName: table.tableName,
      FilterExpression: "#status <> :routed",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":routed": { S: "ROUTED" } },
    }),
  );
  expect(result.Items?.map((found) => found.webhookId?.S)).toEqual(["wh_1"]);
});
