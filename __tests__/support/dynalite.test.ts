import { PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { RecordIndex } from "@webhooks/shared";
import { type LocalTable, startLocalTable } from "./dynalite";

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.close());

test("the local table answers queries on the by-provider index", async () => {
  await table.client.send(
    new PutItemCommand({
      TableName: table.tableName,
      Item: {
        webhookId: { S: "wh_1" },
        providerDay: { S: "stripe#2026-11-23" },
        receivedAt: { S: "2026-11-23T00:00:00.000Z" },
      },
    }),
  );
  const result = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: RecordIndex.byProviderDay.name,
      KeyConditionExpression: "providerDay = :p",
      ExpressionAttributeValues: { ":p": { S: "stripe#2026-11-23" } },
    }),
  );
  expect(result.Items?.map((item) => item.webhookId?.S)).toEqual(["wh_1"]);
});
