import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { RecordAttribute } from "@webhooks/shared";

/**
 * CreateTable input of the delivery-record table, as the WebhookTable construct declares it: the
 * key `webhookId` (a string), on-demand, no index. `webhooks dev` and the dynalite tests create
 * their table from it.
 *
 * @example await client.send(new CreateTableCommand(recordsTableDefinition("whk-dev-records")))
 */
export function recordsTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: RecordAttribute.webhookId, AttributeType: "S" }],
    KeySchema: [{ AttributeName: RecordAttribute.webhookId, KeyType: "HASH" }],
  };
}
