import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { RecordAttribute, RecordIndex } from "@webhooks/shared";

/**
 * CreateTable input of the delivery-record table, derived like the WebhookTable construct derives
 * its Terraform: the key `webhookId`, every index of `RecordIndex` KEYS_ONLY, each key attribute a
 * string. `webhooks dev` and the dynalite tests create their table from it.
 *
 * @example await client.send(new CreateTableCommand(recordsTableDefinition("whk-dev-records")))
 */
export function recordsTableDefinition(tableName: string): CreateTableCommandInput {
  const indexes = Object.values(RecordIndex);
  const keyAttributes = [
    RecordAttribute.webhookId,
    ...new Set(indexes.flatMap((index) => [index.partitionKey, index.sortKey])),
  ];
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: keyAttributes.map((name) => ({ AttributeName: name, AttributeType: "S" })),
    KeySchema: [{ AttributeName: RecordAttribute.webhookId, KeyType: "HASH" }],
    GlobalSecondaryIndexes: indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: "HASH" },
        { AttributeName: index.sortKey, KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "KEYS_ONLY" },
    })),
  };
}
